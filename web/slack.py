"""`POST /slack/events`: Slack's commands, interactions and events, handed to Bolt as sent.

Bolt has no Litestar adapter, and its ASGI one matches an exact path that a mount rewrites, so
this is the small adapter: the raw body (the signature covers its exact bytes, so Litestar
never parses the form), checked by `bot.verification.RequestGuard`, then
`AsyncApp.async_dispatch`, whose `BoltResponse` becomes the HTTP answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.status_codes import HTTP_200_OK, HTTP_401_UNAUTHORIZED, HTTP_503_SERVICE_UNAVAILABLE
from slack_bolt.async_app import AsyncApp, AsyncBoltRequest

from bot.app import create_bolt_app
from bot.client import slack_client
from bot.verification import RequestGuard, Verdict
from core.infra.runtime import Runtime

NOT_CONFIGURED = (
    "Slack is not configured on this server: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET."
)


@dataclass(frozen=True)
class SlackEndpoint:
    guard: RequestGuard
    bolt: AsyncApp


def slack_endpoint(runtime: Runtime) -> SlackEndpoint | None:
    """Built once at start-up on the runtime's connections; None when Slack is not configured."""
    settings = runtime.settings
    if settings.slack_bot_token is None or settings.slack_signing_secret is None:
        return None
    return SlackEndpoint(
        RequestGuard(settings.slack_signing_secret, runtime.redis),
        create_bolt_app(runtime, slack_client(settings)),
    )


@post(
    "/slack/events",
    exclude_from_auth=True,
    exclude_from_csrf=True,  # Slack signs its requests instead
    include_in_schema=False,
    status_code=HTTP_200_OK,
)
async def slack_events(
    request: Request, slack: NamedDependency[SlackEndpoint | None]
) -> Response[bytes]:
    if slack is None:
        return Response(
            NOT_CONFIGURED.encode(),
            status_code=HTTP_503_SERVICE_UNAVAILABLE,
            media_type=MediaType.TEXT,
        )
    body = await request.body()
    verdict = await slack.guard.check(body, request.headers)
    if verdict is Verdict.refuse:
        return Response(
            b"invalid or stale request signature",
            status_code=HTTP_401_UNAUTHORIZED,
            media_type=MediaType.TEXT,
        )
    if verdict is Verdict.replay:  # already processed: acknowledge, do nothing
        return Response(b"", status_code=HTTP_200_OK, media_type=MediaType.TEXT)
    bolt_response = await slack.bolt.async_dispatch(
        AsyncBoltRequest(
            body=body.decode(),
            query=request.url.query,
            headers=dict(request.headers.items()),
        )
    )
    headers = bolt_response.first_headers_without_set_cookie()
    media_type = headers.pop("content-type", MediaType.TEXT)
    return Response(
        bolt_response.body.encode(),
        status_code=bolt_response.status,
        media_type=media_type,
        headers=headers,
    )

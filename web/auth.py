"""Who is asking: an API token (`Authorization: Bearer tb_…`) or the dashboard's session.

A dashboard session ends after SESSION_IDLE_MINUTES without activity. Activity is what the
person does — every request except those the page makes on its own (the live event stream and
the partials it refreshes on events, marked with the LIVE_REFRESH route option), which would
otherwise keep an unattended screen signed in forever. Activity is marked to the step of
LAST_SEEN_STEP_SECONDS, so the limit holds to within that.
"""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

from litestar import Request
from litestar.exceptions import NotAuthorizedException

from core.access import Actor, load_actor
from core.audit import RequestOrigin
from core.tokens import authenticate
from web.session import ROTATE_KEY

SESSION_USER_KEY = "user_id"
LAST_SEEN_KEY = "last_seen"
LIVE_REFRESH = "live_refresh"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ACTOR_STATE_KEY = "actor_id"  # the request's actor, for what runs after the handler
# The activity mark moves on in steps, so most requests leave the stored session untouched.
LAST_SEEN_STEP_SECONDS = 10
API_PREFIX = "/api/"


class SessionEnded(NotAuthorizedException):
    """The dashboard session was open but has run out; the person must sign in again."""


def start_session(request: Request, actor: Actor) -> None:
    """Sign the actor in: a new session (under a new id) that starts active now."""
    request.set_session(
        {SESSION_USER_KEY: str(actor.id), LAST_SEEN_KEY: time.time(), ROTATE_KEY: True}
    )


def idle_limit_seconds(request: Request) -> int:
    return int(request.app.state.settings.session_idle_minutes) * 60


def session_is_active(session: dict[str, Any], idle_limit: int, now: float) -> bool:
    return bool(session.get(SESSION_USER_KEY)) and now - session.get(LAST_SEEN_KEY, 0) <= idle_limit


def session_user_id(request: Request) -> UUID | None:
    """The dashboard session's user, if signed in and not idle too long; records activity."""
    session = request.scope.get("session")
    if not isinstance(session, dict) or not session.get(SESSION_USER_KEY):
        return None
    now = time.time()
    if not session_is_active(session, idle_limit_seconds(request), now):
        request.clear_session()
        minutes = idle_limit_seconds(request) // 60
        raise SessionEnded(f"signed out after {minutes} minutes without activity")
    if not request.route_handler.opt.get(LIVE_REFRESH) and (
        now - session.get(LAST_SEEN_KEY, 0) >= LAST_SEEN_STEP_SECONDS
    ):
        session[LAST_SEEN_KEY] = now
    return UUID(session[SESSION_USER_KEY])


async def provide_actor(request: Request) -> Actor:
    actor = await _identify(request)
    request.scope.setdefault("state", {})[ACTOR_STATE_KEY] = actor.id  # type: ignore[typeddict-item]
    return actor


async def _identify(request: Request) -> Actor:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        actor = await authenticate(token.strip())
        if actor is None:
            raise NotAuthorizedException("invalid or revoked API token")
        return actor
    user_id = session_user_id(request)
    if user_id:
        # The dashboard session may read through the API (e.g. download links); writes need a
        # token, because the API is outside the dashboard's CSRF protection.
        if request.method not in SAFE_METHODS and request.url.path.startswith(API_PREFIX):
            raise NotAuthorizedException("API writes need an API token")
        actor = await load_actor(user_id)
        if actor is not None:
            return actor
        request.clear_session()  # the account was deactivated
    raise NotAuthorizedException("sign in or send an API token")


def provide_origin(request: Request) -> RequestOrigin:
    client = request.client.host if request.client else None
    return RequestOrigin(ip_address=client, user_agent=request.headers.get("user-agent"))

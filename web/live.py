"""Live updates: the signed-in user's domain events as a Server-Sent Events stream.

The stream subscribes to the user's own Redis channel (`tb:user:<id>`) and to nothing else,
so a page only ever hears about its user's sessions and exports. Each domain event becomes one
or more named page events that htmx elements listen for (`hx-trigger="sse:export-<id>"`) to
fetch their fresh partial. Events carry ids and states only.

A browser that reconnects (it sends Last-Event-ID) first gets `resync`, so the page refreshes
what it may have missed. The stream checks the session at every keep-alive and ends with
`signed-out` once the session is gone or idle.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

from litestar import Request, get
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency
from litestar.response import ServerSentEvent, ServerSentEventMessage

from core.access import Actor
from core.events import Event, user_channel
from web.auth import LIVE_REFRESH, idle_limit_seconds, session_is_active
from web.session import load_session

KEEPALIVE_SECONDS = 15.0
RETRY_MILLISECONDS = 3000
RESYNC = "resync"
SIGNED_OUT = "signed-out"


def page_events(payload: bytes) -> list[ServerSentEventMessage]:
    """The page events a domain event becomes (none for a type the pages do not show)."""
    event = json.loads(payload)
    kind = str(event.get("type", ""))
    data = event.get("data") or {}
    names: list[str] = []
    if kind in (Event.session_status, Event.session_processed):
        names = [f"session-{data['session_id']}", "session-stage"]
    elif kind == Event.session_progress:
        names = [f"session-{data['session_id']}"]
    elif kind in (Event.session_reanalysing, Event.session_reanalysed):
        names = [f"analysis-{data['session_id']}"]
    elif kind == Event.session_risk_flagged:
        names = [f"session-{data['session_id']}", "risk"]
    elif kind in (Event.export_status, Event.export_completed):
        names = [f"export-{data['job_id']}", "export-stage"]
        if data.get("status") == "pending":
            names.append("export-created")
    body = json.dumps(data, separators=(",", ":"))
    return [ServerSentEventMessage(data=body, event=name, id=event.get("at")) for name in names]


async def _stream(
    request: Request, channels: ChannelsPlugin, actor: Actor, resumed: bool
) -> AsyncIterator[ServerSentEventMessage]:
    inbox: asyncio.Queue[bytes] = asyncio.Queue()
    async with (
        channels.start_subscription(user_channel(actor.id)) as subscriber,
        subscriber.run_in_background(inbox.put),
    ):
        # An id from the start, so that any reconnect announces itself with Last-Event-ID.
        yield ServerSentEventMessage(
            data=None, comment="connected", id=f"{time.time():.3f}", retry=RETRY_MILLISECONDS
        )
        if resumed:
            yield ServerSentEventMessage(event=RESYNC, data="{}")
        while True:
            try:
                payload = await asyncio.wait_for(inbox.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                if not await _still_signed_in(request):
                    yield ServerSentEventMessage(event=SIGNED_OUT, data="{}")
                    return
                yield ServerSentEventMessage(data=None, comment="keep-alive")
                continue
            for message in page_events(payload):
                yield message


async def _still_signed_in(request: Request) -> bool:
    session_id = request.get_session_id()
    session = await load_session(request.app, session_id) if session_id else None
    return session is not None and session_is_active(
        session, idle_limit_seconds(request), time.time()
    )


@get(
    "/events",
    opt={LIVE_REFRESH: True},
    include_in_schema=False,
    summary="Your live events (Server-Sent Events)",
)
async def live_events(
    request: Request, actor: NamedDependency[Actor], channels: NamedDependency[ChannelsPlugin]
) -> ServerSentEvent:
    resumed = "last-event-id" in request.headers
    return ServerSentEvent(
        _stream(request, channels, actor, resumed),
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )

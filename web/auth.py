"""Who is asking: an API token (`Authorization: Bearer tb_…`) or the dashboard's session.

A dashboard session ends after SESSION_IDLE_MINUTES without activity. Activity is what the
person does — every request except those the page makes on its own (the live event stream and
the partials it refreshes on events, marked with the LIVE_REFRESH route option), which would
otherwise keep an unattended screen signed in forever. Activity is marked to the step of
LAST_SEEN_STEP_SECONDS, so the limit holds to within that.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

from litestar import Request
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.access import Actor
from core.audit import RequestOrigin
from core.infra.runtime import Runtime
from core.patients import care_team
from core.tokens import authenticate
from web.page_cache import PageCache
from web.session import ROTATE_KEY

logger = logging.getLogger(__name__)

SESSION_USER_KEY = "user_id"
LAST_SEEN_KEY = "last_seen"
LIVE_REFRESH = "live_refresh"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
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


# Litestar resolves a handler's independent dependencies side by side, in a task group per
# request; dependencies that build on each other resolve one after another, for much less.
# Hence the chain runtime → page cache → actor → origin.


async def provide_actor(
    request: Request,
    runtime: NamedDependency[Runtime],
    page_cache: NamedDependency[PageCache],
) -> AsyncIterator[Actor]:
    """The request's actor. A write by them advances their data version when the handler has
    returned, before the response leaves, so the page they go to next is rendered afresh; a
    write to one patient's record (a route with `patient_id`) advances the versions of all the
    patient's therapists, whose pages show it too."""
    actor = await _identify(request, page_cache)
    yield actor  # a handler's exception is raised here, and the write did not happen
    if request.method not in SAFE_METHODS:
        changed = {actor.id}
        if (patient_id := request.path_params.get("patient_id")) is not None:
            changed.update(await care_team(patient_id))
        try:
            for user_id in changed:
                await runtime.events.mark_changed(user_id)
        except (RedisConnectionError, RedisTimeoutError):
            # The write stands; with Redis away no page is served from the cache anyway.
            logger.warning("could not advance a data version: Redis is unavailable")


async def _identify(request: Request, page_cache: PageCache) -> Actor:
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
        actor = await page_cache.actor(request, user_id)
        if actor is not None:
            return actor
        request.clear_session()  # the account was deactivated
    raise NotAuthorizedException("sign in or send an API token")


def provide_origin(request: Request, actor: NamedDependency[Actor]) -> RequestOrigin:
    """Where an identified request came from, as its audit rows record it."""
    client = request.client.host if request.client else None
    return RequestOrigin(ip_address=client, user_agent=request.headers.get("user-agent"))

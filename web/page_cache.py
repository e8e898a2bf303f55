"""Rendered dashboard pages, served again while the user's data has not changed.

Every change to what a user's pages show advances the user's data version (core.events):
background work through the events it publishes, and writes through the actor dependency
(web.auth) before their response leaves — the writer's own, and for a write to a patient's
record those of all the patient's therapists. A page rendered at version N is
served again to the same browser while the version is still N, for at most MAX_AGE_SECONDS:
times on a page ("today", "6 h left") move on their own, and any other change (a colleague
signing a note of a shared patient's session, an edit by hand in the database) shows after
that long.

The signed-in actor is kept the same way: the dashboard session's user is loaded from the
database again once their data version moved (deactivating an account advances it) or after
MAX_AGE_SECONDS. The session and its idle limit are checked on every request, and a page that
records views in the audit log records every one, cached or not. Admins are never served from
the cache (their PHI access is a break-glass grant that ends at any moment). Entries stay in
the web process's memory: PHI never goes to Redis.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Request, Response
from litestar.enums import MediaType
from litestar.response import Template
from litestar.utils.scope.state import ScopeState

from core.access import Actor, load_actor
from core.events import EventPublisher

MAX_AGE_SECONDS = 10.0
MAX_BYTES = 64 * 1024 * 1024  # of pages kept per process; the least recently used go first
VERSION_STATE_KEY = "tb_data_version"  # read once per request

ContextLoader = Callable[[], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class _Entry:
    value: Any  # a page's bytes, or an Actor
    stored_at: float


class PageCache:
    def __init__(
        self,
        events: EventPublisher,
        *,
        max_age: float = MAX_AGE_SECONDS,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self._events = events
        self._max_age = max_age
        self._max_bytes = max_bytes
        self._bytes = 0
        self._entries: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
        self._rendering: dict[tuple[Any, ...], asyncio.Future[_Entry]] = {}

    async def page(
        self, request: Request, actor: Actor, template_name: str, load_context: ContextLoader
    ) -> Response[bytes]:
        """The template rendered with what `load_context` returns, or the same page as last
        rendered for this browser if the actor's data has not changed since."""
        if actor.is_admin:
            return Response(
                _render(request, template_name, await load_context()), media_type=MediaType.HTML
            )
        version = await self._version(request, actor.id)
        # The browser's CSRF token is part of every full page, so it is part of the key.
        csrf_token = ScopeState.from_scope(request.scope).csrf_token
        key = (actor.id, csrf_token, template_name, request.url.path, request.url.query, version)
        entry = self._fresh(key) or await self._render_once(
            key, request, template_name, load_context
        )
        return Response(entry.value, media_type=MediaType.HTML)

    async def actor(self, request: Request, user_id: UUID) -> Actor | None:
        """The active user behind a dashboard session, as loaded at their data version."""
        key = ("actor", user_id, await self._version(request, user_id))
        entry = self._fresh(key)
        if entry is not None:
            return entry.value
        loaded_at = time.monotonic()
        actor = await load_actor(user_id)
        if actor is not None and not actor.is_admin:
            self._store(key, _Entry(actor, loaded_at))
        return actor

    async def _version(self, request: Request, user_id: UUID) -> int:
        state = request.scope.setdefault("state", {})
        if VERSION_STATE_KEY not in state:
            state[VERSION_STATE_KEY] = await self._events.data_version(user_id)
        return state[VERSION_STATE_KEY]

    def _fresh(self, key: tuple[Any, ...]) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is None or time.monotonic() - entry.stored_at > self._max_age:
            return None
        self._entries.move_to_end(key)
        return entry

    async def _render_once(
        self,
        key: tuple[Any, ...],
        request: Request,
        template_name: str,
        load_context: ContextLoader,
    ) -> _Entry:
        """Render the page; requests for the same page meanwhile wait for this rendering
        instead of each doing the same work."""
        rendering = self._rendering.get(key)
        if rendering is not None:
            try:
                return await asyncio.shield(rendering)
            except asyncio.CancelledError:
                if not rendering.cancelled():
                    raise  # this request was cancelled
                # the request rendering it went away: render here
            return await self._render_once(key, request, template_name, load_context)
        rendering = asyncio.get_running_loop().create_future()
        self._rendering[key] = rendering
        try:
            started = time.monotonic()
            body = _render(request, template_name, await load_context())
            entry = self._store(key, _Entry(body, started))
            rendering.set_result(entry)
            return entry
        except Exception as error:
            rendering.set_exception(error)
            rendering.exception()  # retrieved: no "never retrieved" warning when none waits
            raise
        except BaseException:
            rendering.cancel()
            raise
        finally:
            del self._rendering[key]

    def _store(self, key: tuple[Any, ...], entry: _Entry) -> _Entry:
        replaced = self._entries.pop(key, None)
        self._bytes += _size(entry) - (_size(replaced) if replaced else 0)
        self._entries[key] = entry
        while self._bytes > self._max_bytes and len(self._entries) > 1:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= _size(evicted)
        return entry

    def __len__(self) -> int:
        return len(self._entries)


def _size(entry: _Entry) -> int:
    return len(entry.value) if isinstance(entry.value, bytes) else 256  # an Actor: small


def _render(request: Request, template_name: str, context: dict[str, Any]) -> bytes:
    engine = request.app.template_engine
    assert engine is not None  # configured in create_app
    template = Template(template_name=template_name, context=context)
    html: str = engine.get_template(template_name).render(
        **template.create_template_context(request)
    )
    return html.encode()

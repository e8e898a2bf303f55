"""The dashboard's server-side sessions: the data lives in Redis, the cookie holds a random id.

Two changes to Litestar's server-side backend:
- nothing is stored, and no cookie set, for a visitor who has not signed in;
- a handler that signs someone in marks the session (ROTATE_KEY), and the backend then stores
  it under a fresh id and drops the old one, so an id planted before sign-in (session
  fixation) never becomes a signed-in session;
- a session that a request left as it was loaded is not written back (web.auth moves the
  activity mark on only every few seconds), which saves a Redis write per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.redis import RedisStore
from litestar.types import Empty, Message, ScopeSession

from core.infra.redis import connect_redis
from core.settings import Settings

SESSION_STORE = "sessions"
SESSION_COOKIE = "tb_session"
ROTATE_KEY = "_rotate"
NEW_ID_KEY = "tb_new_session_id"
LOADED_KEY = "tb_loaded_session"
IDLE_MARGIN_SECONDS = 60  # Redis keeps a session a little past the idle limit, then drops it


class DashboardSessionBackend(ServerSideSessionBackend):
    def get_session_id(self, connection: ASGIConnection) -> str:
        rotated = connection.scope.get(NEW_ID_KEY)
        return rotated if isinstance(rotated, str) else super().get_session_id(connection)

    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        data = await super().load_from_connection(connection)
        connection.scope[LOADED_KEY] = dict(data)  # type: ignore[literal-required]
        return data

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection
    ) -> None:
        has_cookie = connection.cookies.get(self.config.key) not in (None, "", "null")
        if scope_session is Empty or not scope_session:
            if has_cookie:  # signed out, or the session ran out: drop data and cookie
                await super().store_in_message(Empty, message, connection)
            return
        if isinstance(scope_session, dict) and scope_session.pop(ROTATE_KEY, False):
            if has_cookie:
                store = self.config.get_store_from_app(connection.scope["app"])
                await self.delete(connection.cookies[self.config.key], store=store)
            connection.scope[NEW_ID_KEY] = self.generate_session_id()  # type: ignore[literal-required]
        elif has_cookie and scope_session == connection.scope.get(LOADED_KEY):
            return
        await super().store_in_message(scope_session, message, connection)


@dataclass
class DashboardSessionConfig(ServerSideSessionConfig):
    _backend_class = DashboardSessionBackend


def session_config(settings: Settings) -> DashboardSessionConfig:
    return DashboardSessionConfig(
        key=SESSION_COOKIE,
        store=SESSION_STORE,
        max_age=settings.session_idle_minutes * 60 + IDLE_MARGIN_SECONDS,
        secure=cookies_are_secure(settings),
        httponly=True,
        samesite="lax",
        exclude=["^/static/", "^/health"],
    )


def session_store(settings: Settings) -> RedisStore:
    return RedisStore(
        connect_redis(settings.redis_url or ""),
        namespace=f"{settings.redis_prefix}:web:session",
        handle_client_shutdown=True,
    )


def cookies_are_secure(settings: Settings) -> bool:
    """Secure cookies whenever the dashboard is reached over HTTPS, and always in production."""
    return settings.is_production or settings.public_url.startswith("https://")


async def load_session(app: Litestar, session_id: str) -> dict[str, Any] | None:
    """The stored session data, or None once it was signed out or ran out."""
    store = app.stores.get(SESSION_STORE)
    data = await store.get(session_id)
    return ServerSideSessionBackend.deserialize_data(data) if data else None

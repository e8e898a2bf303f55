"""Route layers the app builds from its settings."""

from __future__ import annotations

from litestar import Controller, Router

from core.settings import Settings


def upload_router(controller: type[Controller], settings: Settings) -> Router:
    """A controller whose routes take a recording as the body: up to MAX_UPLOAD_MB instead of
    the app's JSON limit (a layer's limit applies to every route below it)."""
    return Router(
        path="/", route_handlers=[controller], request_max_body_size=settings.max_upload_bytes
    )

"""The dashboard: server-rendered pages that HTMX updates in place, and their live stream."""

from litestar import Router
from litestar.di import Provide

from core.settings import Settings
from web.auth import provide_actor, provide_origin
from web.live import live_events
from web.pages.audit import AuditLogController
from web.pages.errors import PAGE_EXCEPTION_HANDLERS
from web.pages.exports import ExportPageController
from web.pages.home import HomeController
from web.pages.notes import NoteController
from web.pages.patients import PatientController
from web.pages.sessions import SessionController
from web.pages.settings import SettingsController
from web.pages.signin import SignInController
from web.pages.upload import UploadController
from web.routing import upload_router

# Pages show PHI: never cached, never framed, and only this site's own scripts and styles.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def pages_router(settings: Settings) -> Router:
    """The pages; the upload page's route takes bodies up to MAX_UPLOAD_MB."""
    return Router(
        path="/",
        route_handlers=[
            SignInController,
            HomeController,
            PatientController,
            upload_router(UploadController, settings),
            SessionController,
            NoteController,
            ExportPageController,
            AuditLogController,
            SettingsController,
            live_events,
        ],
        dependencies={
            "actor": Provide(provide_actor),
            "origin": Provide(provide_origin, sync_to_thread=False),
        },
        exception_handlers=PAGE_EXCEPTION_HANDLERS,
        response_headers=SECURITY_HEADERS,
        include_in_schema=False,
    )

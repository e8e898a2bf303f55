"""The JSON API under /api/v1."""

from litestar import Router
from litestar.di import Provide

from core.settings import Settings
from web.api.admin import AdminController
from web.api.exports import ExportController
from web.api.notes import NoteController
from web.api.patients import GoalController, PatientController
from web.api.schedules import ScheduleController
from web.api.sessions import SessionController
from web.api.templates import TemplateController
from web.api.uploads import UploadController
from web.auth import provide_actor, provide_origin
from web.routing import upload_router


def api_router(settings: Settings) -> Router:
    """The API; the upload route takes bodies up to MAX_UPLOAD_MB."""
    return Router(
        path="/api/v1",
        route_handlers=[
            AdminController,
            ExportController,
            GoalController,
            NoteController,
            PatientController,
            ScheduleController,
            SessionController,
            TemplateController,
            upload_router(UploadController, settings),
        ],
        dependencies={
            "actor": Provide(provide_actor),
            "origin": Provide(provide_origin, sync_to_thread=False),
        },
        security=[{"BearerToken": []}],
    )

"""The JSON API under /api/v1."""

from litestar import Router
from litestar.di import Provide

from web.api.admin import AdminController
from web.api.exports import ExportController
from web.api.notes import NoteController
from web.api.patients import GoalController, PatientController
from web.api.schedules import ScheduleController
from web.api.sessions import SessionController
from web.api.templates import TemplateController
from web.auth import provide_actor, provide_origin

api_router = Router(
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
    ],
    dependencies={
        "actor": Provide(provide_actor),
        "origin": Provide(provide_origin, sync_to_thread=False),
    },
    security=[{"BearerToken": []}],
)

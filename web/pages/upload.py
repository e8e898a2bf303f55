"""Uploading a session recording: the page, and the route its script streams the file to."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.plugins.htmx import HTMXTemplate
from litestar.status_codes import HTTP_201_CREATED

from core.access import Actor
from core.audit import RequestOrigin
from core.dashboard import session_row
from core.errors import Invalid
from core.infra.runtime import Runtime
from core.patients import patient_choices
from core.sessions.service import SessionService


def session_moment(value: str | None, zone: ZoneInfo) -> datetime | None:
    """A `datetime-local` form value, read in the clinic's time zone ('' means now)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid("the session date and time are not valid") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(UTC)


class UploadController(Controller):
    path = "/upload"
    include_in_schema = False

    @get(name="upload")
    async def page(
        self,
        actor: NamedDependency[Actor],
        runtime: NamedDependency[Runtime],
        patient_id: FromQuery[UUID | None] = None,
    ) -> HTMXTemplate:
        context = {
            "actor": actor,
            "nav": "upload",
            "patients": await patient_choices(actor),
            "selected": patient_id,
            "max_upload_mb": runtime.settings.max_upload_mb,
        }
        return HTMXTemplate(template_name="upload.html", context=context)

    @post("/audio")  # its body limit (MAX_UPLOAD_MB) is set by the router create_app builds
    async def audio(
        self,
        request: Request,
        patient_id: FromQuery[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        runtime: NamedDependency[Runtime],
        session_date: FromQuery[str | None] = None,
    ) -> HTMXTemplate:
        """The raw file as the body (the page's script sends it with upload progress)."""
        sessions = SessionService(runtime)
        zone = ZoneInfo(runtime.settings.clinic_timezone)
        created = await sessions.upload(
            actor,
            patient_id,
            request.stream(),
            session_date=session_moment(session_date, zone),
            origin=origin,
        )
        session = await session_row(actor, created.id)
        return HTMXTemplate(
            template_name="sessions/_pipeline.html",
            context={"session": session},
            status_code=HTTP_201_CREATED,
        )

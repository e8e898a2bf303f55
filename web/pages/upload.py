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
from core.patients import patient_choices
from core.sessions.upload import upload_session_audio
from core.settings import get_settings
from web.state import Resources

MEGABYTE = 1024 * 1024


def session_moment(value: str | None, zone: ZoneInfo) -> datetime | None:
    """A `datetime-local` form value, read in the clinic's time zone ('' means now)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("the session date and time are not valid") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(UTC)


class UploadController(Controller):
    path = "/upload"
    include_in_schema = False

    @get(name="upload")
    async def page(
        self,
        actor: NamedDependency[Actor],
        resources: NamedDependency[Resources],
        patient_id: FromQuery[UUID | None] = None,
    ) -> HTMXTemplate:
        context = {
            "actor": actor,
            "nav": "upload",
            "patients": await patient_choices(actor),
            "selected": patient_id,
            "max_upload_mb": resources.settings.max_upload_mb,
        }
        return HTMXTemplate(template_name="upload.html", context=context)

    @post(
        "/audio",
        request_max_body_size=get_settings().max_upload_mb * MEGABYTE,
    )
    async def audio(
        self,
        request: Request,
        patient_id: FromQuery[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        resources: NamedDependency[Resources],
        session_date: FromQuery[str | None] = None,
    ) -> HTMXTemplate:
        """The raw file as the body (the page's script sends it with upload progress)."""
        settings = resources.settings
        created = await upload_session_audio(
            actor,
            patient_id,
            request.stream(),
            session_date=session_moment(session_date, ZoneInfo(settings.clinic_timezone)),
            max_bytes=settings.max_upload_mb * MEGABYTE,
            storage=resources.storage,
            queue=resources.queue,
            events=resources.events,
            origin=origin,
        )
        session = await session_row(actor, created["id"])
        return HTMXTemplate(
            template_name="sessions/_pipeline.html",
            context={"session": session},
            status_code=HTTP_201_CREATED,
        )

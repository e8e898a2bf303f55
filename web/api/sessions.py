"""Session endpoints: upload a recording, list sessions, read one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, Parameter
from litestar.status_codes import HTTP_202_ACCEPTED
from pydantic import BaseModel

from core.access import Actor
from core.audit import RequestOrigin
from core.enums import SessionStatus
from core.extracted_notes import ExtractedNotes, RiskFlag, TranscriptSegment
from core.sessions import queries
from core.sessions.upload import upload_session_audio
from core.settings import get_settings
from web.state import Resources

MEGABYTE = 1024 * 1024


class UploadedSession(BaseModel):
    id: UUID
    status: SessionStatus
    audio_format: str
    duration_seconds: int
    audio_sha256: str


class SessionSummary(BaseModel):
    id: UUID
    patient_id: UUID
    therapist_id: UUID
    session_date: datetime
    status: SessionStatus
    progress: int
    duration_seconds: int | None
    error_message: str | None
    created_at: datetime
    processed_at: datetime | None


class SessionDetail(SessionSummary):
    language: str | None
    transcript_text: str | None
    transcript_segments: list[TranscriptSegment] | None
    extracted_notes: ExtractedNotes | None
    risk_flags: list[RiskFlag] | None
    therapist_summary: str | None
    patient_summary: str | None


class SessionPage(BaseModel):
    items: list[SessionSummary]
    page: int
    per_page: int
    total: int


class SessionController(Controller):
    path = "/sessions"
    tags = ["sessions"]

    @post(
        "/upload",
        status_code=HTTP_202_ACCEPTED,
        summary="Upload a session recording (raw audio body)",
        description=(
            "Send the audio file itself as the request body (wav, mp3, m4a, ogg/opus, webm or "
            "flac; checked by decoding, not by name). The session is created `uploading` and "
            "processed in the background."
        ),
        request_max_body_size=get_settings().max_upload_mb * MEGABYTE,
    )
    async def upload(
        self,
        request: Request,
        patient_id: FromQuery[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        resources: NamedDependency[Resources],
        session_date: FromQuery[datetime | None] = None,
    ) -> UploadedSession:
        settings = resources.settings
        created = await upload_session_audio(
            actor,
            patient_id,
            request.stream(),
            session_date=session_date,
            max_bytes=settings.max_upload_mb * MEGABYTE,
            storage=resources.storage,
            queue=resources.queue,
            events=resources.events,
            origin=origin,
        )
        return UploadedSession(**created)

    @get(summary="Sessions of your patients, newest first")
    async def list_sessions(
        self,
        actor: NamedDependency[Actor],
        patient_id: FromQuery[UUID | None] = None,
        status: FromQuery[SessionStatus | None] = None,
        start_date: FromQuery[date | None] = None,
        end_date: FromQuery[date | None] = None,
        page: Annotated[int, Parameter(ge=1, le=10_000)] = 1,
        per_page: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> SessionPage:
        rows, total = await queries.list_sessions(
            actor,
            patient_id=patient_id,
            status=status,
            start=start_date,
            end=end_date,
            page=page,
            per_page=per_page,
        )
        return SessionPage(
            items=[SessionSummary(**r) for r in rows], page=page, per_page=per_page, total=total
        )

    @get("/{session_id:uuid}", summary="One session with transcript and extracted notes")
    async def get_session(
        self,
        session_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> SessionDetail:
        return SessionDetail(**await queries.view_session(actor, session_id, origin))

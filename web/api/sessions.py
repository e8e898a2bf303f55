"""Session endpoints: list sessions, read one (uploads are in uploads.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, Parameter
from pydantic import BaseModel

from core.access import Actor
from core.audit import RequestOrigin
from core.enums import SessionStatus
from core.extracted_notes import ExtractedNotes, RiskFlag, TranscriptSegment
from core.sessions import queries

MEGABYTE = 1024 * 1024


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

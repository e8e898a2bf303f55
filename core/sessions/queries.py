"""Reading sessions for the people allowed to see them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from piccolo.custom_types import Combinable

from core import audit
from core.access import Actor, patient_ids_of, require_patient, require_session
from core.audit import RequestOrigin
from core.enums import AuditAction, SessionStatus
from core.errors import Invalid
from core.tables import TherapySession

SUMMARY_FIELDS = (
    TherapySession.id,
    TherapySession.patient_id,
    TherapySession.therapist_id,
    TherapySession.session_date,
    TherapySession.status,
    TherapySession.progress,
    TherapySession.duration_seconds,
    TherapySession.error_message,
    TherapySession.created_at,
    TherapySession.processed_at,
)


async def list_sessions(
    actor: Actor,
    *,
    patient_id: UUID | None = None,
    status: SessionStatus | None = None,
    start: date | None = None,
    end: date | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[dict[str, Any]], int]:
    if start and end and end < start:
        raise Invalid("end date is before start date")
    if patient_id is not None:
        await require_patient(actor, patient_id)
        where: Combinable = TherapySession.patient_id == patient_id
    else:
        where = TherapySession.patient_id.is_in(await patient_ids_of(actor) or [UUID(int=0)])
    if status is not None:
        where &= TherapySession.status == status
    if start is not None:
        where &= TherapySession.session_date >= datetime.combine(start, time.min, UTC)
    if end is not None:
        where &= TherapySession.session_date < datetime.combine(
            end + timedelta(days=1), time.min, UTC
        )
    total = await TherapySession.count().where(where)
    rows = (
        await TherapySession.select(*SUMMARY_FIELDS)
        .where(where)
        .order_by(TherapySession.session_date, ascending=False)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return rows, total


async def view_session(actor: Actor, session_id: UUID, origin: RequestOrigin) -> dict[str, Any]:
    """The whole session (transcript and notes included); the view is audited."""
    await require_session(actor, session_id)
    row = (
        await TherapySession.select(
            *SUMMARY_FIELDS,
            TherapySession.transcript_text,
            TherapySession.transcript_segments,
            TherapySession.extracted_notes,
            TherapySession.risk_flags,
            TherapySession.therapist_summary,
            TherapySession.patient_summary,
            TherapySession.language,
            TherapySession.audio_format,
        )
        .where(TherapySession.id == session_id)
        .output(load_json=True)
        .first()
    )
    assert row is not None
    await audit.record(
        AuditAction.viewed,
        user_id=actor.id,
        patient_id=row["patient_id"],
        origin=origin,
        resource_type="session",
        resource_id=session_id,
    )
    return row


async def session_outcome(session_id: UUID) -> dict[str, Any] | None:
    """What a notifier tells of a session that ended: therapist, patient, status, risk flags."""
    row: dict[str, Any] | None = (
        await TherapySession.select(
            TherapySession.therapist_id,
            TherapySession.patient_id,
            TherapySession.status,
            TherapySession.risk_flags,
        )
        .where(TherapySession.id == session_id)
        .output(load_json=True)
        .first()
    )
    return row

"""What the dashboard shows at a glance: the day's sessions, work in flight, notes awaiting a
signature, risk alerts, and one patient's session timeline.

Reads only; each query is bounded (a day, a limit or a page) so a page costs the same for a
clinic with ten sessions as for one with ten thousand.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from piccolo.columns.combination import WhereRaw

from core.access import Actor, require_patient, require_session
from core.enums import ExportStatus, NoteStatus, SessionStatus
from core.errors import NotFound
from core.extracted_notes import RiskFlag, Severity
from core.patients import reachable_patient_ids
from core.tables import ClinicalNote, ExportJob, TherapySession

IN_FLIGHT_LIMIT = 20
LIST_LIMIT = 50
PIPELINE_STAGES = (
    SessionStatus.uploading,
    SessionStatus.transcribing,
    SessionStatus.transcribed,
    SessionStatus.extracting_notes,
)
SEVERITY_ORDER = {Severity.low: 0, Severity.medium: 1, Severity.high: 2}

SESSION_ROW = (
    TherapySession.id,
    TherapySession.patient_id,
    TherapySession.patient_id.full_name.as_alias("patient_name"),
    TherapySession.therapist_id,
    TherapySession.session_date,
    TherapySession.status,
    TherapySession.progress,
    TherapySession.duration_seconds,
    TherapySession.error_message,
    TherapySession.created_at,
)


async def session_row(actor: Actor, session_id: UUID) -> dict[str, Any]:
    """One session's state as a list row shows it (status, progress, patient)."""
    await require_session(actor, session_id)
    row = await TherapySession.select(*SESSION_ROW).where(TherapySession.id == session_id).first()
    if row is None:
        raise NotFound("session")
    return row


async def sessions_between(actor: Actor, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """The sessions the actor holds in [start, end), earliest first."""
    return (
        await TherapySession.select(*SESSION_ROW)
        .where(
            (TherapySession.therapist_id == actor.id)
            & (TherapySession.session_date >= start)
            & (TherapySession.session_date < end)
        )
        .order_by(TherapySession.session_date)
        .limit(LIST_LIMIT)
    )


async def sessions_in_flight(actor: Actor) -> list[dict[str, Any]]:
    """The actor's sessions still going through the pipeline, newest upload first."""
    return (
        await TherapySession.select(*SESSION_ROW)
        .where(
            (TherapySession.therapist_id == actor.id)
            & TherapySession.status.is_in(list(PIPELINE_STAGES))
        )
        .order_by(TherapySession.created_at, ascending=False)
        .limit(IN_FLIGHT_LIMIT)
    )


async def exports_in_flight(actor: Actor) -> list[dict[str, Any]]:
    """The actor's export jobs waiting or running, newest first."""
    return (
        await ExportJob.select(
            ExportJob.id,
            ExportJob.export_type,
            ExportJob.format,
            ExportJob.status,
            ExportJob.created_at,
            ExportJob.patient_id.full_name.as_alias("patient_name"),
        )
        .where(
            (ExportJob.user_id == actor.id)
            & ExportJob.status.is_in([ExportStatus.pending, ExportStatus.processing])
        )
        .order_by(ExportJob.created_at, ascending=False)
        .limit(IN_FLIGHT_LIMIT)
    )


async def unsigned_notes(actor: Actor) -> list[dict[str, Any]]:
    """Draft notes of sessions the actor held (theirs to sign), oldest session first."""
    session = ClinicalNote.session_id
    return (
        await ClinicalNote.select(
            ClinicalNote.id,
            ClinicalNote.template,
            ClinicalNote.session_id,
            session.session_date.as_alias("session_date"),
            session.patient_id.full_name.as_alias("patient_name"),  # type: ignore[union-attr]
        )
        .where((ClinicalNote.status == NoteStatus.draft) & (session.therapist_id == actor.id))
        .order_by(session.session_date)
        .limit(LIST_LIMIT)
    )


async def risk_alerts(actor: Actor, since: datetime) -> list[dict[str, Any]]:
    """Sessions of the actor's patients processed since `since` with risk flags, the most
    severe first; each row lists its flags (type, severity, evidence)."""
    rows = (
        await TherapySession.select(
            TherapySession.id,
            TherapySession.patient_id,
            TherapySession.patient_id.full_name.as_alias("patient_name"),
            TherapySession.session_date,
            TherapySession.risk_flags,
        )
        .where(
            TherapySession.patient_id.is_in(reachable_patient_ids(actor))
            & (TherapySession.processed_at >= since)
            & WhereRaw("jsonb_array_length(coalesce(risk_flags, '[]'::jsonb)) > 0")
        )
        .order_by(TherapySession.session_date, ascending=False)
        .limit(LIST_LIMIT)
        .output(load_json=True)
    )
    for row in rows:
        flags = [RiskFlag.model_validate(flag) for flag in row["risk_flags"]]
        row["risk_flags"] = sorted(flags, key=lambda f: -SEVERITY_ORDER[f.severity])
        row["severity"] = row["risk_flags"][0].severity
    return sorted(rows, key=lambda row: -SEVERITY_ORDER[row["severity"]])


async def patient_timeline(
    actor: Actor, patient_id: UUID, *, page: int = 1, per_page: int = 20
) -> tuple[list[dict[str, Any]], int]:
    """The patient's sessions, newest first, each with its notes' states and risk flag count."""
    await require_patient(actor, patient_id)
    where = TherapySession.patient_id == patient_id
    total = await TherapySession.count().where(where)
    rows = (
        await TherapySession.select(
            *SESSION_ROW,
            TherapySession.risk_flags,
        )
        .where(where)
        .order_by(TherapySession.session_date, ascending=False)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .output(load_json=True)
    )
    notes = await note_states([row["id"] for row in rows])
    for row in rows:
        row["risk_count"] = len(row.pop("risk_flags") or [])
        row["notes"] = notes.get(row["id"], [])
    return rows, total


async def note_states(session_ids: list[UUID]) -> dict[UUID, list[dict[str, Any]]]:
    """The current note of each (session, template): its id, template and status."""
    if not session_ids:
        return {}
    rows = (
        await ClinicalNote.select(
            ClinicalNote.id, ClinicalNote.session_id, ClinicalNote.template, ClinicalNote.status
        )
        .where(
            ClinicalNote.session_id.is_in(session_ids) & (ClinicalNote.status != NoteStatus.amended)
        )
        .order_by(ClinicalNote.template)
    )
    states: dict[UUID, list[dict[str, Any]]] = {}
    for row in rows:
        states.setdefault(row["session_id"], []).append(row)
    return states

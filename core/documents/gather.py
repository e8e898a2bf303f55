"""Data gathering: the document contexts, read from PostgreSQL in a fixed number of queries.

Every function reads each table once (joins through piccolo's foreign-key paths, `IN` lookups
for the rest), so the query count does not grow with the number of sessions, goals or notes.
Only `processed` sessions are exported. What the database does not hold stays None and prints
"Not recorded"; nothing is filled in.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol
from uuid import UUID

from core.documents.context import (
    ClinicalNoteRecord,
    Clinician,
    DocumentContext,
    FullRecordContext,
    GoalProgress,
    MeasureReading,
    Person,
    ProgressReportContext,
    SessionNotesContext,
    SessionRecord,
    Transcript,
    TreatmentData,
    TreatmentSummaryContext,
)
from core.documents.errors import DocumentError
from core.enums import (
    ExportType,
    GoalDirection,
    GoalStatus,
    NoteStatus,
    NoteTemplate,
    Relationship,
    Role,
    SessionStatus,
)
from core.extracted_notes import ExtractedNotes, TranscriptSegment
from core.goals import progress_percentage
from core.notes.templates import TEMPLATE_FIELDS
from core.tables import (
    ClinicalNote,
    GoalMeasurement,
    MeasureScore,
    TherapistPatient,
    TherapySession,
    TreatmentGoal,
    User,
)
from core.treatment.plans import treatment_plan

# Notes as each document shows them: current versions in session notes; in the full record,
# everything that was ever signed (superseded versions included, marked as such).
SESSION_NOTE_STATUSES = (NoteStatus.draft, NoteStatus.signed)
FULL_RECORD_NOTE_STATUSES = (NoteStatus.signed, NoteStatus.amended)


class DocumentDataError(DocumentError):
    """The data asked for is missing or cannot make one document; the message holds ids at
    most, never PHI. What the requester may not reach is reported as not found."""


class ExportScope(Protocol):
    """What an export request says about the data it covers (core.exports.ExportRequest)."""

    export_type: ExportType
    patient_id: UUID | None
    session_ids: list[UUID]
    start_date: date | None
    end_date: date | None
    include_sections: dict[str, bool]


async def gather_context(scope: ExportScope, requester_id: UUID | None = None) -> DocumentContext:
    """The context an export request describes, with its include_sections applied."""
    context: DocumentContext
    if scope.export_type is ExportType.session_notes:
        context = await gather_session_notes(scope.session_ids, requester_id)
    else:
        if scope.patient_id is None:
            raise DocumentDataError(f"a {scope.export_type.value} needs a patient")
        if scope.export_type is ExportType.progress_report:
            if scope.start_date is None or scope.end_date is None:
                raise DocumentDataError("a progress report needs a start and an end date")
            context = await gather_progress_report(
                scope.patient_id, scope.start_date, scope.end_date
            )
        elif scope.export_type is ExportType.treatment_summary:
            context = await gather_treatment_summary(scope.patient_id)
        else:
            context = await gather_full_record(scope.patient_id)
    return context.with_sections(scope.include_sections)


async def gather_session_notes(
    session_ids: list[UUID], requester_id: UUID | None = None
) -> SessionNotesContext:
    """Chosen sessions of one patient, with transcripts and their current clinical notes.

    With a requester, they must be linked to the patient (primary or secondary) and are named
    as the preparer; otherwise the primary therapist is.
    """
    if not session_ids:
        raise DocumentDataError("no sessions were chosen")
    rows = await _session_rows(TherapySession.id.is_in(list(session_ids)), with_transcript=True)
    missing = set(session_ids) - {row["id"] for row in rows}
    if missing:
        raise DocumentDataError(f"session(s) not found: {', '.join(sorted(map(str, missing)))}")
    unprocessed = [str(row["id"]) for row in rows if row["status"] != SessionStatus.processed]
    if unprocessed:
        raise DocumentDataError(f"session(s) not processed yet: {', '.join(unprocessed)}")
    patients = {row["patient_id"] for row in rows}
    if len(patients) > 1:
        raise DocumentDataError("session notes cover the sessions of one patient at a time")
    patient_id = patients.pop()
    if requester_id is None:
        patient, therapist = await _patient_and_primary_therapist(patient_id)
    else:
        patient, therapist = await _patient_and_requester(patient_id, requester_id)
    notes = await _clinical_notes(
        ClinicalNote.session_id.is_in(list(session_ids)), SESSION_NOTE_STATUSES
    )
    return SessionNotesContext(
        patient=patient,
        therapist=therapist,
        sessions=[_session(row) for row in rows],
        clinical_notes=notes,
    )


async def gather_progress_report(patient_id: UUID, start: date, end: date) -> ProgressReportContext:
    """Processed sessions from `start` to `end` (both included), goals and measures."""
    if end < start:
        raise DocumentDataError("the period ends before it starts")
    patient, therapist = await _patient_and_primary_therapist(patient_id)
    after, before = _day_start(start), _day_start(end + timedelta(days=1))
    rows = await _session_rows(
        _processed_sessions_of(patient_id)
        & (TherapySession.session_date >= after)
        & (TherapySession.session_date < before),
        with_transcript=False,
    )
    return ProgressReportContext(
        patient=patient,
        therapist=therapist,
        start_date=start,
        end_date=end,
        sessions=[_session(row) for row in rows],
        goals=await _goals(patient_id, until=before),
        measures=await _measures(patient_id, after=after, before=before),
    )


async def gather_treatment_summary(patient_id: UUID) -> TreatmentSummaryContext:
    patient, therapist = await _patient_and_primary_therapist(patient_id)
    rows = await _session_rows(_processed_sessions_of(patient_id), with_transcript=False)
    sessions = [_session(row) for row in rows]
    # The therapist's treatment plan where one is recorded; otherwise what the sessions show
    # (complaints: the first session's topics); anything else prints "Not recorded".
    plan = await treatment_plan(patient_id)
    first_day = sessions[0].session_date.date() if sessions else None
    treatment = TreatmentData(
        treatment_type=plan.treatment_type if plan else None,
        started_on=(plan.started_on if plan else None) or first_day,
        latest_session_on=sessions[-1].session_date.date() if sessions else None,
        primary_complaints=(plan.presenting_complaints if plan else [])
        or (sessions[0].key_topics if sessions else []),
        diagnoses=plan.diagnoses if plan else [],
        current_status=plan.current_status.value.replace("_", " ") if plan else None,
        prognosis=plan.prognosis if plan else None,
        discharge_readiness=(
            plan.discharge_readiness.value.replace("_", " ")
            if plan and plan.discharge_readiness
            else None
        ),
    )
    return TreatmentSummaryContext(
        patient=patient,
        therapist=therapist,
        treatment=treatment,
        sessions=sessions,
        goals=await _goals(patient_id),
        measures=await _measures(patient_id),
    )


async def gather_full_record(patient_id: UUID) -> FullRecordContext:
    """Demographics, every processed session with its transcript, signed notes, goals."""
    patient, therapist = await _patient_and_primary_therapist(patient_id)
    rows = await _session_rows(_processed_sessions_of(patient_id), with_transcript=True)
    notes = await _clinical_notes(
        (ClinicalNote.session_id.patient_id == patient_id)
        & (ClinicalNote.session_id.status == SessionStatus.processed),
        FULL_RECORD_NOTE_STATUSES,
    )
    return FullRecordContext(
        patient=patient,
        therapist=therapist,
        sessions=[_session(row) for row in rows],
        clinical_notes=notes,
        goals=await _goals(patient_id),
        measures=await _measures(patient_id),
    )


# --- people ---

_PERSON_COLUMNS = (User.id, User.full_name, User.email, User.dob, User.phone, User.license)


async def _patient_and_primary_therapist(patient_id: UUID) -> tuple[Person, Clinician | None]:
    patient = (
        await User.select(*_PERSON_COLUMNS)
        .where((User.id == patient_id) & (User.role == Role.patient))
        .first()
    )
    if patient is None:
        raise DocumentDataError("patient not found")
    link = (
        await TherapistPatient.select(
            TherapistPatient.therapist_id.full_name.as_alias("full_name"),
            TherapistPatient.therapist_id.email.as_alias("email"),
            TherapistPatient.therapist_id.license.as_alias("license"),
        )
        .where(
            (TherapistPatient.patient_id == patient_id)
            & (TherapistPatient.relationship_type == Relationship.primary)
        )
        .first()
    )
    return _person(patient), _clinician(link) if link else None


async def _patient_and_requester(patient_id: UUID, requester_id: UUID) -> tuple[Person, Clinician]:
    linked = await TherapistPatient.exists().where(
        (TherapistPatient.patient_id == patient_id)
        & (TherapistPatient.therapist_id == requester_id)
    )
    if not linked:
        raise DocumentDataError("session(s) not found")  # ids cannot be probed
    rows = await User.select(*_PERSON_COLUMNS).where(User.id.is_in([patient_id, requester_id]))
    by_id = {row["id"]: row for row in rows}
    return _person(by_id[patient_id]), _clinician(by_id[requester_id])


def _person(row: dict[str, Any]) -> Person:
    return Person(
        full_name=row["full_name"], email=row["email"], dob=row["dob"], phone=row["phone"]
    )


def _clinician(row: dict[str, Any]) -> Clinician:
    return Clinician(full_name=row["full_name"], email=row["email"], license=row["license"])


# --- sessions and notes ---


def _processed_sessions_of(patient_id: UUID) -> Any:
    return (TherapySession.patient_id == patient_id) & (
        TherapySession.status == SessionStatus.processed
    )


async def _session_rows(where: Any, *, with_transcript: bool) -> list[dict[str, Any]]:
    columns = [
        TherapySession.id,
        TherapySession.patient_id,
        TherapySession.status,
        TherapySession.session_date,
        TherapySession.duration_seconds,
        TherapySession.therapist_id.full_name.as_alias("therapist_name"),
        TherapySession.therapist_summary,
        TherapySession.patient_summary,
        TherapySession.extracted_notes,
    ]
    if with_transcript:
        columns += [TherapySession.transcript_text, TherapySession.transcript_segments]
    return (
        await TherapySession.select(*columns)
        .where(where)
        .order_by(TherapySession.session_date)
        .output(load_json=True)
    )


def _session(row: dict[str, Any]) -> SessionRecord:
    transcript = None
    if "transcript_text" in row:
        transcript = Transcript(
            text=row["transcript_text"],
            segments=[
                TranscriptSegment.model_validate(s) for s in row["transcript_segments"] or []
            ],
        )
    seconds = row["duration_seconds"]
    return SessionRecord(
        id=row["id"],
        session_date=row["session_date"],
        duration_minutes=round(seconds / 60, 1) if seconds is not None else None,
        therapist_name=row["therapist_name"],
        therapist_summary=row["therapist_summary"],
        patient_summary=row["patient_summary"],
        extracted_notes=ExtractedNotes.model_validate(row["extracted_notes"])
        if row["extracted_notes"]
        else None,
        transcript=transcript,
    )


async def _clinical_notes(where: Any, statuses: tuple[NoteStatus, ...]) -> list[ClinicalNoteRecord]:
    rows = (
        await ClinicalNote.select(
            ClinicalNote.session_id,
            ClinicalNote.session_id.session_date.as_alias("session_date"),
            ClinicalNote.template,
            ClinicalNote.version,
            ClinicalNote.status,
            ClinicalNote.sections,
            ClinicalNote.signed_by_id.full_name.as_alias("signed_by"),
            ClinicalNote.signed_at,
            ClinicalNote.content_sha256,
            ClinicalNote.amendment_reason,
        )
        .where(where & ClinicalNote.status.is_in(list(statuses)))
        .order_by(ClinicalNote.session_id.session_date)
        .order_by(ClinicalNote.template)
        .order_by(ClinicalNote.version)
        .output(load_json=True)
    )
    return [
        ClinicalNoteRecord(
            **{
                **row,
                "sections": _in_template_order(NoteTemplate(row["template"]), row["sections"]),
            }
        )
        for row in rows
    ]


def _in_template_order(
    template: NoteTemplate, sections: dict[str, dict[str, str]]
) -> dict[str, dict[str, str]]:
    """Sections and fields in the template's order (JSONB does not keep key order)."""
    layout = TEMPLATE_FIELDS[template]

    def ordered(keys: dict[str, Any], reference: dict[str, Any]) -> list[str]:
        return [k for k in reference if k in keys] + [k for k in keys if k not in reference]

    return {
        section: {
            f: sections[section][f] for f in ordered(sections[section], layout.get(section, {}))
        }
        for section in ordered(sections, layout)
    }


# --- goals and measures ---


async def _goals(patient_id: UUID, until: datetime | None = None) -> list[GoalProgress]:
    """Each goal with its first and latest reading (up to `until`) and the progress between."""
    goals = (
        await TreatmentGoal.select(
            TreatmentGoal.id,
            TreatmentGoal.description,
            TreatmentGoal.direction,
            TreatmentGoal.status,
        )
        .where(TreatmentGoal.patient_id == patient_id)
        .order_by(TreatmentGoal.created_at)
    )
    readings = await GoalMeasurement.select(
        GoalMeasurement.goal_id,
        GoalMeasurement.value,
        GoalMeasurement.recorded_at,
        GoalMeasurement.session_id.session_date.as_alias("session_date"),
    ).where(GoalMeasurement.goal_id.patient_id == patient_id)
    by_goal: dict[UUID, list[tuple[datetime, str]]] = defaultdict(list)
    for reading in readings:
        # A reading taken in a session dates from the session, not from when it was stored.
        when = reading["session_date"] or reading["recorded_at"]
        if until is None or when < until:
            by_goal[reading["goal_id"]].append((when, reading["value"]))
    return [_goal_progress(goal, sorted(by_goal[goal["id"]])) for goal in goals]


def _goal_progress(goal: dict[str, Any], readings: list[tuple[datetime, str]]) -> GoalProgress:
    direction = GoalDirection(goal["direction"])
    baseline = readings[0] if readings else None
    current = readings[-1] if len(readings) > 1 else None
    return GoalProgress(
        description=goal["description"],
        status=GoalStatus(goal["status"]),
        direction=direction,
        baseline=baseline[1] if baseline else None,
        baseline_date=baseline[0].date() if baseline else None,
        current=current[1] if current else None,
        current_date=current[0].date() if current else None,
        progress_percentage=progress_percentage(baseline[1], current[1], direction)
        if baseline and current
        else None,
    )


async def _measures(
    patient_id: UUID, after: datetime | None = None, before: datetime | None = None
) -> list[MeasureReading]:
    where = MeasureScore.patient_id == patient_id
    if after is not None:
        where &= MeasureScore.recorded_at >= after
    if before is not None:
        where &= MeasureScore.recorded_at < before
    rows = await (
        MeasureScore.select(
            MeasureScore.instrument,
            MeasureScore.total,
            MeasureScore.severity,
            MeasureScore.recorded_at,
        )
        .where(where)
        .order_by(MeasureScore.recorded_at)
    )
    return [
        MeasureReading(
            instrument=row["instrument"],
            recorded_on=row["recorded_at"].date(),
            total=row["total"],
            severity=row["severity"],
        )
        for row in rows
    ]


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)

"""Data gathering: the document contexts, read from PostgreSQL in a fixed number of queries.

Every function reads each table once (joins through piccolo's foreign-key paths, `IN` lookups
for the rest), so the query count does not grow with the number of sessions, goals or notes.
Only `processed` sessions are exported. What the database does not hold stays None and prints
"Not recorded"; nothing is filled in.

A session is documented by its signed note when it has one (the latest signed, if several
templates are), else by its most recently edited draft, else by its automated extraction
(core.documents.documentation). With `signed_only`, sessions without a signed note are left
out — with their drafts and the goal readings taken in them — and counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol
from uuid import UUID

from piccolo.custom_types import Combinable

from core.documents.context import (
    ClinicalNoteRecord,
    Clinician,
    DocumentContext,
    FullRecordContext,
    GoalProgress,
    MeasureReading,
    NoteSource,
    Person,
    ProgressReportContext,
    SessionDocumentation,
    SessionNotesContext,
    SessionRecord,
    Transcript,
    TreatmentData,
    TreatmentSummaryContext,
)
from core.documents.documentation import document_session, note_record, note_rows
from core.documents.errors import DocumentError
from core.enums import (
    ExportType,
    GoalDirection,
    GoalStatus,
    Relationship,
    Role,
    SessionStatus,
)
from core.extracted_notes import TranscriptSegment
from core.tables import (
    GoalMeasurement,
    MeasureScore,
    TherapistPatient,
    TherapySession,
    TreatmentGoal,
    User,
)
from core.treatment.plans import treatment_plan
from core.treatment.progress import progress_percentage


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
    signed_only: bool


async def gather_context(scope: ExportScope, requester_id: UUID | None = None) -> DocumentContext:
    """The context an export request describes, with its include_sections applied."""
    context: DocumentContext
    signed_only = scope.signed_only
    if scope.export_type is ExportType.session_notes:
        context = await gather_session_notes(scope.session_ids, requester_id, signed_only)
    else:
        if scope.patient_id is None:
            raise DocumentDataError(f"a {scope.export_type.value} needs a patient")
        if scope.export_type is ExportType.progress_report:
            if scope.start_date is None or scope.end_date is None:
                raise DocumentDataError("a progress report needs a start and an end date")
            context = await gather_progress_report(
                scope.patient_id, scope.start_date, scope.end_date, signed_only
            )
        elif scope.export_type is ExportType.treatment_summary:
            context = await gather_treatment_summary(scope.patient_id, signed_only)
        else:
            context = await gather_full_record(scope.patient_id, signed_only)
    return context.with_sections(scope.include_sections)


async def gather_session_notes(
    session_ids: list[UUID], requester_id: UUID | None = None, signed_only: bool = False
) -> SessionNotesContext:
    """Chosen sessions of one patient, with transcripts and their clinical notes.

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
    documented = await _documented(rows, signed_only)
    return SessionNotesContext(patient=patient, therapist=therapist, **documented.fields())


async def gather_progress_report(
    patient_id: UUID, start: date, end: date, signed_only: bool = False
) -> ProgressReportContext:
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
    documented = await _documented(rows, signed_only)
    return ProgressReportContext(
        patient=patient,
        therapist=therapist,
        start_date=start,
        end_date=end,
        **documented.fields(),
        goals=await _goals(patient_id, until=before, left_out=documented.left_out),
        measures=await _measures(patient_id, after=after, before=before),
    )


async def gather_treatment_summary(
    patient_id: UUID, signed_only: bool = False
) -> TreatmentSummaryContext:
    patient, therapist = await _patient_and_primary_therapist(patient_id)
    rows = await _session_rows(_processed_sessions_of(patient_id), with_transcript=False)
    documented = await _documented(rows, signed_only)
    sessions = documented.sessions
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
        **documented.fields(),
        goals=await _goals(patient_id, left_out=documented.left_out),
        measures=await _measures(patient_id),
    )


async def gather_full_record(patient_id: UUID, signed_only: bool = False) -> FullRecordContext:
    """Demographics, every processed session with its transcript and notes, goals, measures."""
    patient, therapist = await _patient_and_primary_therapist(patient_id)
    rows = await _session_rows(_processed_sessions_of(patient_id), with_transcript=True)
    documented = await _documented(rows, signed_only)
    return FullRecordContext(
        patient=patient,
        therapist=therapist,
        **documented.fields(),
        goals=await _goals(patient_id, left_out=documented.left_out),
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


async def _documented(rows: list[dict[str, Any]], signed_only: bool) -> Documented:
    """The sessions with their documentation and notes; unsigned ones left out if asked."""
    notes = await note_rows([row["id"] for row in rows], signed_only)
    by_session: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    for note in notes:
        by_session[note["session_id"]].append(note)
    sessions, left_out = [], set()
    for row in rows:
        documentation = document_session(row["extracted_notes"], by_session[row["id"]])
        if signed_only and documentation.source is not NoteSource.signed:
            left_out.add(row["id"])
            continue
        sessions.append(_session(row, documentation))
    kept = [note for note in notes if note["session_id"] not in left_out]
    return Documented(sessions, [note_record(note) for note in kept], left_out, signed_only)


@dataclass(frozen=True)
class Documented:
    sessions: list[SessionRecord]
    clinical_notes: list[ClinicalNoteRecord]
    left_out: set[UUID]
    signed_only: bool

    def fields(self) -> dict[str, Any]:
        """The context fields these make."""
        return {
            "sessions": self.sessions,
            "clinical_notes": self.clinical_notes,
            "signed_only": self.signed_only,
            "unsigned_sessions_left_out": len(self.left_out),
        }


def _session(row: dict[str, Any], documentation: SessionDocumentation) -> SessionRecord:
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
        documentation=documentation,
        transcript=transcript,
    )


# --- goals and measures ---


async def _goals(
    patient_id: UUID, until: datetime | None = None, left_out: Collection[UUID] = ()
) -> list[GoalProgress]:
    """Each goal with its first and latest reading (up to `until`) and the progress between;
    readings taken in sessions the document leaves out are left out too."""
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
        GoalMeasurement.session_id,
        GoalMeasurement.value,
        GoalMeasurement.recorded_at,
        GoalMeasurement.session_id.session_date.as_alias("session_date"),
    ).where(GoalMeasurement.goal_id.patient_id == patient_id)
    by_goal: dict[UUID, list[tuple[datetime, str]]] = defaultdict(list)
    for reading in readings:
        # A reading taken in a session dates from the session, not from when it was stored.
        when = reading["session_date"] or reading["recorded_at"]
        if reading["session_id"] in left_out:
            continue
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
    where: Combinable = MeasureScore.patient_id == patient_id
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

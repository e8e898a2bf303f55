"""Treatment goals across sessions: set from extracted notes or by the therapist, read per session.

Readings are kept as they were said ("8/10", "4 hours", "better"). A goal's baseline is its
first reading and its current value the latest; progress is computed from the two when they sit
on one numeric scale (core.treatment.progress), and None otherwise. A session gives a goal at most one
reading (a unique index); a reading taken outside a session has none. Readings are ordered by the
moment they describe: the session's date, or the time they were recorded.

Goals are matched by their normalised description, so a goal mentioned again in a later session
gets a new reading, not a twin. Goal writes for one patient hold an advisory lock, so sessions
processed at the same time cannot create the same goal twice.
"""

import logging
import re
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from piccolo.columns import Column
from piccolo.engine.postgres import PostgresTransaction
from pydantic import BaseModel

from core import audit
from core.access import Actor, can_reach_patient, require_patient, require_role
from core.audit import SYSTEM_ORIGIN, RequestOrigin
from core.enums import AuditAction, GoalDirection, GoalStatus, Role
from core.errors import Invalid, NotFound
from core.extracted_notes import ExtractedGoal, ExtractedNotes
from core.notes.record import RecordedGoal
from core.tables import GoalMeasurement, TherapySession, TreatmentGoal
from core.treatment.period import day_of, period_bounds, within_period
from core.treatment.progress import infer_direction, parse_measurement, progress_percentage

logger = logging.getLogger(__name__)

GOAL_RESOURCE = "treatment_goal"
READING_RESOURCE = "goal_measurement"
MAX_DESCRIPTION_CHARS = 500
MAX_VALUE_CHARS = 100  # goal_measurements.value is varchar(100)


class GoalError(Invalid):
    """A goal or reading that cannot be stored as given; the message is fit for the requester."""


class GoalReading(BaseModel):
    session_id: UUID | None
    value: str
    recorded_at: datetime


class GoalProgressView(BaseModel):
    """One goal's progress. Fields shared with documents' `GoalProgress` keep its names."""

    id: UUID
    description: str
    status: GoalStatus
    direction: GoalDirection
    baseline: str | None
    baseline_date: date | None
    current: str | None
    current_date: date | None
    progress_percentage: float | None
    history: list[GoalReading]


def normalised(description: str) -> str:
    """What two wordings of one goal share: "Reduce anxiety." and "reduce  anxiety" match."""
    return " ".join(re.sub(r"[^\w\s]", " ", description.casefold()).split())


async def sync_goals_from_session(session_id: UUID) -> list[UUID]:
    """Record the goals a session's extracted notes mention; the ids of goals it created.

    A goal not seen before is created with its direction inferred from its wording. The
    session's reading of a goal is the `current` value it states, else its `baseline`; when a
    new goal states both, the baseline is kept as an earlier reading. Safe to run again.
    """
    session = await _session(session_id, TherapySession.extracted_notes)
    if session["extracted_notes"] is None:
        return []
    mentioned = ExtractedNotes.model_validate(session["extracted_notes"]).treatment_goals
    created: list[UUID] = []
    async with _transaction():
        await _lock_goals_of(session["patient_id"])
        goals = await _goal_ids_by_description(session["patient_id"])
        for extracted in mentioned:
            key = normalised(extracted.description)
            if not key:
                continue
            goal_id = goals.get(key)
            if goal_id is None:
                goal_id = await _create_from_session(session, extracted)
                goals[key] = goal_id
                created.append(goal_id)
            reading = extracted.current or extracted.baseline
            if reading:
                await _add_reading(
                    goal_id, session["patient_id"], reading, session["session_date"], session_id
                )
    return created


async def sync_goals_from_signed_note(
    actor: Actor, session_id: UUID, goals: list[RecordedGoal], origin: RequestOrigin
) -> None:
    """What a signed note states about goals becomes the record: a goal it names is created if
    new, and the reading it gives replaces the session's (extracted) reading. Readings of
    goals the note does not name are left alone: they may have been entered by hand."""
    if not goals:
        return
    session = await _session(session_id)
    patient_id: UUID = session["patient_id"]
    async with _transaction():
        await _lock_goals_of(patient_id)
        known = await _goal_ids_by_description(patient_id)
        for stated in goals:
            key = normalised(stated.description)
            if not key or len(stated.description) > MAX_DESCRIPTION_CHARS:
                continue
            goal_id = known.get(key)
            if goal_id is None:
                goal_id = await _create_from_session(
                    session, ExtractedGoal(description=stated.description)
                )
                known[key] = goal_id
            if stated.reading:
                await _set_session_reading(goal_id, session, stated.reading, actor, origin)


async def _set_session_reading(
    goal_id: UUID,
    session: dict[str, Any],
    value: str,
    actor: Actor,
    origin: RequestOrigin,
) -> None:
    try:
        value = _reading_value(value)
    except GoalError:
        return  # too long to be a reading: the note's text keeps it
    existing = (
        await GoalMeasurement.select(GoalMeasurement.id, GoalMeasurement.value)
        .where((GoalMeasurement.goal_id == goal_id) & (GoalMeasurement.session_id == session["id"]))
        .first()
    )
    if existing is None:
        reading_id = await _insert_reading(goal_id, value, session["session_date"], session["id"])
        action = AuditAction.created
    elif existing["value"] != value:
        reading_id = existing["id"]
        await GoalMeasurement.update(**_reading_fields(value)).where(
            GoalMeasurement.id == reading_id
        )
        action = AuditAction.edited
    else:
        return
    await _audit(action, READING_RESOURCE, reading_id, session["patient_id"], actor, origin)


async def create_goal(
    actor: Actor,
    patient_id: UUID,
    description: str,
    origin: RequestOrigin,
    direction: GoalDirection | None = None,
    baseline: str | None = None,
) -> UUID:
    """A goal set by the therapist; the direction is inferred from the wording when not given."""
    require_role(actor, Role.therapist)
    await require_patient(actor, patient_id)
    description = description.strip()
    if not normalised(description):
        raise GoalError("a goal needs a description")
    if len(description) > MAX_DESCRIPTION_CHARS:
        raise GoalError(f"a goal's description is limited to {MAX_DESCRIPTION_CHARS} characters")
    if baseline is not None:
        baseline = _reading_value(baseline)
    async with _transaction():
        await _lock_goals_of(patient_id)
        if normalised(description) in await _goal_ids_by_description(patient_id):
            raise GoalError("this patient already has a goal with this description")
        goal = TreatmentGoal(
            patient_id=patient_id,
            therapist_id=actor.id,
            description=description,
            direction=direction or infer_direction(description),
        )
        await goal.save()
        await _audit(AuditAction.created, GOAL_RESOURCE, goal.id, patient_id, actor, origin)
        if baseline is not None:
            reading_id = await _insert_reading(goal.id, baseline, datetime.now(UTC), None)
            await _audit(
                AuditAction.created, READING_RESOURCE, reading_id, patient_id, actor, origin
            )
    return goal.id


async def record_goal_measurement(
    actor: Actor, goal_id: UUID, session_id: UUID | None, value: str, origin: RequestOrigin
) -> GoalReading:
    """Add a reading, or replace the reading the session already gave the goal."""
    require_role(actor, Role.therapist)
    goal = (
        await TreatmentGoal.select(TreatmentGoal.patient_id)
        .where(TreatmentGoal.id == goal_id)
        .first()
    )
    if goal is None or not await can_reach_patient(actor, goal["patient_id"]):
        raise NotFound("treatment goal")
    patient_id: UUID = goal["patient_id"]
    value = _reading_value(value)
    recorded_at = datetime.now(UTC)
    if session_id is not None:
        session = (
            await TherapySession.select(TherapySession.session_date)
            .where((TherapySession.id == session_id) & (TherapySession.patient_id == patient_id))
            .first()
        )
        if session is None:
            raise NotFound("session")
        recorded_at = session["session_date"]
    async with _transaction():
        await _lock_goals_of(patient_id)
        existing = None
        if session_id is not None:
            existing = (
                await GoalMeasurement.select(GoalMeasurement.id)
                .where(
                    (GoalMeasurement.goal_id == goal_id)
                    & (GoalMeasurement.session_id == session_id)
                )
                .first()
            )
        if existing is None:
            reading_id = await _insert_reading(goal_id, value, recorded_at, session_id)
            action = AuditAction.created
        else:
            reading_id = existing["id"]
            await GoalMeasurement.update(**_reading_fields(value)).where(
                GoalMeasurement.id == reading_id
            )
            action = AuditAction.edited
        await _audit(action, READING_RESOURCE, reading_id, patient_id, actor, origin)
    return GoalReading(session_id=session_id, value=value, recorded_at=recorded_at)


async def goal_progress(
    patient_id: UUID, start: date | None = None, end: date | None = None
) -> list[GoalProgressView]:
    """Every goal of the patient with its progress, oldest goal first (for documents).

    With a period, baseline and current are the first and latest readings within it, and a goal
    is listed when it has readings there or was set before the period ended.
    """
    goals = (
        await TreatmentGoal.select()
        .where(TreatmentGoal.patient_id == patient_id)
        .order_by(TreatmentGoal.created_at)
    )
    readings = await within_period(
        GoalMeasurement.select(
            GoalMeasurement.goal_id,
            GoalMeasurement.session_id,
            GoalMeasurement.value,
            GoalMeasurement.recorded_at,
        ).where(GoalMeasurement.goal_id.patient_id == patient_id),
        GoalMeasurement.recorded_at,
        start,
        end,
    )
    history: dict[UUID, list[GoalReading]] = defaultdict(list)
    for row in readings:
        history[row["goal_id"]].append(GoalReading.model_validate(row))
    _, period_end = period_bounds(start, end)
    return [
        _progress_view(goal, sorted(history[goal["id"]], key=_reading_order))
        for goal in goals
        if history[goal["id"]] or period_end is None or goal["created_at"] < period_end
    ]


async def patient_goals(
    actor: Actor,
    patient_id: UUID,
    origin: RequestOrigin,
    start: date | None = None,
    end: date | None = None,
) -> list[GoalProgressView]:
    """`goal_progress` for someone who may reach the patient; the view is audited."""
    await require_patient(actor, patient_id)
    views = await goal_progress(patient_id, start, end)
    await _audit(AuditAction.viewed, GOAL_RESOURCE, None, patient_id, actor, origin)
    return views


def _progress_view(goal: dict[str, Any], history: list[GoalReading]) -> GoalProgressView:
    first = history[0] if history else None
    latest = history[-1] if history else None
    direction = GoalDirection(goal["direction"])
    progress = None
    if first and latest and first is not latest:  # a single reading has nothing to compare
        progress = progress_percentage(first.value, latest.value, direction)
    return GoalProgressView(
        id=goal["id"],
        description=goal["description"],
        status=goal["status"],
        direction=direction,
        baseline=first.value if first else None,
        baseline_date=day_of(first.recorded_at) if first else None,
        current=latest.value if latest else None,
        current_date=day_of(latest.recorded_at) if latest else None,
        progress_percentage=progress,
        history=history,
    )


def _reading_order(reading: GoalReading) -> tuple[datetime, bool]:
    # A baseline reported in a session precedes that session's own reading.
    return reading.recorded_at, reading.session_id is not None


def _reading_value(value: str) -> str:
    cleaned = value.strip() if isinstance(value, str) else ""
    if not cleaned:
        raise GoalError("a reading needs a value, such as '5/10' or '6 hours'")
    if len(cleaned) > MAX_VALUE_CHARS:
        raise GoalError(f"a reading is limited to {MAX_VALUE_CHARS} characters")
    return cleaned


def _reading_fields(value: str) -> dict[str, Any]:
    """The reading as said, and its number and scale when it has them."""
    measurement = parse_measurement(value)
    return {
        "value": value,
        "numeric_value": measurement.value if measurement else None,
        "scale_max": measurement.scale_max if measurement else None,
    }


async def _insert_reading(
    goal_id: UUID, value: str, recorded_at: datetime, session_id: UUID | None
) -> UUID:
    reading = GoalMeasurement(
        goal_id=goal_id, session_id=session_id, recorded_at=recorded_at, **_reading_fields(value)
    )
    await reading.save()
    return reading.id


async def _create_from_session(session: dict[str, Any], extracted: ExtractedGoal) -> UUID:
    goal = TreatmentGoal(
        patient_id=session["patient_id"],
        therapist_id=session["therapist_id"],
        description=extracted.description,
        direction=infer_direction(extracted.description),
        source_session_id=session["id"],
    )
    await goal.save()
    await _audit(AuditAction.created, GOAL_RESOURCE, goal.id, session["patient_id"])
    if extracted.baseline and extracted.current and extracted.baseline != extracted.current:
        await _add_reading(
            goal.id, session["patient_id"], extracted.baseline, session["session_date"]
        )
    return goal.id


async def _add_reading(
    goal_id: UUID,
    patient_id: UUID,
    value: str,
    recorded_at: datetime,
    session_id: UUID | None = None,
) -> None:
    """A reading from extracted notes, unless the session already gave this goal one."""
    try:
        value = _reading_value(value)
    except GoalError:
        logger.warning("goal %s: an extracted reading was too long to store; skipped", goal_id)
        return
    if session_id is not None and await GoalMeasurement.exists().where(
        (GoalMeasurement.goal_id == goal_id) & (GoalMeasurement.session_id == session_id)
    ):
        return
    reading_id = await _insert_reading(goal_id, value, recorded_at, session_id)
    await _audit(AuditAction.created, READING_RESOURCE, reading_id, patient_id)


async def _session(session_id: UUID, *more: Column) -> dict[str, Any]:
    """What goal writes need of a session (and `more` columns); NotFound if there is none."""
    session = (
        await TherapySession.select(
            TherapySession.id,
            TherapySession.patient_id,
            TherapySession.therapist_id,
            TherapySession.session_date,
            *more,
        )
        .where(TherapySession.id == session_id)
        .output(load_json=True)
        .first()
    )
    if session is None:
        raise NotFound("session")
    return session


async def _goal_ids_by_description(patient_id: UUID) -> dict[str, UUID]:
    rows = await TreatmentGoal.select(TreatmentGoal.id, TreatmentGoal.description).where(
        TreatmentGoal.patient_id == patient_id
    )
    return {normalised(row["description"]): row["id"] for row in rows}


async def _lock_goals_of(patient_id: UUID) -> None:
    """Serialise goal writes for one patient until the transaction ends."""
    await TreatmentGoal.raw(
        "SELECT pg_advisory_xact_lock(hashtextextended({}, 0))", f"treatment_goals:{patient_id}"
    )


def _transaction() -> PostgresTransaction:
    transaction: PostgresTransaction = TreatmentGoal._meta.db.transaction()
    return transaction


async def _audit(
    action: AuditAction,
    resource_type: str,
    resource_id: UUID | None,
    patient_id: UUID,
    actor: Actor | None = None,
    origin: RequestOrigin = SYSTEM_ORIGIN,
) -> None:
    """One audit row; without an actor the system did it (a session's extracted notes)."""
    await audit.record(
        action,
        user_id=actor.id if actor else None,
        patient_id=patient_id,
        origin=origin,
        resource_type=resource_type,
        resource_id=resource_id,
    )

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from core.documents.context import GoalProgress
from core.enums import GoalDirection
from core.errors import NotFound
from core.extracted_notes import ExtractedGoal
from core.tables import ExportAuditLog, GoalMeasurement, TreatmentGoal
from core.treatment.goals import (
    GoalError,
    create_goal,
    goal_progress,
    patient_goals,
    record_goal_measurement,
    sync_goals_from_session,
)
from tests.core.treatment.conftest import ORIGIN, Clinic, make_actor
from tests.factories import make_patient_of


async def test_a_goal_mentioned_again_gets_a_reading_not_a_twin(clinic: Clinic) -> None:
    first = await clinic.session_on(
        "2026-01-10", [ExtractedGoal(description="Reduce anxiety", baseline="8/10")]
    )
    second = await clinic.session_on(
        "2026-02-10", [ExtractedGoal(description="reduce  anxiety.", current="5/10")]
    )
    # Processed out of order: readings follow the sessions' dates.
    created = await sync_goals_from_session(second)
    assert await sync_goals_from_session(first) == []

    [goal] = await goal_progress(clinic.patient)
    assert goal.id == created[0]
    assert goal.description == "reduce  anxiety."
    assert goal.direction == GoalDirection.lower_is_better
    assert (goal.baseline, goal.baseline_date) == ("8/10", date(2026, 1, 10))
    assert (goal.current, goal.current_date) == ("5/10", date(2026, 2, 10))
    assert goal.progress_percentage == 37.5
    assert [(r.session_id, r.value) for r in goal.history] == [(first, "8/10"), (second, "5/10")]


async def test_syncing_again_or_concurrently_adds_nothing(clinic: Clinic) -> None:
    session = await clinic.session_on(
        "2026-01-10",
        [
            ExtractedGoal(description="Reduce panic attacks", current="4 per week"),
            ExtractedGoal(description="Improve sleep", baseline="5 hours"),
        ],
    )
    results = await asyncio.gather(*(sync_goals_from_session(session) for _ in range(3)))
    assert sorted(len(ids) for ids in results) == [0, 0, 2]
    assert await sync_goals_from_session(session) == []
    assert await TreatmentGoal.count() == 2
    assert await GoalMeasurement.count() == 2


async def test_words_give_no_percentage_and_wording_sets_the_direction(clinic: Clinic) -> None:
    for day, value in (("2026-01-10", "poor"), ("2026-01-17", "better")):
        await sync_goals_from_session(
            await clinic.session_on(
                day, [ExtractedGoal(description="Improve sleep", current=value)]
            )
        )
    [goal] = await goal_progress(clinic.patient)
    assert goal.direction == GoalDirection.higher_is_better
    assert (goal.baseline, goal.current, goal.progress_percentage) == ("poor", "better", None)


async def test_a_single_reading_has_no_progress_yet(clinic: Clinic) -> None:
    await sync_goals_from_session(
        await clinic.session_on(
            "2026-01-10", [ExtractedGoal(description="Reduce anxiety", baseline="8/10")]
        )
    )
    [goal] = await goal_progress(clinic.patient)
    assert goal.baseline == goal.current == "8/10"
    assert goal.progress_percentage is None


async def test_a_new_goal_stating_both_keeps_its_baseline_first(clinic: Clinic) -> None:
    session = await clinic.session_on(
        "2026-03-01",
        [ExtractedGoal(description="Reduce worry", baseline="8/10", current="6/10")],
    )
    await sync_goals_from_session(session)
    await sync_goals_from_session(session)
    [goal] = await goal_progress(clinic.patient)
    assert [(r.session_id, r.value) for r in goal.history] == [(None, "8/10"), (session, "6/10")]
    assert goal.progress_percentage == 25.0


async def test_a_goal_without_a_reading_is_listed_empty(clinic: Clinic) -> None:
    await sync_goals_from_session(
        await clinic.session_on("2026-01-10", [ExtractedGoal(description="Reconnect with friends")])
    )
    [goal] = await goal_progress(clinic.patient)
    assert (goal.baseline, goal.current, goal.history) == (None, None, [])


async def test_system_goal_writes_are_audited_without_a_user(clinic: Clinic) -> None:
    await sync_goals_from_session(
        await clinic.session_on(
            "2026-01-10", [ExtractedGoal(description="Reduce anxiety", current="7/10")]
        )
    )
    rows = await ExportAuditLog.select().order_by(ExportAuditLog.seq)
    assert [(r["action"], r["resource_type"]) for r in rows] == [
        ("created", "treatment_goal"),
        ("created", "goal_measurement"),
    ]
    assert all(r["user_id"] is None and r["patient_id"] == clinic.patient for r in rows)


async def test_the_therapist_sets_a_goal_and_records_readings(clinic: Clinic) -> None:
    me = clinic.therapist
    goal_id = await create_goal(
        me, clinic.patient, "Increase sleep", ORIGIN, baseline="4 hours per night"
    )
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    session = await clinic.session_on(tomorrow.isoformat())
    await record_goal_measurement(me, goal_id, session, "6 hours", ORIGIN)
    reading = await record_goal_measurement(me, goal_id, session, "6.5 hours", ORIGIN)
    assert reading.session_id == session and reading.value == "6.5 hours"

    [goal] = await goal_progress(clinic.patient)
    assert goal.direction == GoalDirection.higher_is_better
    assert [r.value for r in goal.history] == ["4 hours per night", "6.5 hours"]
    assert goal.progress_percentage == 62.5
    stored = await GoalMeasurement.select().where(GoalMeasurement.session_id == session).first()
    assert (stored["numeric_value"], stored["scale_max"]) == (6.5, None)

    actions = await ExportAuditLog.select(ExportAuditLog.action, ExportAuditLog.resource_type)
    assert [(a["action"], a["resource_type"]) for a in actions] == [
        ("created", "treatment_goal"),
        ("created", "goal_measurement"),
        ("created", "goal_measurement"),
        ("edited", "goal_measurement"),
    ]


async def test_goal_input_is_checked(clinic: Clinic) -> None:
    me = clinic.therapist
    goal_id = await create_goal(
        me, clinic.patient, "Reduce anxiety", ORIGIN, direction=GoalDirection.lower_is_better
    )
    with pytest.raises(GoalError, match="already has"):
        await create_goal(me, clinic.patient, "  reduce ANXIETY! ", ORIGIN)
    with pytest.raises(GoalError, match="description"):
        await create_goal(me, clinic.patient, " ... ", ORIGIN)
    for value in ("", "   ", "x" * 101):
        with pytest.raises(GoalError):
            await record_goal_measurement(me, goal_id, None, value, ORIGIN)
    someone_else = await make_patient_of(me.id)
    their_session = await Clinic(me, someone_else).session_on("2026-01-10")
    with pytest.raises(NotFound, match="session"):
        await record_goal_measurement(me, goal_id, their_session, "5/10", ORIGIN)
    assert await GoalMeasurement.count() == 0


async def test_another_therapist_finds_nothing(clinic: Clinic) -> None:
    goal_id = await create_goal(clinic.therapist, clinic.patient, "Reduce anxiety", ORIGIN)
    stranger = await make_actor()
    with pytest.raises(NotFound):
        await create_goal(stranger, clinic.patient, "Sleep more", ORIGIN)
    with pytest.raises(NotFound):
        await record_goal_measurement(stranger, goal_id, None, "5/10", ORIGIN)
    with pytest.raises(NotFound):
        await patient_goals(stranger, clinic.patient, ORIGIN)
    assert [g.id for g in await patient_goals(clinic.therapist, clinic.patient, ORIGIN)] == [
        goal_id
    ]


async def test_a_period_narrows_baseline_and_current(clinic: Clinic) -> None:
    for day, value in (("2026-01-10", "9/10"), ("2026-02-10", "6/10"), ("2026-03-10", "3/10")):
        await sync_goals_from_session(
            await clinic.session_on(
                day, [ExtractedGoal(description="Reduce anxiety", current=value)]
            )
        )
    [february] = await goal_progress(clinic.patient, date(2026, 2, 1), date(2026, 2, 28))
    assert (february.baseline, february.current, february.progress_percentage) == (
        "6/10",
        "6/10",
        None,
    )
    [spring] = await goal_progress(clinic.patient, date(2026, 2, 10), date(2026, 3, 10))
    assert (spring.baseline, spring.current, spring.progress_percentage) == ("6/10", "3/10", 50.0)
    assert await goal_progress(clinic.patient, date(2025, 1, 1), date(2025, 12, 31)) == []


async def test_a_view_maps_onto_the_documents_goal_progress(clinic: Clinic) -> None:
    for day, value in (("2026-01-10", "8/10"), ("2026-02-10", "5/10")):
        await sync_goals_from_session(
            await clinic.session_on(
                day, [ExtractedGoal(description="Reduce anxiety", current=value)]
            )
        )
    [view] = await goal_progress(clinic.patient)
    document = GoalProgress.model_validate(view.model_dump(include=set(GoalProgress.model_fields)))
    assert (document.baseline, document.current, document.progress_percentage) == (
        "8/10",
        "5/10",
        37.5,
    )
    assert document.current_date == date(2026, 2, 10)

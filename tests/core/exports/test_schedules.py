import asyncio
from datetime import UTC, date, datetime

import pytest

from core.access import load_actor
from core.enums import Cadence, ExportFormat, ExportType, Role
from core.exports.schedules import covered_period, create_schedule, next_run, run_due_schedules
from core.exports.service import ExportService
from core.infra.runtime import Runtime
from core.tables import ExportJob, ScheduledExport, User
from tests.factories import make_patient_of, make_user


def test_next_run_and_covered_period() -> None:
    after = datetime(2025, 1, 31, 12, 0, tzinfo=UTC)
    assert next_run(Cadence.monthly, after) == datetime(2025, 2, 1, 6, 0, tzinfo=UTC)
    assert next_run(Cadence.weekly, after) == datetime(2025, 2, 7, 6, 0, tzinfo=UTC)
    assert covered_period(Cadence.monthly, date(2025, 3, 1)) == (
        date(2025, 2, 1),
        date(2025, 2, 28),
    )
    assert covered_period(Cadence.weekly, date(2025, 3, 10)) == (date(2025, 3, 3), date(2025, 3, 9))


async def test_a_due_schedule_runs_exactly_once(db: None, runtime: Runtime) -> None:
    therapist = await make_user(Role.therapist)
    await User.update({User.slack_user_id: "U123"}).where(User.id == therapist)
    patient = await make_patient_of(therapist)
    actor = await load_actor(therapist)
    assert actor is not None
    schedule = await create_schedule(
        actor,
        patient_id=patient,
        export_type=ExportType.progress_report,
        fmt=ExportFormat.pdf,
        cadence=Cadence.monthly,
        slack_channel_id="C123",
    )
    due_at = schedule["next_run_at"]
    runs = await asyncio.gather(
        *[run_due_schedules(ExportService(runtime), now=due_at) for _ in range(3)]
    )
    assert sum(runs) == 1
    job = await ExportJob.select().output(load_json=True).first()
    assert job["schedule_id"] == schedule["id"]
    assert job["delivery"]["slack"] == {
        "user_id": "U123",
        "channel_id": "C123",
        "team_id": "",
        "response_url": None,
    }
    later = await ScheduledExport.select().first()
    assert later["next_run_at"] > due_at and later["last_run_at"] == due_at


async def test_schedules_refuse_other_therapists_patients(db: None) -> None:
    from core.errors import NotFound

    owner = await make_user(Role.therapist)
    patient = await make_patient_of(owner)
    stranger = await load_actor(await make_user(Role.therapist))
    assert stranger is not None
    with pytest.raises(NotFound):
        await create_schedule(
            stranger,
            patient_id=patient,
            export_type=ExportType.progress_report,
            fmt=ExportFormat.pdf,
            cadence=Cadence.weekly,
        )
    assert await ScheduledExport.count() == 0

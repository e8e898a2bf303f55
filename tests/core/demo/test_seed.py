"""The demo clinic as a new user meets it: work to do, and a record that hangs together."""

import re
from datetime import UTC, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from arq.connections import ArqRedis
from redis.asyncio import Redis

from core import dashboard
from core.access import Actor, load_actor
from core.demo import seed_demo
from core.demo.clinic import EXPORTS, JORDAN, LENA, PATIENTS, THERAPISTS
from core.demo.transcripts import replacements
from core.enums import ExportStatus, Instrument, NoteStatus, NoteTemplate, SessionStatus
from core.extracted_notes import ExtractedNotes
from core.infra.runtime import Runtime
from core.infra.storage import EncryptedStorage
from core.settings import Settings
from core.tables import (
    ClinicalNote,
    ExportJob,
    GoalMeasurement,
    MeasureScore,
    TherapySession,
    TreatmentGoal,
    User,
)
from core.treatment.goals import goal_progress, normalised
from core.treatment.measures import measure_series
from core.treatment.plans import treatment_plan
from tests.support import burst_worker, make_runtime


@pytest.fixture
def services(
    db: None, settings: Settings, storage: EncryptedStorage, redis: Redis, queue: ArqRedis
) -> Runtime:
    return make_runtime(settings, redis, queue, storage)


async def therapist(handle: str) -> Actor:
    row = await User.select(User.id).where(User.handle == handle).first()
    actor = await load_actor(row["id"])
    assert actor is not None
    return actor


async def patient_id(handle: str) -> UUID:
    return (await User.select(User.id).where(User.handle == handle).first())["id"]


async def sessions_of(handle: str) -> list[dict]:
    return (
        await TherapySession.select()
        .where(TherapySession.patient_id == await patient_id(handle))
        .order_by(TherapySession.session_date)
        .output(load_json=True)
    )


async def test_every_session_is_processed_with_notes_most_signed_one_amended(
    services: Runtime,
) -> None:
    await seed_demo(services)
    sessions = await TherapySession.select(TherapySession.id, TherapySession.status)
    assert len(sessions) == sum(len(p.visits) for p in PATIENTS)
    assert {s["status"] for s in sessions} == {SessionStatus.processed}

    notes = await ClinicalNote.select().output(load_json=True)
    current = [n for n in notes if n["status"] != NoteStatus.amended]
    assert {n["session_id"] for n in current} == {s["id"] for s in sessions}  # none without
    assert all(n["template"] == NoteTemplate.soap for n in current)
    signed = [n for n in current if n["status"] == NoteStatus.signed]
    drafts = [n for n in current if n["status"] == NoteStatus.draft]
    assert len(signed) > 2 * len(drafts) > 0
    # A signed note reads as the clinician finished it: a plan, and the risk stated.
    for note in signed:
        assert note["signed_by_id"] and note["content_sha256"]
        assert note["sections"]["plan"]["homework"] and note["sections"]["plan"]["interventions"]
        assert note["sections"]["assessment"]["risk_assessment"]

    [amended] = [n for n in notes if n["status"] == NoteStatus.amended]
    [amendment] = [n for n in notes if n["amendment_of_id"] == amended["id"]]
    assert amendment["status"] == NoteStatus.signed and amendment["version"] == 2
    assert amendment["amendment_reason"]
    assert amendment["sections"]["plan"]["homework"] != amended["sections"]["plan"]["homework"]


async def test_both_therapists_home_pages_show_work_to_do(services: Runtime) -> None:
    await seed_demo(services)
    zone = ZoneInfo(services.settings.clinic_timezone)
    today = datetime.now(UTC).astimezone(zone).date()
    start = datetime.combine(today, time.min, zone)
    for t in THERAPISTS:
        actor = await therapist(t.handle)
        todays = await dashboard.sessions_between(actor, start, start + timedelta(days=1))
        assert todays and all(s["session_date"] <= datetime.now(UTC) for s in todays)
        to_sign = await dashboard.unsigned_notes(actor)
        assert to_sign
        # The drafts waiting are those of each patient's latest session, not old ones.
        latest = {p.full_name: p.visits[-1].days_ago for p in PATIENTS if p.therapist == t}
        for note in to_sign:
            assert (today - note["session_date"].astimezone(zone).date()).days == (
                latest[note["patient_name"]]
            )

    alerts = await dashboard.risk_alerts(await therapist("maya.rivera"), start - timedelta(days=1))
    [alert] = alerts
    assert alert["patient_name"] == LENA.full_name and alert["severity"] == "high"
    assert await dashboard.risk_alerts(await therapist("daniel.okafor"), start) == []


async def test_exactly_one_session_is_risk_flagged_and_its_words_raise_it(
    services: Runtime,
) -> None:
    await seed_demo(services)
    flagged = [s for s in await TherapySession.select().output(load_json=True) if s["risk_flags"]]
    [session] = flagged
    assert session["patient_id"] == await patient_id(LENA.handle)
    for flag in session["risk_flags"]:
        assert flag["evidence"] in session["transcript_text"]  # the patient's own words
    # Her PHQ-9 of that session is consistent: item 9 (thoughts of self-harm) is positive.
    [phq9] = (
        await MeasureScore.select()
        .where((MeasureScore.session_id == session["id"]) & (MeasureScore.instrument == "phq9"))
        .output(load_json=True)
    )
    assert phq9["items"][8] > 0


async def test_goals_are_those_the_sessions_mention_with_readings_of_those_sessions(
    services: Runtime,
) -> None:
    await seed_demo(services)
    for patient in PATIENTS:
        sessions = await sessions_of(patient.handle)
        mentioned = {
            normalised(goal.description)
            for s in sessions
            for goal in ExtractedNotes.model_validate(s["extracted_notes"]).treatment_goals
        }
        goals = await TreatmentGoal.select().where(
            TreatmentGoal.patient_id == await patient_id(patient.handle)
        )
        assert {normalised(g["description"]) for g in goals} == mentioned
        readings = await GoalMeasurement.select().where(
            GoalMeasurement.goal_id.is_in([g["id"] for g in goals] or [None])
        )
        session_ids = {s["id"] for s in sessions}
        assert all(r["session_id"] in session_ids for r in readings)

    # One goal moves across the sessions, the way the patient rated it in each.
    progress = {g.description: g for g in await goal_progress(await patient_id(JORDAN.handle))}
    importance = progress["Importance (0–10)"]
    assert [r.value for r in importance.history] == ["5/10", "6/10", "8/10"]
    assert importance.direction == "higher_is_better" and importance.progress_percentage == 60.0


async def test_questionnaires_and_plans_tell_the_same_story(services: Runtime) -> None:
    await seed_demo(services)
    jordan = await measure_series(await patient_id(JORDAN.handle))
    phq9 = [p.total for p in jordan if p.instrument == Instrument.phq9]
    assert len(phq9) == len(JORDAN.visits) and phq9 == sorted(phq9, reverse=True)  # improving
    lena = [p.total for p in await measure_series(await patient_id(LENA.handle))]
    assert lena and await MeasureScore.count() > len(lena)
    for patient in PATIENTS:
        plan = await treatment_plan(await patient_id(patient.handle))
        assert (plan is not None) == (patient.plan is not None)
        if plan is not None:
            assert plan.diagnoses and plan.started_on


async def test_one_export_is_complete_and_one_waits_for_the_worker(
    services: Runtime,
) -> None:
    await seed_demo(services)
    jobs = {
        (j["export_type"], j["format"]): j for j in await ExportJob.select().output(load_json=True)
    }
    assert len(jobs) == len(EXPORTS)
    for export in EXPORTS:
        job = jobs[(export.export_type, export.format)]
        if export.render_now:
            assert job["status"] == ExportStatus.completed
            assert len(services.storage.read_bytes(job["file_path"])) == job["file_size_bytes"]
        else:
            assert job["status"] == ExportStatus.pending

    # The pending one was enqueued as any request is: the worker finishes it.
    worker = burst_worker(services.queue, services)
    await worker.main()
    assert worker.jobs_failed == 0
    statuses = await ExportJob.select(ExportJob.status)
    assert {row["status"] for row in statuses} == {ExportStatus.completed}


async def test_transcripts_call_the_patient_and_therapist_by_their_demo_names(
    services: Runtime,
) -> None:
    await seed_demo(services)
    replaced = 0
    for patient in PATIENTS:
        for visit, session in zip(patient.visits, await sessions_of(patient.handle), strict=True):
            text = session["transcript_text"]
            for name, demo_name in replacements(patient, visit).items():
                assert not re.search(rf"\b{re.escape(name)}\b", text), (visit.conversation, name)
                assert demo_name in text
                replaced += 1
            # No session of a patient names the client of another of the demo's conversations.
            others = {
                name
                for other in PATIENTS
                for v in other.visits
                for name, template in v.names.items()
                if template == "{first}"
            }
            assert not [n for n in others if re.search(rf"\b{re.escape(n)}\b", text)]
    assert replaced >= 15


async def test_seeding_again_reuses_the_clinic(services: Runtime) -> None:
    first = await seed_demo(services)
    counts = [await table.count() for table in (User, TherapySession, ClinicalNote, ExportJob)]
    assert await seed_demo(services) == first
    assert [await t.count() for t in (User, TherapySession, ClinicalNote, ExportJob)] == counts

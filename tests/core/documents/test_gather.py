"""Gathering contexts from PostgreSQL: the right rows, and a query count that does not grow."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest

from core.documents.gather import (
    DocumentDataError,
    gather_context,
    gather_full_record,
    gather_progress_report,
    gather_session_notes,
    gather_treatment_summary,
)
from core.enums import ExportType, Instrument, NoteStatus, NoteTemplate, Role, SessionStatus
from core.exports.requests import ExportRequest
from core.extracted_notes import ExtractedNotes, MoodLevel, Speaker, TranscriptSegment
from core.tables import ClinicalNote, GoalMeasurement, MeasureScore, TherapySession, TreatmentGoal
from tests.factories import make_patient_of, make_session, make_user


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 15, 0, tzinfo=UTC)


def notes(*topics: str, mood: MoodLevel = MoodLevel.neutral) -> str:
    return ExtractedNotes(key_topics=list(topics), session_mood=mood).model_dump_json()


def transcript(text: str) -> list[dict[str, Any]]:
    segment = TranscriptSegment(start=0, end=4, text=text, speaker=Speaker.patient)
    return [segment.model_dump(mode="json")]


@dataclass
class Record:
    therapist: UUID
    patient: UUID
    sessions: dict[str, UUID]


async def processed(record: Record, name: str, day: date, *topics: str) -> None:
    record.sessions[name] = await make_session(
        record.therapist,
        record.patient,
        SessionStatus.processed,
        session_date=at(day),
        duration_seconds=3000,
        extracted_notes=notes(*topics),
        transcript_text=f"Transcript of {name}",
        transcript_segments=transcript(f"Words of {name}"),
    )


@pytest.fixture
async def record(db: None) -> Record:
    therapist = await make_user(Role.therapist, full_name="Dr. Jane Smith", license="LCSW 12345")
    patient = await make_patient_of(therapist, full_name="Maria Okafor", dob=date(1985, 3, 2))
    record = Record(therapist, patient, {})
    await processed(record, "january", date(2025, 1, 6), "panic", "work stress")
    await processed(record, "february", date(2025, 2, 3), "Panic", "sleep")
    await processed(record, "april", date(2025, 4, 10), "family")
    record.sessions["unprocessed"] = await make_session(
        therapist, patient, SessionStatus.transcribing, session_date=at(date(2025, 2, 10))
    )
    goal = TreatmentGoal(patient_id=patient, therapist_id=therapist, description="Reduce panic")
    await goal.save()
    for session, value in (("january", "8/10"), ("february", "5/10"), ("april", "3/10")):
        await GoalMeasurement(
            goal_id=goal.id, session_id=record.sessions[session], value=value
        ).save()
    await MeasureScore(
        patient_id=patient,
        recorded_by_id=therapist,
        instrument=Instrument.phq9,
        items=[2] * 7 + [0, 0],
        total=14,
        severity="moderate",
        recorded_at=at(date(2025, 1, 6)),
    ).save()
    january = record.sessions["january"]
    draft = ClinicalNote(
        session_id=january,
        author_id=therapist,
        template=NoteTemplate.soap,
        sections={"plan": {"homework": "Breathing"}, "subjective": {"mood": "Anxious"}},
    )
    await draft.save()
    original = ClinicalNote(
        session_id=january,
        author_id=therapist,
        template=NoteTemplate.dap,
        sections={"data": {"observations": "First version"}},
        status=NoteStatus.amended,
        signed_by_id=therapist,
        signed_at=at(date(2025, 1, 6)),
        content_sha256="a" * 64,
    )
    await original.save()
    await ClinicalNote(
        session_id=january,
        author_id=therapist,
        template=NoteTemplate.dap,
        sections={"data": {"observations": "Corrected version", "topics_discussed": "• panic"}},
        status=NoteStatus.signed,
        version=2,
        signed_by_id=therapist,
        signed_at=at(date(2025, 1, 7)),
        content_sha256="b" * 64,
        amendment_of_id=original.id,
        amendment_reason="Typo",
    ).save()
    return record


@pytest.fixture
def query_counter(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    engine_type = type(TherapySession._meta.db)
    queries: list[str] = []
    run = engine_type.run_querystring

    async def counting(engine: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        queries.append(str(querystring))
        return await run(engine, querystring, *args, **kwargs)

    monkeypatch.setattr(engine_type, "run_querystring", counting)
    yield queries


async def test_progress_report_covers_processed_sessions_in_the_period(record: Record) -> None:
    context = await gather_progress_report(record.patient, date(2025, 1, 1), date(2025, 3, 31))
    assert [s.id for s in context.sessions] == [
        record.sessions["january"],
        record.sessions["february"],
    ]
    assert context.patient.full_name == "Maria Okafor"
    assert context.patient.dob == date(1985, 3, 2)
    assert context.therapist is not None
    assert (context.therapist.full_name, context.therapist.license) == (
        "Dr. Jane Smith",
        "LCSW 12345",
    )
    assert context.session_count == 2
    assert context.avg_duration_minutes == 50.0
    assert [(t.topic, t.sessions) for t in context.key_topics][:1] == [("panic", 2)]
    assert context.sessions[0].transcript is None  # a progress report needs no transcripts
    [goal] = context.goals
    assert (goal.baseline, goal.current, goal.progress_percentage) == ("8/10", "5/10", 37.5)
    assert [(m.instrument, m.total) for m in context.measures] == [(Instrument.phq9, 14)]


async def test_treatment_summary_uses_every_processed_session(record: Record) -> None:
    context = await gather_treatment_summary(record.patient)
    assert context.session_count == 3
    assert context.treatment.started_on == date(2025, 1, 6)
    assert context.treatment.latest_session_on == date(2025, 4, 10)
    # the first session's topics as its signed note states them, not as extracted
    assert context.treatment.primary_complaints == ["panic"]
    assert context.treatment.diagnoses == []
    assert context.treatment.prognosis is None
    assert context.goals[0].current == "3/10"


async def test_full_record_has_transcripts_and_every_signed_version(record: Record) -> None:
    context = await gather_full_record(record.patient)
    assert len(context.sessions) == 3
    assert context.sessions[0].transcript is not None
    assert context.sessions[0].transcript.segments[0].text == "Words of january"
    assert [(n.template, n.version, n.status) for n in context.clinical_notes] == [
        (NoteTemplate.dap, 1, NoteStatus.amended),
        (NoteTemplate.dap, 2, NoteStatus.signed),
        (NoteTemplate.soap, 1, NoteStatus.draft),
    ]
    assert context.clinical_notes[1].signed_by == "Dr. Jane Smith"
    assert context.clinical_notes[1].amendment_reason == "Typo"


async def test_session_notes_show_current_notes_in_template_order(record: Record) -> None:
    january = record.sessions["january"]
    context = await gather_session_notes([january], record.therapist)
    assert [(n.template, n.status) for n in context.clinical_notes] == [
        (NoteTemplate.dap, NoteStatus.amended),
        (NoteTemplate.dap, NoteStatus.signed),
        (NoteTemplate.soap, NoteStatus.draft),
    ]
    soap = context.clinical_notes[2]
    assert list(soap.sections) == ["subjective", "plan"]
    assert context.sessions[0].transcript is not None


async def test_session_notes_refuse_what_cannot_be_one_document(record: Record) -> None:
    with pytest.raises(DocumentDataError, match="not processed yet"):
        await gather_session_notes([record.sessions["unprocessed"]])
    stranger = await make_user(Role.therapist)
    with pytest.raises(DocumentDataError, match="not found"):
        await gather_session_notes([record.sessions["january"]], stranger)
    with pytest.raises(DocumentDataError, match="patient not found"):
        await gather_treatment_summary(stranger)
    other_patient = await make_patient_of(record.therapist)
    other = await make_session(record.therapist, other_patient, SessionStatus.processed)
    with pytest.raises(DocumentDataError, match="one patient"):
        await gather_session_notes([record.sessions["january"], other])


async def test_gather_context_applies_the_requested_sections(record: Record) -> None:
    request = ExportRequest(
        export_type=ExportType.full_record,
        patient_id=record.patient,
        include_sections={"transcripts": False},
    )
    context = await gather_context(request)
    assert context.include_sections["transcripts"] is False
    assert context.include_sections["sessions"] is True


async def test_query_count_does_not_grow_with_the_record(
    record: Record, query_counter: list[str]
) -> None:
    await gather_full_record(record.patient)
    few = len(query_counter)
    for month in range(5, 13):
        await processed(record, f"month {month}", date(2025, month, 1), "more")
    query_counter.clear()
    context = await gather_full_record(record.patient)
    assert len(context.sessions) == 11
    assert len(query_counter) == few

"""Small, hand-written document contexts whose every value a test can look for."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

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
from core.enums import GoalDirection, Instrument, NoteStatus, NoteTemplate
from core.extracted_notes import (
    ExtractedNotes,
    MoodLevel,
    RiskFlag,
    RiskType,
    Severity,
    Speaker,
    TranscriptSegment,
)
from core.notes.record import record_from_extraction

PATIENT = Person(
    full_name="Maria Okafor", email="maria@example.org", dob=date(1985, 3, 2), phone=None
)
THERAPIST = Clinician(full_name="Dr. Jane Smith", email="jane@example.org", license="LCSW 12345")
GENERATED_AT = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)
HOSTILE_TEXT = "<script>alert('owned')</script> <img src=\"file:///etc/passwd\">"


def session(
    number: int,
    day: date,
    mood: MoodLevel | None,
    topics: list[str],
    *,
    transcript: list[tuple[Speaker, str]] | None = None,
    risk: str | None = None,
) -> SessionRecord:
    segments = [
        TranscriptSegment(start=i * 10.0, end=i * 10.0 + 9, text=text, speaker=speaker)
        for i, (speaker, text) in enumerate(transcript or [])
    ]
    flags = (
        [RiskFlag(type=RiskType.self_harm, severity=Severity.medium, evidence=risk)] if risk else []
    )
    extraction = ExtractedNotes(
        key_topics=topics,
        topic_summary=f"Summary of session {number}.",
        session_mood=mood,
        emotional_themes=["worry"],
        follow_up_topics=[f"Follow up {number}"],
        risk_flags=flags,
    )
    return SessionRecord(
        id=UUID(int=number),
        session_date=datetime(day.year, day.month, day.day, 14, 0, tzinfo=UTC),
        duration_minutes=50.0 + number,
        therapist_name=THERAPIST.full_name,
        documentation=SessionDocumentation(
            source=NoteSource.extraction, record=record_from_extraction(extraction)
        ),
        transcript=Transcript(segments=segments) if transcript is not None else None,
    )


GOALS = [
    GoalProgress(
        description="Reduce panic attacks",
        direction=GoalDirection.lower_is_better,
        baseline="8/10",
        current="5/10",
        progress_percentage=37.5,
    ),
    GoalProgress(
        description="Sleep seven hours",
        direction=GoalDirection.higher_is_better,
        baseline="4 hours",
        current=None,
        progress_percentage=None,
    ),
]
MEASURES = [
    MeasureReading(
        instrument=Instrument.phq9, recorded_on=date(2025, 1, 6), total=14, severity="moderate"
    ),
    MeasureReading(
        instrument=Instrument.gad7, recorded_on=date(2025, 2, 3), total=8, severity="mild"
    ),
]


def progress_report() -> ProgressReportContext:
    return ProgressReportContext(
        generated_at=GENERATED_AT,
        patient=PATIENT,
        therapist=THERAPIST,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 3, 31),
        sessions=[
            session(1, date(2025, 1, 6), MoodLevel.low, ["panic", "work stress"]),
            session(2, date(2025, 2, 3), MoodLevel.neutral, ["panic", "sleep"]),
            session(3, date(2025, 3, 3), MoodLevel.positive, ["Panic", "family"], risk="I hurt"),
        ],
        goals=GOALS,
        measures=MEASURES,
    )


def notes(session_id: UUID, day: datetime) -> list[ClinicalNoteRecord]:
    sections = {"subjective": {"chief_complaint": "Panic before meetings"}}
    return [
        ClinicalNoteRecord(
            session_id=session_id,
            session_date=day,
            template=NoteTemplate.soap,
            status=NoteStatus.draft,
            sections=sections,
        ),
        ClinicalNoteRecord(
            session_id=session_id,
            session_date=day,
            template=NoteTemplate.dap,
            status=NoteStatus.signed,
            sections={"data": {"observations": "Calm, engaged"}},
            signed_by="Dr. Jane Smith",
            signed_at=datetime(2025, 1, 6, 18, 5, tzinfo=UTC),
            content_sha256="ab" * 32,
        ),
    ]


def session_notes() -> SessionNotesContext:
    one = session(
        1,
        date(2025, 1, 6),
        MoodLevel.low,
        ["panic"],
        transcript=[
            (Speaker.therapist, "How was the week?"),
            (Speaker.patient, HOSTILE_TEXT),
        ],
    )
    return SessionNotesContext(
        generated_at=GENERATED_AT,
        patient=PATIENT,
        therapist=THERAPIST,
        sessions=[one],
        clinical_notes=notes(one.id, one.session_date),
    )


def treatment_summary() -> TreatmentSummaryContext:
    return TreatmentSummaryContext(
        generated_at=GENERATED_AT,
        patient=PATIENT,
        therapist=THERAPIST,
        treatment=TreatmentData(
            started_on=date(2025, 1, 6),
            latest_session_on=date(2025, 3, 3),
            primary_complaints=["panic", "work stress"],
        ),
        sessions=progress_report().sessions,
        goals=GOALS,
        measures=MEASURES,
    )


def full_record() -> FullRecordContext:
    notes_context = session_notes()
    second = session(
        2, date(2025, 1, 13), MoodLevel.neutral, ["sleep"], transcript=[(Speaker.patient, "Ok.")]
    )
    return FullRecordContext(
        generated_at=GENERATED_AT,
        patient=PATIENT,
        therapist=THERAPIST,
        sessions=[*notes_context.sessions, second],
        clinical_notes=[n for n in notes_context.clinical_notes if n.is_signed],
        goals=GOALS,
        measures=MEASURES,
    )


def all_contexts() -> list[DocumentContext]:
    return [progress_report(), session_notes(), treatment_summary(), full_record()]

"""Document contexts built from the AnnoMI counselling conversations (data/annomi/README.md).

The transcripts and topics are the dataset's own; the patient, therapist, session dates, moods,
goals and questionnaire scores are a fixed, made-up course of treatment wrapped around them, so
benchmarks and the example context have realistic text at any size.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from core.annomi import Conversation, load_conversations
from core.documents.context import (
    ClinicalNoteRecord,
    Clinician,
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
from core.documents.documentation import document_session, in_template_order
from core.enums import GoalDirection, GoalStatus, Instrument, NoteStatus, NoteTemplate
from core.extracted_notes import (
    ActionItem,
    ExtractedNotes,
    MoodLevel,
    MoodTrajectory,
    SignificantQuote,
    Speaker,
    Strategy,
    StrategyStatus,
)
from core.notes.autofill import fill_template
from core.notes.content import content_sha256
from core.treatment.instruments import score
from core.treatment.progress import progress_percentage

PATIENT = Person(full_name="Alex Morgan", email="alex.morgan@example.org", dob=date(1988, 4, 12))
THERAPIST = Clinician(
    full_name="Dr. Sam Rivera", email="s.rivera@example.org", license="LCSW 48213"
)
FIRST_SESSION = datetime(2025, 1, 7, 15, 0, tzinfo=UTC)
GENERATED_AT = datetime(2025, 4, 2, 9, 30, tzinfo=UTC)
MOODS = (MoodLevel.low, MoodLevel.low, MoodLevel.neutral, MoodLevel.neutral, MoodLevel.positive)


def conversations(count: int) -> list[Conversation]:
    """`count` conversations, cycling through the dataset's high-quality ones in id order."""
    pool = [c for _, c in sorted(load_conversations().items()) if c.mi_quality == "high"]
    return [pool[i % len(pool)] for i in range(count)]


def session_record(
    index: int, conversation: Conversation, with_transcript: bool, signed: bool
) -> tuple[SessionRecord, ClinicalNoteRecord]:
    """One session and its SOAP note, drafted by the real autofill and signed unless `signed`
    is false; the session is documented by the note as the export service would do it."""
    client_lines = [s for s in conversation.segments if s.speaker == Speaker.patient]
    quote = max(client_lines, key=lambda s: len(s.text), default=None)
    topics = [part.strip() for part in conversation.topic.split(";") if part.strip()]
    notes = ExtractedNotes(
        key_topics=topics,
        topic_summary=(
            f"Session focused on {', '.join(topics)}. The client explored reasons for change "
            "and agreed a small next step."
        ),
        emotional_themes=["ambivalence", "hope"] if index % 2 else ["ambivalence"],
        strategies=[
            Strategy(
                name="Reflective listening",
                category="motivational",
                status=StrategyStatus.practiced,
            )
        ],
        action_items=[ActionItem(task=f"Notice one situation linked to {topics[0]}")],
        significant_quotes=[SignificantQuote(quote=quote.text)] if quote else [],
        session_mood=MOODS[(index // 3) % len(MOODS)],
        mood_trajectory=MoodTrajectory.improving if index % 3 else MoodTrajectory.stable,
        follow_up_topics=[f"Review progress on {topics[0]}"],
        therapist_notes="Engaged; change talk increased towards the end of the session.",
    )
    session_date = FIRST_SESSION + timedelta(weeks=index)
    sections = in_template_order(
        NoteTemplate.soap, fill_template(notes, NoteTemplate.soap).sections
    )
    note = ClinicalNoteRecord(
        session_id=UUID(int=index + 1),
        session_date=session_date,
        template=NoteTemplate.soap,
        status=NoteStatus.signed if signed else NoteStatus.draft,
        sections=sections,
        signed_by=THERAPIST.full_name if signed else None,
        signed_at=session_date + timedelta(hours=3) if signed else None,
        content_sha256=content_sha256(NoteTemplate.soap, sections) if signed else None,
        updated_at=session_date + timedelta(hours=2),
    )
    documentation = document_session(
        notes.model_dump(mode="json"), [{**note.model_dump(), "record": None}]
    )
    session = SessionRecord(
        id=note.session_id,
        session_date=session_date,
        duration_minutes=round(conversation.duration_seconds / 60, 1),
        therapist_name=THERAPIST.full_name,
        documentation=documentation,
        transcript=Transcript(segments=list(conversation.segments)) if with_transcript else None,
    )
    return session, note


def course(
    count: int, with_transcript: bool = False
) -> tuple[list[SessionRecord], list[ClinicalNoteRecord]]:
    """`count` sessions with their notes: every note signed but the latest, a draft."""
    pairs = [
        session_record(i, conversation, with_transcript, signed=i < count - 1)
        for i, conversation in enumerate(conversations(count))
    ]
    return [session for session, _ in pairs], [note for _, note in pairs]


def goals() -> list[GoalProgress]:
    rows = [
        (
            "Reduce alcohol to under 10 drinks a week",
            GoalDirection.lower_is_better,
            "21 drinks",
            "9 drinks",
        ),
        ("Lower everyday anxiety", GoalDirection.lower_is_better, "8/10", "5/10"),
        ("Sleep at least 7 hours a night", GoalDirection.higher_is_better, "4 hours", "6.5 hours"),
        ("Reconnect with friends", GoalDirection.higher_is_better, "rarely", "sometimes"),
    ]
    return [
        GoalProgress(
            description=description,
            status=GoalStatus.active,
            direction=direction,
            baseline=baseline,
            baseline_date=FIRST_SESSION.date(),
            current=current,
            current_date=date(2025, 3, 25),
            progress_percentage=progress_percentage(baseline, current, direction),
        )
        for description, direction, baseline, current in rows
    ]


def measures(session_list: list[SessionRecord]) -> list[MeasureReading]:
    """A PHQ-9 and a GAD-7 every fourth session, scored by the real scorer."""
    totals = {Instrument.phq9: (16, 14, 12, 11, 9, 8, 7), Instrument.gad7: (13, 12, 10, 9, 8, 7, 6)}
    readings = []
    for step, session in enumerate(session_list[::4]):
        for instrument, series in totals.items():
            result = score(instrument, _items(series[min(step, len(series) - 1)], instrument))
            readings.append(
                MeasureReading(
                    instrument=instrument,
                    recorded_on=session.session_date.date(),
                    total=result.total,
                    severity=result.severity,
                )
            )
    return readings


def _items(total: int, instrument: Instrument) -> list[int]:
    """Item scores (0–3 each) that add up to `total`."""
    count = 9 if instrument is Instrument.phq9 else 7
    return [min(3, max(0, total - 3 * i)) for i in range(count)]


def progress_report(count: int) -> ProgressReportContext:
    session_list, notes = course(count)
    return ProgressReportContext(
        generated_at=GENERATED_AT,
        patient=PATIENT,
        therapist=THERAPIST,
        start_date=FIRST_SESSION.date(),
        end_date=session_list[-1].session_date.date(),
        sessions=session_list,
        clinical_notes=notes,
        goals=goals(),
        measures=measures(session_list),
    )


def session_notes(count: int) -> SessionNotesContext:
    session_list, notes = course(count, with_transcript=True)
    return SessionNotesContext(
        generated_at=GENERATED_AT,
        patient=PATIENT,
        therapist=THERAPIST,
        sessions=session_list,
        clinical_notes=notes,
    )


def treatment_summary(count: int) -> TreatmentSummaryContext:
    session_list, notes = course(count)
    return TreatmentSummaryContext(
        generated_at=GENERATED_AT,
        patient=PATIENT,
        therapist=THERAPIST,
        treatment=TreatmentData(
            started_on=session_list[0].session_date.date(),
            latest_session_on=session_list[-1].session_date.date(),
            primary_complaints=session_list[0].key_topics,
        ),
        sessions=session_list,
        clinical_notes=notes,
        goals=goals(),
        measures=measures(session_list),
    )


def full_record(count: int) -> FullRecordContext:
    session_list, notes = course(count, with_transcript=True)
    return FullRecordContext(
        generated_at=GENERATED_AT,
        patient=PATIENT,
        therapist=THERAPIST,
        sessions=session_list,
        clinical_notes=notes,
        goals=goals(),
        measures=measures(session_list),
    )

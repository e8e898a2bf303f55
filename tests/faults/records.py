"""Real clinical records for fault and abuse tests: AnnoMI conversations as processed sessions.

The conversations come from data/annomi (Wu et al., ICASSP 2022; see data/annomi/README.md) and
go through the real local extractor, so documents rendered from them are as long and as varied
as the product's own.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from core.annomi import load_conversations
from core.enums import NoteTemplate
from core.extraction.local import LocalExtractor
from core.notes.drafts import create_drafts
from core.sessions.records import processed_fields
from core.tables import TherapySession
from tests.factories import make_patient_of


def longest_conversations(count: int) -> list[int]:
    """AnnoMI transcript ids, longest first: a few of them make a many-page record."""
    conversations = load_conversations().values()
    ranked = sorted(conversations, key=lambda c: len(c.segments), reverse=True)
    return [c.transcript_id for c in ranked[:count]]


async def add_processed_sessions(
    therapist_id: UUID, patient_id: UUID, transcript_ids: list[int]
) -> list[UUID]:
    """One processed session (with its note drafts) per conversation, a week apart."""
    conversations = load_conversations()
    extractor = LocalExtractor()
    first_day = datetime.now(UTC) - timedelta(weeks=len(transcript_ids))
    session_ids = []
    for week, transcript_id in enumerate(transcript_ids):
        conversation = conversations[transcript_id]
        segments = list(conversation.segments)
        session = TherapySession(
            therapist_id=therapist_id,
            patient_id=patient_id,
            session_date=first_day + timedelta(weeks=week),
            duration_seconds=conversation.duration_seconds,
            language="en",
            **processed_fields(segments, await extractor.extract(segments)),
        )
        await session.save()
        await create_drafts(session.id, [NoteTemplate.soap])
        session_ids.append(session.id)
    return session_ids


async def patient_with_record(therapist_id: UUID, sessions: int, **patient_fields: object) -> UUID:
    """A patient of `therapist_id` with `sessions` processed sessions of the longest kind."""
    patient_id = await make_patient_of(therapist_id, **patient_fields)
    await add_processed_sessions(therapist_id, patient_id, longest_conversations(sessions))
    return patient_id

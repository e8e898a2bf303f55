"""Demo sessions: a conversation's transcript, processed by the real session pipeline.

A demo session starts where a recording's would be once transcribed (there is no audio to
transcribe); from there `run_pipeline` extracts its notes, drafts its notes and records its
goal readings exactly as it does for an upload. Extraction is the local one whatever EXTRACTOR
says: seeding must not call a remote service, and the demo is written against its results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from core.annomi import load_conversations
from core.demo.model import Patient, Visit
from core.demo.transcripts import rename, replacements
from core.enums import SessionStatus
from core.infra.runtime import Runtime
from core.sessions.pipeline import run_pipeline
from core.sessions.records import transcript_fields
from core.tables import TherapySession


class DemoSeedError(Exception):
    """The demo clinic could not be built as written (a bug in the demo, not in the data)."""


@dataclass(frozen=True)
class DemoClock:
    """When the demo's sessions took place: days before `today`, in the clinic's time zone."""

    today: date
    zone: ZoneInfo
    now: datetime

    def start(self, patient: Patient, visit: Visit) -> datetime:
        day = self.today - timedelta(days=visit.days_ago)
        start = datetime.combine(day, patient.at, self.zone)
        latest = self.now - timedelta(hours=1)
        if start > latest and day == self.now.astimezone(self.zone).date():
            # Its slot today has not come yet: the same share of the part of today that passed.
            midnight = datetime.combine(day, time.min, self.zone)
            slot = timedelta(hours=patient.at.hour, minutes=patient.at.minute)
            start = midnight + max(latest - midnight, timedelta(0)) * (slot / timedelta(days=1))
        return start.astimezone(UTC)


async def process_visit(
    runtime: Runtime,
    patient: Patient,
    patient_id: UUID,
    therapist_id: UUID,
    visit: Visit,
    start: datetime,
) -> UUID:
    """The visit as a processed session, with its drafts and goal readings; its id."""
    conversation = load_conversations()[visit.conversation]
    segments = rename(conversation.segments, replacements(patient, visit))
    session = TherapySession(
        patient_id=patient_id,
        therapist_id=therapist_id,
        session_date=start,
        duration_seconds=conversation.duration_seconds,
        language="en",
        status=SessionStatus.transcribed,
        progress=100,
        **transcript_fields(segments),
    )
    await session.save()
    local = runtime.settings.model_copy(update={"extractor": "local"})
    await run_pipeline(session.id, settings=local, storage=runtime.storage, events=runtime.events)
    row = (
        await TherapySession.select(TherapySession.status, TherapySession.error_message)
        .where(TherapySession.id == session.id)
        .first()
    )
    if row is None or row["status"] != SessionStatus.processed:
        reason = row["error_message"] if row else "missing"
        raise DemoSeedError(f"demo conversation {visit.conversation} was not processed: {reason}")
    return session.id

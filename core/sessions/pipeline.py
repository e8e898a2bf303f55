"""The session pipeline: transcribe, extract, store — resumable and idempotent.

A re-run after a crash resumes at the stage the session reached: a failed session is left
alone, a processed one only gets its follow-up steps (drafts, goals, audio retention) ensured,
a transcribed one skips transcription, and every write is an update of the session's own row
or an idempotent insert, so nothing is ever duplicated. Permanent errors end in `failed` with a
message and the audio deleted; transient ones are raised for the job to retry.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from core.audio import UnsupportedAudio
from core.enums import SessionStatus as S
from core.events import Event, EventPublisher
from core.extracted_notes import TranscriptSegment
from core.extraction import ExtractionError, TransientExtractionError, get_extractor
from core.infra.storage import EncryptedStorage, StorageError
from core.notes.drafts import configured_templates, create_drafts
from core.sessions.records import notes_fields, transcript_fields
from core.sessions.status import IllegalTransition, report_progress, transition
from core.settings import Settings
from core.tables import TherapySession
from core.transcription import TranscriptionError, TransientTranscriptionError, get_transcriber
from core.treatment.goals import sync_goals_from_session

logger = logging.getLogger(__name__)

PROGRESS_STEP = 5  # publish transcription progress in steps of this many percent
MIN_TIMEOUT_SECONDS = 120


class TransientPipelineError(Exception):
    """Worth retrying: a remote service was busy or unreachable."""


PERMANENT = (UnsupportedAudio, TranscriptionError, ExtractionError, StorageError)
TRANSIENT = (TransientTranscriptionError, TransientExtractionError)


def time_limit(duration_seconds: int | None) -> float:
    """Generous for the audio's length: transcription runs well under real time."""
    return max(MIN_TIMEOUT_SECONDS, (duration_seconds or 3600) * 1.0)


async def run_pipeline(
    session_id: UUID, *, settings: Settings, storage: EncryptedStorage, events: EventPublisher
) -> None:
    session = (
        await TherapySession.select()
        .where(TherapySession.id == session_id)
        .output(load_json=True)
        .first()
    )
    if session is None or session["status"] == S.failed:
        return
    if session["status"] == S.processed:  # a rerun after a crash: finish what may be left
        await _follow_ups(session_id, settings)
        await _apply_retention(session, settings=settings, storage=storage)
        return
    try:
        async with asyncio.timeout(time_limit(session["duration_seconds"])):
            await _run_stages(session, settings=settings, storage=storage, events=events)
    except TRANSIENT as error:
        raise TransientPipelineError(str(error)) from error
    except TimeoutError:
        await fail_session(session_id, "processing took too long and was stopped", storage, events)
    except PERMANENT as error:
        await fail_session(session_id, str(error), storage, events)
    except IllegalTransition:
        logger.info("session %s was moved by another worker; leaving it", session_id)


async def _run_stages(
    session: dict[str, Any],
    *,
    settings: Settings,
    storage: EncryptedStorage,
    events: EventPublisher,
) -> None:
    session_id: UUID = session["id"]
    status = S(session["status"])
    if status in (S.uploading, S.transcribing):
        session = await _transcribe(session, settings=settings, storage=storage, events=events)
    segments = [TranscriptSegment.model_validate(s) for s in session["transcript_segments"]]
    await transition(session_id, S.extracting_notes, events)
    notes = await get_extractor(settings).extract(segments)
    async with TherapySession._meta.db.transaction():  # processed means its drafts exist
        await transition(
            session_id,
            S.processed,
            events,
            **notes_fields(notes),
            progress=100,
            processed_at=datetime.now(UTC),
        )
        await _follow_ups(session_id, settings)
    await _apply_retention(session, settings=settings, storage=storage)
    await events.publish(
        Event.session_processed, user_id=session["therapist_id"], session_id=str(session_id)
    )
    if notes.risk_flags:
        await events.publish(
            Event.session_risk_flagged,
            user_id=session["therapist_id"],
            session_id=str(session_id),
            flags=[{"type": str(f.type), "severity": str(f.severity)} for f in notes.risk_flags],
        )


async def _follow_ups(session_id: UUID, settings: Settings) -> None:
    """Note drafts and goal readings from the extracted notes; safe to repeat."""
    await create_drafts(session_id, configured_templates(settings))
    await sync_goals_from_session(session_id)


async def _apply_retention(
    session: dict[str, Any], *, settings: Settings, storage: EncryptedStorage
) -> None:
    """AUDIO_RETENTION=delete: the recording goes once the session is processed."""
    if settings.audio_retention == "delete" and session["audio_path"]:
        storage.delete(session["audio_path"])
        await TherapySession.update({TherapySession.audio_path: None}).where(
            TherapySession.id == session["id"]
        )


async def _transcribe(
    session: dict[str, Any],
    *,
    settings: Settings,
    storage: EncryptedStorage,
    events: EventPublisher,
) -> dict[str, Any]:
    session_id: UUID = session["id"]
    if not session["audio_path"]:
        raise StorageError("the session has no audio to transcribe")
    await transition(session_id, S.transcribing, events, progress=0)
    published = 0

    async def on_progress(fraction: float) -> None:
        nonlocal published
        percent = int(fraction * 100)
        if percent >= published + PROGRESS_STEP:
            published = percent - percent % PROGRESS_STEP
            await report_progress(session_id, published, events)

    with storage.open(session["audio_path"]) as audio:
        transcript = await get_transcriber(settings).transcribe(audio, on_progress=on_progress)
    fields = transcript_fields(transcript.segments)
    await transition(
        session_id,
        S.transcribed,
        events,
        **fields,
        duration_seconds=round(transcript.duration),
        language=transcript.language,
        progress=100,
    )
    return {**session, "transcript_segments": fields["transcript_segments"]}


async def fail_session(
    session_id: UUID, message: str, storage: EncryptedStorage, events: EventPublisher | None
) -> None:
    """End in `failed` with a clear message; the audio goes, nothing is left on disk."""
    row = (
        await TherapySession.select(TherapySession.audio_path)
        .where(TherapySession.id == session_id)
        .first()
    )
    if row and row["audio_path"]:
        storage.delete(row["audio_path"])
    try:
        await transition(session_id, S.failed, events, error_message=message, audio_path=None)
    except IllegalTransition:
        logger.info("session %s already final; not marking failed", session_id)

"""Recovering session work Redis lost: pipelines the database says are mid-way, and analyses
of corrected transcripts that never ran."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from arq.connections import ArqRedis

from core.enums import SessionStatus
from core.events import EventPublisher
from core.infra.queue import PROCESS_SESSION, REANALYSE_SESSION, enqueue, is_queued_or_running
from core.infra.storage import EncryptedStorage
from core.sessions.pipeline import fail_session
from core.sessions.reanalysis import give_up
from core.tables import TherapySession

LOST_AFTER = timedelta(minutes=2)
MAX_SWEEPS = 5
GAVE_UP = "processing could not be completed after several attempts"
ANALYSIS_LOST = "the analysis was interrupted; correct the transcript again to retry"
PIPELINE_STAGES = [
    SessionStatus.uploading,
    SessionStatus.transcribing,
    SessionStatus.transcribed,
    SessionStatus.extracting_notes,
]


async def sweep_lost_sessions(
    queue: ArqRedis, storage: EncryptedStorage, events: EventPublisher
) -> int:
    """Re-enqueue sessions stuck in a stage with no job behind them; returns how many."""
    cutoff = datetime.now(UTC) - LOST_AFTER
    revived = 0
    sessions = await TherapySession.select(TherapySession.id, TherapySession.sweep_count).where(
        TherapySession.status.is_in(PIPELINE_STAGES) & (TherapySession.updated_at < cutoff)
    )
    for session in sessions:
        sweeps = session["sweep_count"]
        if await is_queued_or_running(queue, PROCESS_SESSION, session["id"], sweeps):
            continue
        if sweeps >= MAX_SWEEPS:
            await fail_session(session["id"], GAVE_UP, storage, events)
            continue
        await TherapySession.update({TherapySession.sweep_count: sweeps + 1}).where(
            TherapySession.id == session["id"]
        )
        await enqueue(queue, PROCESS_SESSION, session["id"], attempt=sweeps + 1)
        revived += 1
    return revived


async def sweep_lost_reanalyses(queue: ArqRedis, events: EventPublisher) -> int:
    """Re-enqueue analyses of corrected transcripts that have no job behind them."""
    cutoff = datetime.now(UTC) - LOST_AFTER
    revived = 0
    sessions = await TherapySession.select(
        TherapySession.id, TherapySession.transcript_revision
    ).where(
        (TherapySession.status == SessionStatus.processed)
        & (TherapySession.transcript_revision != TherapySession.analysed_revision)
        & (TherapySession.updated_at < cutoff)
    )
    for session in sessions:
        revision = session["transcript_revision"]
        if await is_queued_or_running(queue, REANALYSE_SESSION, session["id"], revision):
            continue
        if await enqueue(queue, REANALYSE_SESSION, session["id"], attempt=revision):
            revived += 1
        else:  # that job ran and finished without catching up: do not loop on it
            await give_up(session["id"], revision, ANALYSIS_LOST, events)
    return revived

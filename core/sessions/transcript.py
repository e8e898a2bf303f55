"""Correcting a processed session's transcript: who said it, and what was said.

Only the therapist who held the session corrects its transcript, and only once processing has
finished (the pipeline writes the transcript while it runs). Each change is validated, the
`T:`/`P:` text is rendered again from the segments, and the edit is audited with the indexes
of the changed segments — never their words.

A correction flows forward: it advances the session's transcript revision and queues a new
analysis (core.sessions.reanalysis), a few seconds later so that a run of edits is analysed once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from arq.connections import ArqRedis
from pydantic import BaseModel, ConfigDict, Field

from core import audit
from core.access import Actor, require_session
from core.audit import RequestOrigin
from core.enums import AuditAction, SessionStatus
from core.errors import Forbidden, Invalid, NotFound
from core.extracted_notes import Speaker, TranscriptSegment
from core.infra.queue import REANALYSE_SESSION, enqueue
from core.sessions.records import transcript_fields
from core.tables import TherapySession

MAX_SEGMENT_CHARS = 5_000
REANALYSIS_DELAY_SECONDS = 3.0
EDITABLE_STATUSES = frozenset({SessionStatus.processed, SessionStatus.failed})
SWAPPED = {Speaker.therapist: Speaker.patient, Speaker.patient: Speaker.therapist, None: None}


class TranscriptError(Invalid):
    """The change cannot be applied; the message names the segment, never its text."""


class SegmentEdit(BaseModel):
    """One segment's corrected speaker and text."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    index: int = Field(ge=0)
    speaker: Speaker | None
    text: str = Field(max_length=MAX_SEGMENT_CHARS)


async def edit_transcript(
    actor: Actor,
    session_id: UUID,
    edits: list[SegmentEdit],
    origin: RequestOrigin,
    *,
    queue: ArqRedis,
) -> list[TranscriptSegment]:
    """Apply the edits and return every segment as now stored."""
    revision = None
    async with TherapySession._meta.db.transaction():
        session, segments = await _editable(actor, session_id)
        changed = []
        for edit in edits:
            if edit.index >= len(segments):
                raise TranscriptError(f"segment {edit.index + 1} does not exist")
            if not edit.text:
                raise TranscriptError(f"segment {edit.index + 1} needs some text")
            current = segments[edit.index]
            if (current.speaker, current.text) != (edit.speaker, edit.text):
                segments[edit.index] = current.model_copy(
                    update={"speaker": edit.speaker, "text": edit.text}
                )
                changed.append(edit.index)
        if changed:
            revision = await _store(actor, session, segments, changed, origin)
    await _analyse_again(queue, session_id, revision)
    return segments


async def swap_speakers(
    actor: Actor, session_id: UUID, origin: RequestOrigin, *, queue: ArqRedis
) -> list[TranscriptSegment]:
    """Exchange the therapist and patient labels throughout (the voices were told apart, but
    named the wrong way round)."""
    revision = None
    async with TherapySession._meta.db.transaction():
        session, segments = await _editable(actor, session_id)
        swapped = [s.model_copy(update={"speaker": SWAPPED[s.speaker]}) for s in segments]
        changed = [i for i, s in enumerate(segments) if s.speaker is not None]
        if changed:
            revision = await _store(actor, session, swapped, changed, origin)
    await _analyse_again(queue, session_id, revision)
    return swapped


async def _analyse_again(queue: ArqRedis, session_id: UUID, revision: int | None) -> None:
    """Once the correction is committed: its own job, so a running analysis cannot swallow it."""
    if revision is not None:
        await enqueue(
            queue,
            REANALYSE_SESSION,
            session_id,
            attempt=revision,
            defer_seconds=REANALYSIS_DELAY_SECONDS,
        )


async def _editable(
    actor: Actor, session_id: UUID
) -> tuple[dict[str, Any], list[TranscriptSegment]]:
    await require_session(actor, session_id)
    session = (
        await TherapySession.select(
            TherapySession.id,
            TherapySession.patient_id,
            TherapySession.therapist_id,
            TherapySession.status,
            TherapySession.transcript_segments,
        )
        .where(TherapySession.id == session_id)
        .lock_rows()
        .output(load_json=True)
        .first()
    )
    if session is None:
        raise NotFound("session")
    if session["therapist_id"] != actor.id:
        raise Forbidden("only the therapist who held the session may correct its transcript")
    if session["status"] not in EDITABLE_STATUSES or not session["transcript_segments"]:
        raise TranscriptError("the transcript can be corrected once processing has finished")
    return session, [TranscriptSegment.model_validate(s) for s in session["transcript_segments"]]


async def _store(
    actor: Actor,
    session: dict[str, Any],
    segments: list[TranscriptSegment],
    changed: list[int],
    origin: RequestOrigin,
) -> int | None:
    """Store the segments; the new transcript revision when the session will be analysed again
    (a processed one), else None."""
    values = {getattr(TherapySession, k): v for k, v in transcript_fields(segments).items()}
    values[TherapySession.updated_at] = datetime.now(UTC)
    analyse = session["status"] == SessionStatus.processed
    if analyse:
        values[TherapySession.transcript_revision] = TherapySession.transcript_revision + 1
    rows = (
        await TherapySession.update(values)
        .where(TherapySession.id == session["id"])
        .returning(TherapySession.transcript_revision)
    )
    await audit.record(
        AuditAction.edited,
        user_id=actor.id,
        patient_id=session["patient_id"],
        origin=origin,
        resource_type="transcript",
        resource_id=session["id"],
        metadata={"segments": changed},
    )
    return rows[0]["transcript_revision"] if analyse else None

"""Analysing a processed session again after its transcript was corrected.

A correction advances the session's `transcript_revision` and enqueues REANALYSE_SESSION; the
job extracts the notes again and, if no newer correction arrived meanwhile, stores them with
`analysed_revision` brought up to date, redrafts the unsigned notes (keeping the clinician's
edits: core.notes.drafts.refresh_drafts) and records the goals the new notes mention. Signed
notes never change. A newer correction makes an older run give way: its own job follows.

`reanalysing` is true while the two revisions differ, which the pages show as work in progress.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from core.access import Actor, require_session
from core.enums import NoteStatus, SessionStatus
from core.errors import NotFound
from core.events import Event, EventPublisher
from core.extracted_notes import ExtractedNotes, TranscriptSegment
from core.extraction import ExtractionError, TransientExtractionError, get_extractor
from core.notes.drafts import refresh_drafts
from core.sessions.records import notes_fields
from core.settings import Settings
from core.tables import ClinicalNote, TherapySession
from core.treatment.goals import sync_goals_from_session

logger = logging.getLogger(__name__)

FAILED_PREFIX = "the notes could not be updated from the corrected transcript"


class TransientReanalysisError(Exception):
    """Worth retrying: the extraction service was busy or unreachable."""


def reanalysing(session: dict[str, Any]) -> bool:
    return bool(session["transcript_revision"] != session["analysed_revision"])


async def reanalyse_session(
    session_id: UUID, *, settings: Settings, events: EventPublisher
) -> bool:
    """Bring the session's notes up to its transcript; False when there was nothing to do or a
    newer correction superseded this run."""
    session = await _load(session_id)
    if session is None or session["status"] != SessionStatus.processed or not reanalysing(session):
        return False
    revision = session["transcript_revision"]
    await _publish(events, Event.session_reanalysing, session)
    segments = _segments(session["transcript_segments"])
    try:
        notes = await get_extractor(settings).extract(segments)
    except TransientExtractionError as error:
        raise TransientReanalysisError(str(error)) from error
    except ExtractionError as error:
        await give_up(session_id, revision, str(error), events)
        return False
    async with TherapySession._meta.db.transaction():
        current = await _load(session_id, for_update=True)
        if current is None or current["transcript_revision"] != revision:
            logger.info("session %s: a newer correction supersedes this analysis", session_id)
            return False
        await TherapySession.update(
            {
                **{getattr(TherapySession, k): v for k, v in notes_fields(notes).items()},
                TherapySession.analysed_revision: revision,
                TherapySession.error_message: None,
            }
        ).where(TherapySession.id == session_id)
        previous = current["extracted_notes"]
        await refresh_drafts(
            session_id,
            ExtractedNotes.model_validate(previous) if previous else None,
            notes,
            segments,
        )
        await sync_goals_from_session(session_id)
    await _publish(events, Event.session_reanalysed, session)
    new_flags = _new_flags(session["risk_flags"] or [], notes)
    if new_flags:
        await events.publish(
            Event.session_risk_flagged,
            user_id=session["therapist_id"],
            session_id=str(session_id),
            flags=new_flags,
        )
    return True


async def give_up(session_id: UUID, revision: int, reason: str, events: EventPublisher) -> None:
    """Stop trying for this revision: the drafts stay as they were, the page says why."""
    rows = (
        await TherapySession.update(
            {
                TherapySession.analysed_revision: revision,
                TherapySession.error_message: f"{FAILED_PREFIX}: {reason}",
            }
        )
        .where((TherapySession.id == session_id) & (TherapySession.transcript_revision == revision))
        .returning(TherapySession.id, TherapySession.therapist_id)
    )
    if rows:
        await _publish(events, Event.session_reanalysed, rows[0])


async def _load(session_id: UUID, *, for_update: bool = False) -> dict[str, Any] | None:
    query = (
        TherapySession.select(
            TherapySession.id,
            TherapySession.therapist_id,
            TherapySession.status,
            TherapySession.transcript_revision,
            TherapySession.analysed_revision,
            TherapySession.transcript_segments,
            TherapySession.extracted_notes,
            TherapySession.risk_flags,
        )
        .where(TherapySession.id == session_id)
        .output(load_json=True)
    )
    return await (query.lock_rows() if for_update else query).first()


def _segments(raw: list[dict[str, Any]]) -> list[TranscriptSegment]:
    return [TranscriptSegment.model_validate(segment) for segment in raw]


def _new_flags(before: list[dict[str, Any]], notes: ExtractedNotes) -> list[dict[str, str]]:
    seen = {(flag["type"], flag["evidence"]) for flag in before}
    return [
        {"type": str(flag.type), "severity": str(flag.severity)}
        for flag in notes.risk_flags
        if (str(flag.type), flag.evidence) not in seen
    ]


async def _publish(events: EventPublisher, kind: Event, session: dict[str, Any]) -> None:
    await events.publish(kind, user_id=session["therapist_id"], session_id=str(session["id"]))


class AnalysisState(BaseModel):
    """What a page says about a session's analysis after transcript corrections."""

    reanalysing: bool  # a correction is waiting for (or in) analysis
    error: str | None  # why the last correction could not be analysed
    corrected: bool  # the notes follow a corrected transcript
    conflicts: int  # fields of unsigned drafts where the clinician's edit and the new text differ


async def analysis_state(actor: Actor, session_id: UUID) -> AnalysisState:
    await require_session(actor, session_id)
    session = (
        await TherapySession.select(
            TherapySession.status,
            TherapySession.transcript_revision,
            TherapySession.analysed_revision,
            TherapySession.error_message,
        )
        .where(TherapySession.id == session_id)
        .first()
    )
    if session is None:
        raise NotFound("session")
    drafts = (
        await ClinicalNote.select(ClinicalNote.metadata)
        .where((ClinicalNote.session_id == session_id) & (ClinicalNote.status == NoteStatus.draft))
        .output(load_json=True)
    )
    error = session["error_message"]
    processed = session["status"] == SessionStatus.processed
    return AnalysisState(
        reanalysing=processed and reanalysing(session),
        error=error if processed and error and error.startswith(FAILED_PREFIX) else None,
        corrected=session["analysed_revision"] > 0,
        conflicts=sum(len(d["metadata"].get("conflicts", [])) for d in drafts),
    )

"""The session status machine.

    uploading → transcribing → transcribed → extracting_notes → processed
        any non-final state → failed (with an error message)

A stage may be entered again from itself (a job re-run after a worker crash resumes there).
Transitions are compare-and-set updates, so two workers can never both move one session, and
every transition is published as a `session.status` event carrying ids and states only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from piccolo.columns import Column

from core.enums import SessionStatus as S
from core.events import Event, EventPublisher
from core.tables import TherapySession

ALLOWED: dict[S, frozenset[S]] = {
    S.uploading: frozenset({S.transcribing, S.failed}),
    S.transcribing: frozenset({S.transcribing, S.transcribed, S.failed}),
    S.transcribed: frozenset({S.extracting_notes, S.failed}),
    S.extracting_notes: frozenset({S.extracting_notes, S.processed, S.failed}),
    S.processed: frozenset(),
    S.failed: frozenset(),
}


class IllegalTransition(Exception):
    def __init__(self, session_id: UUID, current: str | None, target: S) -> None:
        where = f"from {current}" if current else "(session not found)"
        super().__init__(f"session {session_id}: cannot move to {target} {where}")


def sources_of(target: S) -> list[S]:
    return [source for source, targets in ALLOWED.items() if target in targets]


async def transition(
    session_id: UUID, target: S, events: EventPublisher | None, **fields: Any
) -> dict[str, Any]:
    """Move a session to `target` if allowed from its current state; returns the new row."""
    values: dict[Column | str, Any] = {
        TherapySession.status: target,
        TherapySession.updated_at: datetime.now(UTC),
    }
    values.update({getattr(TherapySession, name): value for name, value in fields.items()})
    rows = (
        await TherapySession.update(values)
        .where((TherapySession.id == session_id) & TherapySession.status.is_in(sources_of(target)))
        .returning(
            TherapySession.id,
            TherapySession.therapist_id,
            TherapySession.patient_id,
            TherapySession.status,
            TherapySession.progress,
        )
    )
    if not rows:
        current = await TherapySession.select(TherapySession.status).where(
            TherapySession.id == session_id
        )
        raise IllegalTransition(session_id, current[0]["status"] if current else None, target)
    row = rows[0]
    if events is not None:
        await events.publish(
            Event.session_status,
            user_id=row["therapist_id"],
            session_id=str(session_id),
            status=str(target),
            progress=row["progress"],
        )
    return dict(row)


async def report_progress(session_id: UUID, progress: int, events: EventPublisher | None) -> None:
    """Progress while transcribing (0–100); not a transition."""
    progress = max(0, min(100, progress))
    rows = (
        await TherapySession.update({TherapySession.progress: progress})
        .where((TherapySession.id == session_id) & (TherapySession.status == S.transcribing))
        .returning(TherapySession.therapist_id)
    )
    if rows and events is not None:
        await events.publish(
            Event.session_progress,
            user_id=rows[0]["therapist_id"],
            session_id=str(session_id),
            status=str(S.transcribing),
            progress=progress,
        )

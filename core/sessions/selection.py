"""Choosing a patient's processed sessions: by dates (the export form, `/tb export … DATE`),
the latest few (`/tb export … last N`), or those a therapist held (`/tb note`). The one place
that decides which sessions count."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from core.enums import SessionStatus
from core.tables import TherapySession
from core.treatment.period import within_period


async def processed_session_ids(
    patient_id: UUID,
    *,
    start: date | None = None,
    end: date | None = None,
    latest: int | None = None,
) -> list[UUID]:
    """The patient's processed sessions between `start` and `end` (whole days, UTC; open where
    None), only the `latest` of them when given, oldest first."""
    query = TherapySession.select(TherapySession.id, TherapySession.session_date).where(
        (TherapySession.patient_id == patient_id)
        & (TherapySession.status == SessionStatus.processed)
    )
    query = within_period(query, TherapySession.session_date, start, end)
    query = query.order_by(TherapySession.session_date, ascending=latest is None)
    if latest is not None:
        query = query.limit(latest)
    rows = await query
    ids = [row["id"] for row in rows]
    return ids if latest is None else ids[::-1]


async def sessions_held(
    therapist_id: UUID, patient_id: UUID, *, day: date | None, limit: int
) -> list[dict[str, Any]]:
    """Processed sessions the therapist held with the patient (id, session_date), newest first:
    those of `day` (in UTC), or the latest when no day is given."""
    query = TherapySession.select(TherapySession.id, TherapySession.session_date).where(
        (TherapySession.patient_id == patient_id)
        & (TherapySession.therapist_id == therapist_id)
        & (TherapySession.status == SessionStatus.processed)
    )
    query = within_period(query, TherapySession.session_date, day, day)
    rows: list[dict[str, Any]] = await query.order_by(
        TherapySession.session_date, ascending=False
    ).limit(limit)
    return rows

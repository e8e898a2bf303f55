"""PHQ-9 and GAD-7 administrations per patient: scored (core.treatment.instruments) before they are stored.

An administration given in a session is dated at the session; one given elsewhere at the time
it is recorded. Scores are stored with their severity band; item scores are kept so a total can
always be checked against them.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from core import audit
from core.access import Actor, require_patient, require_role
from core.audit import RequestOrigin
from core.enums import AuditAction, Instrument, Role
from core.errors import NotFound
from core.tables import MeasureScore, TherapySession
from core.treatment.instruments import MeasureSeverity, MeasureValidationError, Trend, score, trend
from core.treatment.period import day_of, within_period

MEASURE_RESOURCE = "measure"


class MeasureView(BaseModel):
    id: UUID
    patient_id: UUID
    session_id: UUID | None
    instrument: Instrument
    items: list[int]
    total: int
    severity: MeasureSeverity
    # PHQ-9 item 9 (thoughts of death or self-harm) above 0 needs a safety follow-up.
    item9_positive: bool
    recorded_by_id: UUID
    recorded_at: datetime


class MeasurePoint(BaseModel):
    """One total on a chart; the fields are those of documents' `MeasureReading`."""

    instrument: Instrument
    recorded_on: date
    total: int
    severity: str


async def record_measure(
    actor: Actor,
    patient_id: UUID,
    instrument: Instrument | str,
    items: list[int],
    session_id: UUID | None,
    origin: RequestOrigin,
) -> MeasureView:
    """Score and store one administration; invalid items raise MeasureValidationError."""
    require_role(actor, Role.therapist)
    await require_patient(actor, patient_id)
    instrument = _instrument(instrument)
    result = score(instrument, items)
    recorded_at = datetime.now(UTC)
    if session_id is not None:
        session = (
            await TherapySession.select(TherapySession.session_date)
            .where((TherapySession.id == session_id) & (TherapySession.patient_id == patient_id))
            .first()
        )
        if session is None:
            raise NotFound("session")
        recorded_at = session["session_date"]
    row = MeasureScore(
        patient_id=patient_id,
        session_id=session_id,
        recorded_by_id=actor.id,
        instrument=instrument,
        items=list(items),
        total=result.total,
        severity=result.severity,
        recorded_at=recorded_at,
    )
    async with MeasureScore._meta.db.transaction():
        await row.save()
        await audit.record(
            AuditAction.created,
            user_id=actor.id,
            patient_id=patient_id,
            origin=origin,
            resource_type=MEASURE_RESOURCE,
            resource_id=row.id,
            metadata={"instrument": instrument.value},
        )
    return _view(row.to_dict())


async def list_measures(
    actor: Actor,
    patient_id: UUID,
    origin: RequestOrigin,
    instrument: Instrument | str | None = None,
) -> list[MeasureView]:
    """The patient's scores, oldest first, of one instrument or all; the view is audited."""
    await require_patient(actor, patient_id)
    only = _instrument(instrument) if instrument is not None else None
    query = (
        MeasureScore.select()
        .where(MeasureScore.patient_id == patient_id)
        .order_by(MeasureScore.recorded_at)
        .output(load_json=True)
    )
    if only is not None:
        query = query.where(MeasureScore.instrument == only)
    views = [_view(row) for row in await query]
    await audit.record(
        AuditAction.viewed,
        user_id=actor.id,
        patient_id=patient_id,
        origin=origin,
        resource_type=MEASURE_RESOURCE,
        metadata={"instrument": only.value} if only else None,
    )
    return views


async def measure_series(
    patient_id: UUID, start: date | None = None, end: date | None = None
) -> list[MeasurePoint]:
    """Totals over time, oldest first, for documents and charts."""
    rows = await within_period(
        MeasureScore.select(
            MeasureScore.instrument,
            MeasureScore.recorded_at,
            MeasureScore.total,
            MeasureScore.severity,
        )
        .where(MeasureScore.patient_id == patient_id)
        .order_by(MeasureScore.recorded_at),
        MeasureScore.recorded_at,
        start,
        end,
    )
    return [
        MeasurePoint(
            instrument=row["instrument"],
            recorded_on=day_of(row["recorded_at"]),
            total=row["total"],
            severity=row["severity"],
        )
        for row in rows
    ]


def measure_trends(series: Iterable[MeasurePoint]) -> dict[Instrument, Trend | None]:
    """Each instrument's trend over the series (core.treatment.instruments.trend); None below two scores."""
    totals: dict[Instrument, list[tuple[date, int]]] = {}
    for point in series:
        totals.setdefault(point.instrument, []).append((point.recorded_on, point.total))
    return {instrument: trend(instrument, results) for instrument, results in totals.items()}


def _instrument(value: Instrument | str) -> Instrument:
    try:
        return Instrument(value)
    except ValueError:
        known = ", ".join(instrument.value for instrument in Instrument)
        raise MeasureValidationError(f"unknown instrument; use one of: {known}") from None


def _view(row: dict[str, Any]) -> MeasureView:
    instrument = Instrument(row["instrument"])
    return MeasureView(**row, item9_positive=score(instrument, row["items"]).item9_positive)

from datetime import date

import pytest

from core.documents.context import MeasureReading
from core.enums import Instrument
from core.errors import NotFound
from core.tables import ExportAuditLog, MeasureScore
from core.treatment.instruments import MeasureSeverity, MeasureValidationError
from core.treatment.measures import (
    list_measures,
    measure_series,
    measure_trends,
    record_measure,
)
from tests.core.treatment.conftest import ORIGIN, Clinic, make_actor
from tests.factories import make_patient_of

PHQ9_MODERATELY_SEVERE = [2, 2, 2, 2, 2, 2, 1, 1, 1]  # 15, item 9 positive
PHQ9_MILD = [1, 1, 1, 1, 1, 1, 0, 0, 0]  # 6
GAD7_MILD = [1] * 7  # 7


async def test_scores_are_stored_with_their_band_at_the_session_date(clinic: Clinic) -> None:
    session = await clinic.session_on("2026-01-10")
    phq = await record_measure(
        clinic.therapist, clinic.patient, "phq9", PHQ9_MODERATELY_SEVERE, session, ORIGIN
    )
    assert (phq.total, phq.severity, phq.item9_positive) == (
        15,
        MeasureSeverity.moderately_severe,
        True,
    )
    assert phq.recorded_at.date() == date(2026, 1, 10)
    gad = await record_measure(
        clinic.therapist, clinic.patient, Instrument.gad7, GAD7_MILD, None, ORIGIN
    )
    assert (gad.total, gad.severity, gad.item9_positive) == (7, MeasureSeverity.mild, False)

    stored = await MeasureScore.select().order_by(MeasureScore.recorded_at).output(load_json=True)
    assert [(r["instrument"], r["total"], r["severity"]) for r in stored] == [
        ("phq9", 15, "moderately_severe"),
        ("gad7", 7, "mild"),
    ]
    assert stored[0]["items"] == PHQ9_MODERATELY_SEVERE
    assert stored[0]["recorded_by_id"] == clinic.therapist.id
    audit_rows = await ExportAuditLog.select().output(load_json=True)
    assert {(r["action"], r["resource_type"]) for r in audit_rows} == {("created", "measure")}
    assert audit_rows[0]["action_metadata"] == {"instrument": "phq9"}


@pytest.mark.parametrize(
    ("instrument", "items", "message"),
    [
        ("phq9", [1] * 8, "needs 9 item scores"),
        ("gad7", [1, 1, 1, 4, 1, 1, 1], "item 4 must be between 0 and 3"),
        ("gad7", [1, 1, 1, 1, 1, 1, -1], "item 7"),
        ("phq9", [0, 0, 0, 0, 0, 0, 0, 0, True], "whole number"),
        ("bdi2", [0] * 21, "unknown instrument"),
    ],
)
async def test_invalid_items_are_refused_and_nothing_is_written(
    clinic: Clinic, instrument: str, items: list[int], message: str
) -> None:
    with pytest.raises(MeasureValidationError, match=message):
        await record_measure(clinic.therapist, clinic.patient, instrument, items, None, ORIGIN)
    assert await MeasureScore.count() == 0
    assert await ExportAuditLog.count() == 0


async def test_the_session_must_be_the_patients(clinic: Clinic) -> None:
    other_patient = await make_patient_of(clinic.therapist.id)
    their_session = await Clinic(clinic.therapist, other_patient).session_on("2026-01-10")
    with pytest.raises(NotFound, match="session"):
        await record_measure(
            clinic.therapist, clinic.patient, "gad7", GAD7_MILD, their_session, ORIGIN
        )
    assert await MeasureScore.count() == 0


async def test_listing_filters_by_instrument_and_is_audited(clinic: Clinic) -> None:
    me = clinic.therapist
    await record_measure(me, clinic.patient, "phq9", PHQ9_MILD, None, ORIGIN)
    await record_measure(me, clinic.patient, "gad7", GAD7_MILD, None, ORIGIN)
    assert [m.instrument for m in await list_measures(me, clinic.patient, ORIGIN)] == [
        "phq9",
        "gad7",
    ]
    only_gad = await list_measures(me, clinic.patient, ORIGIN, instrument="gad7")
    assert [m.total for m in only_gad] == [7]
    viewed = await ExportAuditLog.count().where(ExportAuditLog.action == "viewed")
    assert viewed == 2


async def test_another_therapist_finds_nothing(clinic: Clinic) -> None:
    stranger = await make_actor()
    with pytest.raises(NotFound):
        await record_measure(stranger, clinic.patient, "gad7", GAD7_MILD, None, ORIGIN)
    with pytest.raises(NotFound):
        await list_measures(stranger, clinic.patient, ORIGIN)


async def test_series_and_trends_for_documents(clinic: Clinic) -> None:
    me = clinic.therapist
    days_and_items = [
        ("2026-01-10", "phq9", [3, 3, 2, 2, 2, 2, 2, 2, 2]),  # 20, severe
        ("2026-02-10", "gad7", GAD7_MILD),
        ("2026-03-10", "phq9", PHQ9_MILD),
    ]
    for day, instrument, items in days_and_items:
        session = await clinic.session_on(day)
        await record_measure(me, clinic.patient, instrument, items, session, ORIGIN)

    series = await measure_series(clinic.patient)
    assert [(p.recorded_on, p.instrument, p.total, p.severity) for p in series] == [
        (date(2026, 1, 10), "phq9", 20, "severe"),
        (date(2026, 2, 10), "gad7", 7, "mild"),
        (date(2026, 3, 10), "phq9", 6, "mild"),
    ]
    assert measure_trends(series) == {Instrument.phq9: "improving", Instrument.gad7: None}
    readings = [MeasureReading.model_validate(point.model_dump()) for point in series]
    assert [reading.severity for reading in readings] == ["severe", "mild", "mild"]

    march = await measure_series(clinic.patient, date(2026, 3, 1), date(2026, 3, 10))
    assert [p.total for p in march] == [6]

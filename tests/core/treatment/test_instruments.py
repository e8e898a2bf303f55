from datetime import date

import pytest

from core.enums import Instrument
from core.treatment.instruments import MeasureSeverity, MeasureValidationError, score, trend


def items_summing_to(total: int, count: int) -> list[int]:
    """Item scores with the given total, filled with 3s from the first item."""
    items = [min(3, max(0, total - 3 * index)) for index in range(count)]
    assert sum(items) == total
    return items


@pytest.mark.parametrize(
    ("total", "severity"),
    [
        (0, MeasureSeverity.minimal),
        (4, MeasureSeverity.minimal),
        (5, MeasureSeverity.mild),
        (9, MeasureSeverity.mild),
        (10, MeasureSeverity.moderate),
        (14, MeasureSeverity.moderate),
        (15, MeasureSeverity.moderately_severe),
        (19, MeasureSeverity.moderately_severe),
        (20, MeasureSeverity.severe),
        (27, MeasureSeverity.severe),
    ],
)
def test_phq9_bands_at_every_cut_off(total: int, severity: MeasureSeverity) -> None:
    result = score(Instrument.phq9, items_summing_to(total, 9))
    assert (result.total, result.severity) == (total, severity)


@pytest.mark.parametrize(
    ("total", "severity"),
    [
        (0, MeasureSeverity.minimal),
        (4, MeasureSeverity.minimal),
        (5, MeasureSeverity.mild),
        (9, MeasureSeverity.mild),
        (10, MeasureSeverity.moderate),
        (14, MeasureSeverity.moderate),
        (15, MeasureSeverity.severe),
        (21, MeasureSeverity.severe),
    ],
)
def test_gad7_bands_at_every_cut_off(total: int, severity: MeasureSeverity) -> None:
    result = score(Instrument.gad7, items_summing_to(total, 7))
    assert (result.total, result.severity) == (total, severity)


def test_phq9_item9_above_zero_is_a_safety_flag_whatever_the_total() -> None:
    assert score(Instrument.phq9, [0, 0, 0, 0, 0, 0, 0, 0, 1]).item9_positive
    assert not score(Instrument.phq9, [3, 3, 3, 3, 3, 3, 3, 3, 0]).item9_positive


def test_gad7_has_no_item9_flag() -> None:
    assert not score(Instrument.gad7, [3] * 7).item9_positive


@pytest.mark.parametrize(
    ("instrument", "items", "message"),
    [
        (Instrument.phq9, [1] * 8, "PHQ-9 needs 9 item scores, got 8"),
        (Instrument.gad7, [1] * 9, "GAD-7 needs 7 item scores, got 9"),
        (Instrument.phq9, [0, 0, 0, 4, 0, 0, 0, 0, 0], "PHQ-9 item 4 must be between 0 and 3"),
        (Instrument.gad7, [0, -1, 0, 0, 0, 0, 0], "GAD-7 item 2 must be between 0 and 3"),
        (
            Instrument.phq9,
            [0, 0, 2.0, 0, 0, 0, 0, 0, 0],
            "item 3 must be a whole number, got float",
        ),
        (Instrument.gad7, ["2", 0, 0, 0, 0, 0, 0], "item 1 must be a whole number, got str"),
        (Instrument.gad7, [0, 0, 0, 0, 0, 0, True], "item 7 must be a whole number, got bool"),
    ],
)
def test_invalid_items_are_refused_naming_the_item(
    instrument: Instrument, items: list, message: str
) -> None:
    with pytest.raises(MeasureValidationError, match=message):
        score(instrument, items)


def test_trend_needs_two_results() -> None:
    assert trend(Instrument.phq9, []) is None
    assert trend(Instrument.phq9, [(date(2025, 1, 1), 12)]) is None


@pytest.mark.parametrize(
    ("instrument", "first", "last", "expected"),
    [
        (Instrument.phq9, 15, 10, "improving"),  # exactly the 5-point threshold
        (Instrument.phq9, 15, 11, "stable"),
        (Instrument.phq9, 10, 15, "worsening"),
        (Instrument.phq9, 10, 14, "stable"),
        (Instrument.gad7, 12, 8, "improving"),  # exactly the 4-point threshold
        (Instrument.gad7, 12, 9, "stable"),
        (Instrument.gad7, 8, 12, "worsening"),
    ],
)
def test_trend_uses_the_clinically_meaningful_change(
    instrument: Instrument, first: int, last: int, expected: str
) -> None:
    results = [(date(2025, 1, 1), first), (date(2025, 2, 1), 20), (date(2025, 3, 1), last)]
    assert trend(instrument, results) == expected


def test_trend_orders_results_by_date() -> None:
    results = [(date(2025, 3, 1), 6), (date(2025, 1, 1), 18)]
    assert trend(Instrument.phq9, results) == "improving"

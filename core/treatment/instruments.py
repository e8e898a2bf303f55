"""Standardised outcome measures: PHQ-9 (depression) and GAD-7 (anxiety).

Scoring and severity bands follow the published instruments: Kroenke, Spitzer & Williams 2001
(PHQ-9) and Spitzer et al. 2006 (GAD-7). Every item is scored 0–3 and the total is their sum.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from core.enums import Instrument
from core.errors import Invalid


class MeasureSeverity(StrEnum):
    minimal = "minimal"
    mild = "mild"
    moderate = "moderate"
    moderately_severe = "moderately_severe"
    severe = "severe"


class MeasureValidationError(Invalid):
    """The item scores cannot be scored; the message names the instrument and the item."""


@dataclass(frozen=True)
class _InstrumentSpec:
    label: str
    item_count: int
    # (highest total in the band, band), in increasing order
    bands: tuple[tuple[int, MeasureSeverity], ...]
    # The smallest change in total that counts as clinically meaningful.
    meaningful_change: int


ITEM_MIN, ITEM_MAX = 0, 3

_SPECS: dict[Instrument, _InstrumentSpec] = {
    Instrument.phq9: _InstrumentSpec(
        label="PHQ-9",
        item_count=9,
        bands=(
            (4, MeasureSeverity.minimal),
            (9, MeasureSeverity.mild),
            (14, MeasureSeverity.moderate),
            (19, MeasureSeverity.moderately_severe),
            (27, MeasureSeverity.severe),
        ),
        # 5 points: the change Kroenke et al. treat as clinically significant.
        meaningful_change=5,
    ),
    Instrument.gad7: _InstrumentSpec(
        label="GAD-7",
        item_count=7,
        bands=(
            (4, MeasureSeverity.minimal),
            (9, MeasureSeverity.mild),
            (14, MeasureSeverity.moderate),
            (21, MeasureSeverity.severe),
        ),
        # 4 points: the usual minimal clinically important difference for the GAD-7.
        meaningful_change=4,
    ),
}


@dataclass(frozen=True)
class MeasureResult:
    total: int
    severity: MeasureSeverity
    # PHQ-9 item 9 asks about thoughts of being better off dead or of self-harm: any answer
    # above 0 needs a safety follow-up whatever the total. Always False for the GAD-7.
    item9_positive: bool


Trend = Literal["improving", "worsening", "stable"]


def score(instrument: Instrument, items: list[int]) -> MeasureResult:
    """Total and severity band of one administration; raises MeasureValidationError."""
    spec = _SPECS[instrument]
    _validate(spec, items)
    total = sum(items)
    severity = next(band for highest, band in spec.bands if total <= highest)
    item9_positive = instrument is Instrument.phq9 and items[8] > 0
    return MeasureResult(total=total, severity=severity, item9_positive=item9_positive)


def trend(instrument: Instrument, results: list[tuple[date, int]]) -> Trend | None:
    """Direction of change from the earliest to the latest total, by date.

    Lower totals mean fewer symptoms. A change smaller than the instrument's clinically
    meaningful threshold is "stable"; fewer than two results give None.
    """
    if len(results) < 2:
        return None
    ordered = sorted(results, key=lambda result: result[0])
    change = ordered[-1][1] - ordered[0][1]
    threshold = _SPECS[instrument].meaningful_change
    if change <= -threshold:
        return "improving"
    if change >= threshold:
        return "worsening"
    return "stable"


def _validate(spec: _InstrumentSpec, items: list[int]) -> None:
    if len(items) != spec.item_count:
        raise MeasureValidationError(
            f"{spec.label} needs {spec.item_count} item scores, got {len(items)}"
        )
    for number, item in enumerate(items, start=1):
        # bool is an int subclass; True is not a score.
        if not isinstance(item, int) or isinstance(item, bool):
            raise MeasureValidationError(
                f"{spec.label} item {number} must be a whole number, got {type(item).__name__}"
            )
        if not ITEM_MIN <= item <= ITEM_MAX:
            raise MeasureValidationError(
                f"{spec.label} item {number} must be between {ITEM_MIN} and {ITEM_MAX}"
            )

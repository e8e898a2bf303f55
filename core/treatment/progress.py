"""Treatment-goal progress from measurements as people say them ("8/10", "4 hours", "62.5%").

Progress follows the specification's examples: the change relative to the baseline, so anxiety
8/10 → 5/10 (lower is better) is (8 − 5) / 8 = 37.5 % and sleep 4 → 6.5 hours (higher is better)
is (6.5 − 4) / 4 = 62.5 %; without a target a higher-is-better goal may pass 100 % (2 → 6 hours
is 200 %). When the goal has a target, progress is instead the share of the way from baseline to
target, capped at 100 % once the target is reached. Worsening is reported as a negative
percentage, never hidden. Whatever cannot be compared honestly (words, different scales or
units, a zero baseline) gives None rather than a number.
"""

import re
from dataclasses import dataclass

from core.enums import GoalDirection

_NUMBER = r"(\d+(?:\.\d+)?)"
_FRACTION = re.compile(rf"{_NUMBER}\s*(?:/|out of)\s*{_NUMBER}")
_PERCENT = re.compile(rf"{_NUMBER}\s*%")
_QUANTITY = re.compile(rf"{_NUMBER}(?:\s*([a-z][a-z ]*))?")

_LOWER_IS_BETTER = re.compile(
    r"\b(reduc(?:e|es|ed|ing|tion)|decreas(?:e|es|ed|ing)|less|lower|fewer|"
    r"minimi[sz](?:e|es|ed|ing)|stop(?:s|ped|ping)?|quit(?:s|ting)?|cut(?:ting)? down|"
    r"eliminat(?:e|es|ed|ing))\b"
)
_HIGHER_IS_BETTER = re.compile(
    r"\b(improv(?:e|es|ed|ing|ement)|increas(?:e|es|ed|ing)|more|better|higher|"
    r"build(?:s|ing)?|gain(?:s|ed|ing)?|strengthen(?:s|ed|ing)?|"
    # What motivational-interviewing rulers rate ("Confidence (0–10)"), and abilities ("be
    # able to walk to the shops"): more is progress.
    r"confiden(?:ce|t)|importan(?:ce|t)|readiness|ready|motivat(?:ion|ed)|"
    r"willing(?:ness)?|commit(?:ment|ted)|able to)\b"
)


@dataclass(frozen=True)
class Measurement:
    value: float
    scale_max: float | None = None  # 10 for "8/10", 100 for "62.5%", None when unsaid
    unit: str | None = None  # "hour" for "4 hours per night": first word, singular

    @property
    def dimension(self) -> tuple[str, float | str] | None:
        """What the number counts; None when unsaid, which fits any other reading."""
        if self.scale_max is not None:
            return ("out of", self.scale_max)
        if self.unit is not None:
            return ("unit", self.unit)
        return None


def parse_measurement(value: str | float) -> Measurement | None:
    """The number in a measurement, or None when there is none ("better", "12/10")."""
    if isinstance(value, int | float):
        return Measurement(float(value)) if value >= 0 else None
    text = value.strip().rstrip(".").lower()
    if match := _FRACTION.fullmatch(text):
        amount, scale_max = float(match[1]), float(match[2])
        return Measurement(amount, scale_max) if scale_max > 0 and amount <= scale_max else None
    if match := _PERCENT.fullmatch(text):
        amount = float(match[1])
        return Measurement(amount, 100.0) if amount <= 100 else None
    if match := _QUANTITY.fullmatch(text):
        unit = match[2].split()[0].removesuffix("s") if match[2] else None
        return Measurement(float(match[1]), unit=unit)
    return None


def progress_percentage(
    baseline: str | float,
    current: str | float,
    direction: GoalDirection,
    target: str | float | None = None,
) -> float | None:
    """Progress in percent (negative when worse), rounded to 0.1, or None if not comparable."""
    start, now = parse_measurement(baseline), parse_measurement(current)
    goal = parse_measurement(target) if target is not None else None
    if start is None or now is None or (target is not None and goal is None):
        return None
    dimensions = {reading.dimension for reading in (start, now, goal) if reading is not None}
    if len(dimensions - {None}) > 1:  # "8/10" against "50%", or hours against days
        return None
    sign = -1 if direction == GoalDirection.lower_is_better else 1
    gained = sign * (now.value - start.value)
    if goal is None:
        if start.value == 0:
            return None
        return round(gained / start.value * 100, 1)
    needed = sign * (goal.value - start.value)
    if needed <= 0:  # the target is not an improvement on the baseline
        return None
    return round(min(gained / needed * 100, 100.0), 1)


def infer_direction(description: str) -> GoalDirection:
    """Which way a goal's measure should move, from the first telling word in its wording.

    Goals that say neither ("Manage anger") default to lower_is_better, as most goals track
    symptoms; the therapist can change it.
    """
    text = description.lower()
    lower, higher = _LOWER_IS_BETTER.search(text), _HIGHER_IS_BETTER.search(text)
    if higher and (lower is None or higher.start() < lower.start()):
        return GoalDirection.higher_is_better
    return GoalDirection.lower_is_better

import pytest

from core.enums import GoalDirection
from core.treatment.progress import (
    Measurement,
    infer_direction,
    parse_measurement,
    progress_percentage,
)

LOWER = GoalDirection.lower_is_better
HIGHER = GoalDirection.higher_is_better


@pytest.mark.parametrize(
    ("said", "measurement"),
    [
        ("8/10", Measurement(8, 10)),
        ("8 / 10", Measurement(8, 10)),
        ("7 out of 10", Measurement(7, 10)),
        ("62.5%", Measurement(62.5, 100)),
        ("4 hours", Measurement(4, unit="hour")),
        ("1 hour per night", Measurement(1, unit="hour")),
        ("5", Measurement(5)),
        ("5.", Measurement(5)),
        (6.5, Measurement(6.5)),
    ],
)
def test_parse_measurement_reads_numbers_as_said(said: str, measurement: Measurement) -> None:
    assert parse_measurement(said) == measurement


@pytest.mark.parametrize("said", ["better", "", "about the same", "12/10", "8/0", "150%", -1])
def test_parse_measurement_gives_none_without_a_sound_number(said: str) -> None:
    assert parse_measurement(said) is None


def test_lower_is_better_progress_matches_the_specification() -> None:
    assert progress_percentage("8/10", "5/10", LOWER) == 37.5


def test_higher_is_better_progress_matches_the_specification() -> None:
    assert progress_percentage("4 hours", "6.5 hours", HIGHER) == 62.5
    assert progress_percentage(4, 6.5, HIGHER) == 62.5


def test_direction_may_come_from_the_database_as_plain_text() -> None:
    assert progress_percentage("8/10", "5/10", "lower_is_better") == 37.5  # type: ignore[arg-type]


def test_worsening_is_negative() -> None:
    assert progress_percentage("4/10", "6/10", LOWER) == -50.0
    assert progress_percentage("6 hours", "3 hours", HIGHER) == -50.0


def test_without_a_target_higher_is_better_may_pass_100() -> None:
    assert progress_percentage("2 hours", "6 hours", HIGHER) == 200.0


def test_with_a_target_progress_is_the_share_of_the_way_capped_at_100() -> None:
    assert progress_percentage("8/10", "5/10", LOWER, target="3/10") == 60.0
    assert progress_percentage("8/10", "2/10", LOWER, target="3/10") == 100.0
    assert progress_percentage(4, 8, HIGHER, target=7) == 100.0
    assert progress_percentage("8/10", "9/10", LOWER, target="3/10") == -20.0


def test_a_target_that_is_no_improvement_gives_none() -> None:
    assert progress_percentage("8/10", "5/10", LOWER, target="9/10") is None
    assert progress_percentage("8/10", "5/10", LOWER, target="soon") is None


def test_a_bare_number_takes_the_scale_of_the_other_reading() -> None:
    assert progress_percentage("8/10", "5", LOWER) == 37.5


@pytest.mark.parametrize(
    ("baseline", "current"),
    [("better", "5/10"), ("8/10", "much better"), ("N/A", "N/A")],
)
def test_non_numeric_values_give_none(baseline: str, current: str) -> None:
    assert progress_percentage(baseline, current, LOWER) is None


@pytest.mark.parametrize(
    ("baseline", "current"),
    [("8/10", "50%"), ("8/10", "5/7"), ("4 hours", "3 days"), ("8/10", "4 hours")],
)
def test_mismatched_scales_give_none(baseline: str, current: str) -> None:
    assert progress_percentage(baseline, current, LOWER) is None


def test_a_zero_baseline_gives_none_rather_than_infinity() -> None:
    assert progress_percentage("0 walks", "3 walks", HIGHER) is None


@pytest.mark.parametrize(
    ("description", "direction"),
    [
        ("Reduce social anxiety", LOWER),
        ("Decrease panic attacks", LOWER),
        ("Drink less alcohol", LOWER),
        ("Fewer arguments at home", LOWER),
        ("Improve sleep quality", HIGHER),
        ("Increase physical activity", HIGHER),
        ("Spend more time with friends", HIGHER),
        ("Reduce worry to improve sleep", LOWER),  # the first telling word decides
        ("Improve mood by drinking less", HIGHER),
        ("Manage anger", LOWER),  # says neither: the default
        ("Attend lessons regularly", LOWER),  # "lessons" is not "less"
        # The rulers the extractor names goals after: confidence and the like should rise.
        ("Confidence (0–10)", HIGHER),
        ("Importance (0–10)", HIGHER),
        ("Readiness (0–10)", HIGHER),
        ("Motivation (0–10)", HIGHER),
        ("Anxiety (0–10)", LOWER),
        ("Reduce anxiety to feel more confident", LOWER),
        ("Be able to walk down the hallway and back", HIGHER),
    ],
)
def test_infer_direction(description: str, direction: GoalDirection) -> None:
    assert infer_direction(description) == direction

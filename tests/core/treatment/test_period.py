from datetime import UTC, date, datetime

from core.treatment.period import day_of, period_bounds


def test_a_period_covers_whole_days_at_both_ends() -> None:
    lower, upper = period_bounds(date(2026, 2, 1), date(2026, 2, 28))
    assert lower == datetime(2026, 2, 1, tzinfo=UTC)
    assert upper == datetime(2026, 3, 1, tzinfo=UTC)


def test_an_open_side_stays_open() -> None:
    assert period_bounds(None, date(2026, 12, 31)) == (None, datetime(2027, 1, 1, tzinfo=UTC))
    assert period_bounds(None, None) == (None, None)


def test_days_are_counted_in_utc() -> None:
    late_evening_in_new_york = datetime.fromisoformat("2026-01-10T22:30:00-05:00")
    assert day_of(late_evening_in_new_york) == date(2026, 1, 11)

"""Report periods: whole days, both ends included, counted in UTC."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from piccolo.columns import Timestamptz
from piccolo.query import Select

Query = TypeVar("Query", bound=Select[Any])


def period_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """[start at midnight, the day after end at midnight); None leaves that side open."""
    lower = datetime.combine(start, time.min, UTC) if start else None
    upper = datetime.combine(end + timedelta(days=1), time.min, UTC) if end else None
    return lower, upper


def within_period(query: Query, column: Timestamptz, start: date | None, end: date | None) -> Query:
    """`query` narrowed to rows whose `column` falls in the period."""
    lower, upper = period_bounds(start, end)
    if lower is not None:
        query = query.where(column >= lower)
    if upper is not None:
        query = query.where(column < upper)
    return query


def day_of(moment: datetime) -> date:
    return moment.astimezone(UTC).date()

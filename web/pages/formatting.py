"""How the dashboard writes times, sizes and scores; registered as Jinja filters.

Times are shown in the clinic's time zone (CLINIC_TIMEZONE); the database keeps UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from core.documents.formatting import format_clock, humanize
from core.notes.evidence import risk_label

HIGH_CONFIDENCE, MEDIUM_CONFIDENCE = 0.8, 0.5


def in_zone(zone: ZoneInfo) -> Callable[[datetime | None], datetime | None]:
    def convert(value: datetime | None) -> datetime | None:
        return value.astimezone(zone) if value is not None else None

    return convert


def day(value: date | datetime | None) -> str:
    """'Nov 26, 2026'."""
    if value is None:
        return "—"
    return f"{value:%b} {value.day}, {value.year}"


def clock_time(value: datetime | None) -> str:
    """'14:05'."""
    return f"{value:%H:%M}" if value is not None else "—"


def moment(value: datetime | None) -> str:
    """'Nov 26, 2026, 14:05'."""
    return f"{day(value)}, {clock_time(value)}" if value is not None else "—"


def minutes(seconds: float | None) -> str:
    if not seconds:
        return "—"
    return f"{max(1, round(seconds / 60))} min"


def time_left(expires_at: datetime | None, now: datetime | None = None) -> str:
    """What is left before an export's file is deleted: '6 days left', '3 h left'."""
    if expires_at is None:
        return "—"
    seconds = (expires_at - (now or datetime.now(UTC))).total_seconds()
    if seconds <= 0:
        return "Expired"
    if seconds >= 2 * 86400:
        return f"{int(seconds // 86400)} days left"
    if seconds >= 3600:
        return f"{int(seconds // 3600)} h left"
    return f"{max(1, int(seconds // 60))} min left"


def file_size(size: int | None) -> str:
    if size is None:
        return "—"
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def percent(value: float | None) -> str:
    return f"{round(value * 100)}%" if value is not None else "—"


def confidence_level(score: float | None) -> str:
    """'high', 'medium' or 'low' — the badge a confidence score gets."""
    if score is None or score < MEDIUM_CONFIDENCE:
        return "low"
    return "high" if score >= HIGH_CONFIDENCE else "medium"


def patient_options(patients: list[dict[str, Any]], selected: UUID | None = None) -> Markup:
    """The `<option>`s of a patient picker in one pass: a caseload may hold a thousand names,
    and a template loop over them costs more than the rest of the page."""
    return Markup(  # noqa: S704 - names are escaped here; ids are UUIDs
        "".join(
            f'<option value="{p["id"]}"{" selected" if p["id"] == selected else ""}>'
            f"{escape(p['full_name'])}</option>"
            for p in patients
        )
    )


def filters(zone: ZoneInfo) -> dict[str, Callable[..., Any]]:
    local = in_zone(zone)
    return {
        "day": lambda value: day(local(value) if isinstance(value, datetime) else value),
        "clock_time": lambda value: clock_time(local(value)),
        "moment": lambda value: moment(local(value)),
        "clock": format_clock,
        "minutes": minutes,
        "time_left": time_left,
        "file_size": file_size,
        "percent": percent,
        "confidence_level": confidence_level,
        "humanize": humanize,
        "risk_label": risk_label,
    }

"""How values read in a document, shared by the PDF templates and the DOCX writer.

A value the record does not hold prints as NOT_RECORDED, never as a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from core.enums import Instrument

NOT_RECORDED = "Not recorded"
CONFIDENTIALITY_NOTICE = (
    "CONFIDENTIAL — This document contains protected health information (PHI). "
    "Disclosure is restricted by law."
)
RUNNING_NOTICE = "Confidential — contains PHI"

INSTRUMENT_LABELS = {Instrument.phq9: "PHQ-9", Instrument.gad7: "GAD-7"}


def recorded(value: object) -> str:
    """The value as text, or NOT_RECORDED when it is missing or blank."""
    if value is None or (isinstance(value, str | list | tuple | dict) and not value):
        return NOT_RECORDED
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, StrEnum):
        return humanize(value)
    return str(value)


def format_date(value: date | datetime | None) -> str:
    """'January 15, 2025'."""
    if value is None:
        return NOT_RECORDED
    return f"{value:%B} {value.day}, {value.year}"


def format_datetime(value: datetime | None) -> str:
    """'January 15, 2025 at 2:30 PM UTC' (the zone is the one the time was stored in)."""
    if value is None:
        return NOT_RECORDED
    clock = value.strftime("%I:%M %p").lstrip("0")
    zone = value.strftime(" %Z") if value.tzinfo else ""
    return f"{format_date(value)} at {clock}{zone}"


def format_minutes(value: float | None) -> str:
    if value is None:
        return NOT_RECORDED
    return f"{value:.0f} min" if value == round(value) else f"{value:.1f} min"


def format_percentage(value: float | None) -> str:
    if value is None:
        return "Not computable"
    return f"{value:+.0f}%" if value < 0 else f"{value:.0f}%"


def format_clock(seconds: float) -> str:
    """A transcript offset: '4:05' or '1:02:09'."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def humanize(value: object) -> str:
    """'moderately_severe' → 'Moderately severe'; 'phq9' → 'PHQ-9'."""
    if value is None:
        return NOT_RECORDED
    if isinstance(value, str) and value in INSTRUMENT_LABELS:
        return INSTRUMENT_LABELS[Instrument(value)]
    text = str(value).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def date_range(start: date | None, end: date | None) -> str:
    return f"{format_date(start)} – {format_date(end)}"


def clinician_line(name: str | None, license: str | None) -> str:
    """'Dr. Jane Smith, LCSW 12345'."""
    if not name:
        return NOT_RECORDED
    return f"{name}, {license}" if license else name


UNREVIEWED = "DRAFT — not reviewed"


def documentation_status(doc: Mapping[str, Any]) -> str:
    """Which note a session is documented by, briefly: 'SOAP v2, signed by Dr. Jane Smith,
    January 5, 2025' or UNREVIEWED. `doc` is a SessionDocumentation as data."""
    if doc["source"] != "signed":
        return UNREVIEWED
    signer = doc["signed_by"] or NOT_RECORDED
    return f"{str(doc['template']).upper()} v{doc['version']}, signed by {signer}, {format_date(doc['signed_at'])}"


def documentation_line(doc: Mapping[str, Any]) -> str:
    """The same in full, for a session's heading."""
    template = str(doc["template"] or "").upper()
    if doc["source"] == "draft":
        return f"{UNREVIEWED}: unsigned {template} draft"
    if doc["source"] != "signed":
        return f"{UNREVIEWED}: automated extraction, no note drafted"
    version = doc["version"] or 1
    amended = f", version {version} (amended)" if version > 1 else ""
    signer = doc["signed_by"] or NOT_RECORDED
    return f"{template} note{amended}, signed by {signer} on {format_datetime(doc['signed_at'])}"


def content_notice(signed_only: bool, left_out: int, unreviewed: int) -> str:
    """What a document's session content is: signed notes only, or drafts too (marked)."""
    if signed_only:
        if not left_out:
            return "Signed notes only"
        return f"Signed notes only; {_sessions(left_out)} without a signed note left out"
    if unreviewed:
        return f"Signed notes, and {_sessions(unreviewed)} not yet signed, marked {UNREVIEWED}"
    return "Signed notes"


def _sessions(count: int) -> str:
    return f"{count} session{'' if count == 1 else 's'}"

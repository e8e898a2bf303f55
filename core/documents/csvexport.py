"""The CSV export: one row per session in scope, with the same columns for every export type.

RFC 4180 (CRLF line ends, quoted fields where needed), UTF-8, one header row. Missing values
are empty cells. Text cells that a spreadsheet would run as a formula (starting with = + - @,
or a tab or carriage return) are prefixed with an apostrophe, as OWASP recommends.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from core.documents.context import DocumentContext, SessionRecord

COLUMNS = (
    "patient_name",
    "session_id",
    "session_date",
    "duration_minutes",
    "therapist",
    "mood",
    "mood_trajectory",
    "key_topics",
    "topic_summary",
    "emotional_themes",
    "strategies",
    "action_items",
    "follow_up_topics",
    "unresolved_concerns",
    "risk_flags",
    "therapist_summary",
)
LIST_SEPARATOR = "; "
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def render_csv(context: DocumentContext) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for session in context.sessions:
        writer.writerow(_cell(value) for value in _row(context.patient.full_name, session))
    return buffer.getvalue().encode("utf-8")


def _row(patient_name: str, session: SessionRecord) -> tuple[str | float | None, ...]:
    notes = session.extracted_notes
    return (
        patient_name,
        str(session.id),
        session.session_date.isoformat(),
        session.duration_minutes,
        session.therapist_name,
        notes.session_mood if notes else None,
        notes.mood_trajectory if notes else None,
        _join(notes.key_topics) if notes else None,
        notes.topic_summary if notes else None,
        _join(notes.emotional_themes) if notes else None,
        _join(f"{s.name} ({s.status})" for s in notes.strategies) if notes else None,
        _join(item.task for item in notes.action_items) if notes else None,
        _join(notes.follow_up_topics) if notes else None,
        _join(notes.unresolved_concerns) if notes else None,
        _join(f"{f.type} ({f.severity})" for f in notes.risk_flags) if notes else None,
        session.therapist_summary,
    )


def _join(items: Iterable[object]) -> str:
    return LIST_SEPARATOR.join(str(item) for item in items)


def _cell(value: str | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return neutralise_formula(value)


def neutralise_formula(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text

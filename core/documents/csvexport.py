"""The CSV export: one row per session in scope, with the same columns for every export type.

A row says what the session's documentation says (the signed note, or the draft or extraction,
marked in `documentation`) and carries the note itself: its version, signer, hash, amendments
with their reasons, and its text.

RFC 4180 (CRLF line ends, quoted fields where needed), UTF-8, one header row. Missing values
are empty cells. Text cells that a spreadsheet would run as a formula (starting with = + - @,
or a tab or carriage return) are prefixed with an apostrophe, as OWASP recommends.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from uuid import UUID

from core.documents.context import ClinicalNoteRecord, DocumentContext, SessionRecord
from core.notes.content import render_note_text

COLUMNS = (
    "patient_name",
    "session_id",
    "session_date",
    "duration_minutes",
    "therapist",
    "documentation",
    "note_template",
    "note_version",
    "signed_by",
    "signed_at",
    "note_sha256",
    "amendments",
    "mood",
    "mood_trajectory",
    "key_topics",
    "emotional_themes",
    "interventions",
    "homework",
    "follow_up_topics",
    "unresolved_concerns",
    "treatment_goals",
    "risk_flags",
    "risk_assessment",
    "plan",
    "summary",
    "note_text",
)
LIST_SEPARATOR = "; "
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | float | int | None


def render_csv(context: DocumentContext) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    notes: dict[UUID, list[ClinicalNoteRecord]] = defaultdict(list)
    for note in context.clinical_notes:
        notes[note.session_id].append(note)
    for session in context.sessions:
        row = _row(context.patient.full_name, session, notes[session.id])
        writer.writerow(_cell(value) for value in row)
    return buffer.getvalue().encode("utf-8")


def _row(
    patient_name: str, session: SessionRecord, notes: list[ClinicalNoteRecord]
) -> tuple[Cell, ...]:
    doc, record = session.documentation, session.record
    chain = [n for n in notes if n.template == doc.template]
    used = next((n for n in chain if n.version == doc.version), None)
    return (
        patient_name,
        str(session.id),
        session.session_date.isoformat(),
        session.duration_minutes,
        session.therapist_name,
        doc.source.value,
        doc.template.value if doc.template else None,
        doc.version,
        doc.signed_by,
        doc.signed_at.isoformat() if doc.signed_at else None,
        doc.content_sha256,
        _join(f"v{n.version}: {n.amendment_reason}" for n in chain if n.amendment_reason),
        record.mood.value if record.mood else None,
        record.mood_trajectory,
        _join(record.topics),
        _join(record.themes),
        _join(record.interventions),
        _join(record.homework),
        _join(record.follow_up),
        _join(record.concerns),
        _join(
            f"{g.description} ({g.reading})" if g.reading else g.description for g in record.goals
        ),
        _join(f"{f.label} ({f.severity or 'not rated'})" for f in record.risk_flags),
        record.risk_assessment,
        record.plan,
        record.summary,
        render_note_text(used.template, used.sections) if used else None,
    )


def _join(items: Iterable[object]) -> str:
    return LIST_SEPARATOR.join(str(item) for item in items)


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return neutralise_formula(value)


def neutralise_formula(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text

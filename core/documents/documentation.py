"""Which note documents a session, and what it records: the signed note is the truth.

A session with a signed note (or the current version of an amended one) is documented by it —
by the latest signed, when notes of several templates are. Otherwise its most recently edited
draft stands in, and failing that the automated extraction; both are marked not reviewed. An
unreviewed account never drops a risk the extraction raised: a draft's risk lines are read, and
any flag of the extraction they do not repeat is added (recall first, until a clinician signs).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from core.documents.context import ClinicalNoteRecord, NoteSource, SessionDocumentation
from core.enums import NoteStatus, NoteTemplate
from core.extracted_notes import ExtractedNotes
from core.notes.record import NoteRecord, read_record, record_from_extraction, recorded_flag
from core.notes.templates import TEMPLATE_FIELDS
from core.tables import ClinicalNote

_EPOCH = datetime.min.replace(tzinfo=UTC)


async def note_rows(session_ids: list[UUID], signed_only: bool) -> list[dict[str, Any]]:
    """Every version of the sessions' notes (drafts unless signed_only), in session order."""
    if not session_ids:
        return []
    statuses = [NoteStatus.signed, NoteStatus.amended]
    if not signed_only:
        statuses.append(NoteStatus.draft)
    return (
        await ClinicalNote.select(
            ClinicalNote.session_id,
            ClinicalNote.session_id.session_date.as_alias("session_date"),
            ClinicalNote.template,
            ClinicalNote.version,
            ClinicalNote.status,
            ClinicalNote.sections,
            ClinicalNote.record,
            ClinicalNote.signed_by_id.full_name.as_alias("signed_by"),
            ClinicalNote.signed_at,
            ClinicalNote.content_sha256,
            ClinicalNote.amendment_reason,
            ClinicalNote.updated_at,
        )
        .where(ClinicalNote.session_id.is_in(session_ids) & ClinicalNote.status.is_in(statuses))
        .order_by(ClinicalNote.session_id.session_date)
        .order_by(ClinicalNote.template)
        .order_by(ClinicalNote.version)
        .output(load_json=True)
    )


def document_session(
    extracted: dict[str, Any] | None, notes: list[dict[str, Any]]
) -> SessionDocumentation:
    """The session's documentation from its notes (rows of `note_rows`) and its extraction."""
    signed = [note for note in notes if note["status"] == NoteStatus.signed]
    if signed:
        note = max(signed, key=lambda n: n["signed_at"] or _EPOCH)
        return _from_note(note, NoteSource.signed, _signed_record(note))
    extraction = ExtractedNotes.model_validate(extracted) if extracted else None
    drafts = [note for note in notes if note["status"] == NoteStatus.draft]
    if drafts:
        note = max(drafts, key=lambda n: n["updated_at"] or _EPOCH)
        record = read_record(NoteTemplate(note["template"]), note["sections"])
        return _from_note(note, NoteSource.draft, _with_extracted_risks(record, extraction))
    record = record_from_extraction(extraction) if extraction else NoteRecord()
    return SessionDocumentation(source=NoteSource.extraction, record=record)


def note_record(row: dict[str, Any]) -> ClinicalNoteRecord:
    """A `note_rows` row as documents carry it, sections in the template's order."""
    fields = {key: value for key, value in row.items() if key != "record"}
    template = NoteTemplate(row["template"])
    return ClinicalNoteRecord(
        **{**fields, "sections": in_template_order(template, row["sections"])}
    )


def in_template_order(
    template: NoteTemplate, sections: dict[str, dict[str, str]]
) -> dict[str, dict[str, str]]:
    """Sections and fields in the template's order (JSONB does not keep key order)."""
    layout = TEMPLATE_FIELDS[template]

    def ordered(keys: dict[str, Any], reference: dict[str, Any]) -> list[str]:
        return [k for k in reference if k in keys] + [k for k in keys if k not in reference]

    return {
        section: {
            f: sections[section][f] for f in ordered(sections[section], layout.get(section, {}))
        }
        for section in ordered(sections, layout)
    }


def _signed_record(note: dict[str, Any]) -> NoteRecord:
    """As kept at signing; read from the text for notes signed before records were kept."""
    if note["record"]:
        return NoteRecord.model_validate(note["record"])
    return read_record(NoteTemplate(note["template"]), note["sections"])


def _with_extracted_risks(record: NoteRecord, extraction: ExtractedNotes | None) -> NoteRecord:
    if extraction is None:
        return record
    written = " ".join(flag.evidence for flag in record.risk_flags).casefold()
    missing = [
        recorded_flag(flag)
        for flag in extraction.risk_flags
        if flag.evidence.casefold() not in written
    ]
    return record.model_copy(update={"risk_flags": [*record.risk_flags, *missing]})


def _from_note(
    note: dict[str, Any], source: NoteSource, record: NoteRecord
) -> SessionDocumentation:
    signed = source is NoteSource.signed
    return SessionDocumentation(
        source=source,
        template=note["template"],
        version=note["version"],
        signed_by=note["signed_by"] if signed else None,
        signed_at=note["signed_at"] if signed else None,
        content_sha256=note["content_sha256"] if signed else None,
        amendment_reason=note["amendment_reason"] if signed else None,
        record=record,
    )

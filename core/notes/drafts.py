"""Draft notes for a processed session: one per clinic template, each created exactly once.

The pipeline calls `create_drafts` once a session is processed; calling it again, or twice at
the same time, creates nothing new: the session row stays locked while its notes are checked
and written, so there is one note per (session, template) until an amendment supersedes it.

A draft remembers what the machine wrote (`metadata.generated`), so that when the session is
analysed again (`refresh_drafts`, after a transcript correction) the clinician's own edits are
told apart from the machine's text and kept (core.notes.regeneration).
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from core import audit
from core.audit import SYSTEM_ORIGIN, RequestOrigin
from core.enums import AuditAction, NoteStatus, NoteTemplate, SessionStatus
from core.errors import NotFound
from core.extracted_notes import ExtractedNotes, TranscriptSegment
from core.notes.autofill import AutofillResult
from core.notes.editing import missing_fields
from core.notes.errors import NoteStateError
from core.notes.regeneration import Conflict, merge_regenerated
from core.notes.transcript_draft import draft_note
from core.settings import ConfigError, Settings
from core.tables import ClinicalNote, TherapySession

NOTE_RESOURCE = "clinical_note"


def configured_templates(settings: Settings) -> list[NoteTemplate]:
    """The templates of DEFAULT_NOTE_TEMPLATES, in order, each once."""
    names = [name.lower() for name in settings.note_templates]
    known = [template.value for template in NoteTemplate]
    for name in names:
        if name not in known:
            raise ConfigError(
                f"DEFAULT_NOTE_TEMPLATES: unknown template {name!r}; allowed: {', '.join(known)}"
            )
    return [NoteTemplate(name) for name in dict.fromkeys(names)]


async def create_drafts(
    session_id: UUID,
    templates: Sequence[NoteTemplate],
    *,
    requested_by: UUID | None = None,
    origin: RequestOrigin = SYSTEM_ORIGIN,
) -> list[UUID]:
    """Draft the notes a processed session lacks; the ids created by this call (often none).

    `templates` are the clinic's (`configured_templates`) after processing. The author of a draft is the
    session's therapist; its audit row names `requested_by` when a person asked for it (the
    system, after processing, otherwise).
    """
    wanted = list(templates)
    created: list[UUID] = []
    async with ClinicalNote._meta.db.transaction():
        session = (
            await TherapySession.select(
                TherapySession.id,
                TherapySession.patient_id,
                TherapySession.therapist_id,
                TherapySession.status,
                TherapySession.extracted_notes,
                TherapySession.transcript_segments,
            )
            .where(TherapySession.id == session_id)
            .lock_rows()
            .output(load_json=True)
            .first()
        )
        if session is None:
            raise NotFound("session")
        if session["status"] != SessionStatus.processed:
            raise NoteStateError(
                f"notes are drafted once a session is processed; this one is {session['status']}"
            )
        if session["extracted_notes"] is None:
            raise NoteStateError("the session has no extracted notes to draft from")
        drafted = await ClinicalNote.select(ClinicalNote.template).where(
            ClinicalNote.session_id == session_id
        )
        existing = {row["template"] for row in drafted}
        notes = ExtractedNotes.model_validate(session["extracted_notes"])
        segments = [
            TranscriptSegment.model_validate(segment)
            for segment in session["transcript_segments"] or []
        ]
        for template in wanted:
            if template in existing:
                continue
            draft = draft_note(notes, segments, template)
            note_id = await _insert_draft(session, template, draft, requested_by, origin)
            created.append(note_id)
    return created


async def _insert_draft(
    session: dict[str, Any],
    template: NoteTemplate,
    draft: AutofillResult,
    requested_by: UUID | None,
    origin: RequestOrigin,
) -> UUID:
    note = ClinicalNote(
        session_id=session["id"],
        author_id=session["therapist_id"],
        template=template,
        sections=draft.sections,
        confidence_scores=draft.confidence_scores,
        missing_fields=draft.missing_fields,
        metadata=draft_metadata(draft, []),
        status=NoteStatus.draft,
        version=1,
    )
    await note.save()
    metadata = {"session_id": str(session["id"]), "template": template.value, "version": 1}
    if requested_by is not None:
        metadata["requested"] = "on_demand"
    await audit.record(
        AuditAction.created,
        user_id=requested_by,  # None: drafted by the system once the session was processed
        patient_id=session["patient_id"],
        origin=origin,
        resource_type=NOTE_RESOURCE,
        resource_id=note.id,
        metadata=metadata,
    )
    return note.id


def draft_metadata(draft: AutofillResult, conflicts: list[Conflict]) -> dict[str, Any]:
    """A draft's metadata: the autofill figures, what it wrote, and its open conflicts."""
    return {
        **draft.metadata.model_dump(mode="json"),
        "generated": draft.sections,
        "conflicts": [conflict.model_dump() for conflict in conflicts],
    }


async def refresh_drafts(
    session_id: UUID,
    previous: ExtractedNotes | None,
    notes: ExtractedNotes,
    segments: list[TranscriptSegment],
) -> list[UUID]:
    """Redraft the session's unsigned notes from a new extraction, keeping the clinician's
    edits (see the module's docstring); the ids of the drafts changed. Signed notes stay.

    A draft written before drafts kept their text is compared with a redraft of `previous`,
    the extraction it was made from."""
    drafts = (
        await ClinicalNote.select(
            ClinicalNote.id,
            ClinicalNote.template,
            ClinicalNote.sections,
            ClinicalNote.metadata,
            ClinicalNote.session_id.patient_id.as_alias("patient_id"),
        )
        .where((ClinicalNote.session_id == session_id) & (ClinicalNote.status == NoteStatus.draft))
        .lock_rows(of=(ClinicalNote,))
        .output(load_json=True)
    )
    changed = []
    for row in drafts:
        template = NoteTemplate(row["template"])
        regenerated = draft_note(notes, segments, template)
        before = row["metadata"].get("generated")
        if before is None and previous is not None:
            before = draft_note(previous, segments, template).sections
        conflicts = [Conflict.model_validate(c) for c in row["metadata"].get("conflicts", [])]
        sections, conflicts = merge_regenerated(
            row["sections"], before, regenerated.sections, conflicts
        )
        if sections == row["sections"] and before == regenerated.sections:
            continue
        await ClinicalNote.update(
            {
                ClinicalNote.sections: sections,
                ClinicalNote.missing_fields: missing_fields(template, sections),
                ClinicalNote.confidence_scores: regenerated.confidence_scores,
                ClinicalNote.metadata: draft_metadata(regenerated, conflicts),
                ClinicalNote.updated_at: datetime.now(UTC),
            }
        ).where(ClinicalNote.id == row["id"])
        await audit.record(
            AuditAction.edited,
            user_id=None,  # redrafted by the system from the corrected transcript
            patient_id=row["patient_id"],
            resource_type=NOTE_RESOURCE,
            resource_id=row["id"],
            metadata={
                "session_id": str(session_id),
                "reason": "transcript corrected",
                "conflicts": len(conflicts),
            },
        )
        changed.append(row["id"])
    return changed

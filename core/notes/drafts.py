"""Draft notes for a processed session: one per clinic template, each created exactly once.

The pipeline calls `create_drafts` once a session is processed; calling it again, or twice at
the same time, creates nothing new: the session row stays locked while its notes are checked
and written, so there is one note per (session, template) until an amendment supersedes it.
"""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from core import audit
from core.access import NotFound
from core.enums import AuditAction, NoteStatus, NoteTemplate, SessionStatus
from core.extracted_notes import ExtractedNotes, TranscriptSegment
from core.notes.autofill import AutofillResult
from core.notes.errors import NoteStateError
from core.notes.transcript_draft import draft_note
from core.settings import ConfigError, get_settings
from core.tables import ClinicalNote, TherapySession

NOTE_RESOURCE = "clinical_note"


def configured_templates() -> list[NoteTemplate]:
    """The templates of DEFAULT_NOTE_TEMPLATES, in order, each once."""
    names = [name.lower() for name in get_settings().note_templates]
    known = [template.value for template in NoteTemplate]
    for name in names:
        if name not in known:
            raise ConfigError(
                f"DEFAULT_NOTE_TEMPLATES: unknown template {name!r}; allowed: {', '.join(known)}"
            )
    return [NoteTemplate(name) for name in dict.fromkeys(names)]


async def create_drafts(
    session_id: UUID, templates: Sequence[NoteTemplate] | None = None
) -> list[UUID]:
    """Draft the notes a processed session lacks; the ids created by this call (often none).

    `templates` defaults to the clinic's (DEFAULT_NOTE_TEMPLATES). The author of a draft is the
    session's therapist.
    """
    wanted = list(templates) if templates is not None else configured_templates()
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
            note_id = await _insert_draft(session, template, draft_note(notes, segments, template))
            created.append(note_id)
    return created


async def _insert_draft(
    session: dict[str, Any], template: NoteTemplate, draft: AutofillResult
) -> UUID:
    note = ClinicalNote(
        session_id=session["id"],
        author_id=session["therapist_id"],
        template=template,
        sections=draft.sections,
        confidence_scores=draft.confidence_scores,
        missing_fields=draft.missing_fields,
        metadata=draft.metadata.model_dump(mode="json"),
        status=NoteStatus.draft,
        version=1,
    )
    await note.save()
    await audit.record(
        AuditAction.created,
        user_id=None,  # drafted by the system; the therapist signs later
        patient_id=session["patient_id"],
        resource_type=NOTE_RESOURCE,
        resource_id=note.id,
        metadata={"session_id": str(session["id"]), "template": template.value, "version": 1},
    )
    return note.id

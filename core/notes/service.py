"""Reviewing clinical notes: read, edit a draft, sign it, amend a signed note.

Who may do what: everyone who may reach the session's patient reads its notes; only the
therapist who held the session edits, signs and amends them. A note the actor may not reach is
NotFound, whatever its state.

One (session, template) note through its life:

    draft ──edit──▶ draft ──sign──▶ signed ──amend(reason)──▶ amended (kept as it was signed)
                                                   └──▶ version + 1: signed, amendment_of → it

Signing stores the SHA-256 of the canonical content (core.notes.content), which `verify_note`
recomputes later. A signed note changes only through an amendment, a new row; the original keeps
its content, signature and hash, and only its status becomes `amended`.

Signing (and amending) also keeps what the note records (core.notes.record: topics, homework,
goals, risk…) for reports to count, and makes the goal readings it states the session's.

An amendment is signed as it is made, by the amending therapist: amending attests the corrected
content, and the record never leads from a signed original to an unsigned replacement. To
correct an amendment, amend it again.

Every view, edit, signature and amendment writes its audit row in the transaction that makes
the change. Audit metadata holds ids, versions and hashes; never note text or the reason, which
is kept on the amendment's row.

A note as read carries its signer's name and licence (`signed_by_name`, `signed_by_license`;
None while unsigned): a signed note is read as the clinician's, under their name.
"""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from piccolo.engine.postgres import PostgresTransaction

from core import audit
from core.access import Actor, require_session
from core.audit import RequestOrigin
from core.enums import AuditAction, NoteStatus, NoteTemplate
from core.errors import NotFound
from core.notes.content import Sections, content_sha256
from core.notes.drafts import NOTE_RESOURCE
from core.notes.editing import merge_sections, missing_fields
from core.notes.errors import (
    InvalidNoteContent,
    NoteLocked,
    NoteStateError,
    NotSessionTherapist,
)
from core.notes.record import read_record
from core.notes.regeneration import Conflict, settled
from core.tables import ClinicalNote
from core.treatment.goals import sync_goals_from_signed_note

MAX_REASON_CHARS = 2_000

# Who signed, read with the note (a left join: None while unsigned).
_SIGNER_COLUMNS = (
    ClinicalNote.signed_by_id.full_name.as_alias("signed_by_name"),
    ClinicalNote.signed_by_id.license.as_alias("signed_by_license"),
)

# What a list shows: enough to pick a note, none of its content.
_SUMMARY_COLUMNS = (
    ClinicalNote.id,
    ClinicalNote.template,
    ClinicalNote.version,
    ClinicalNote.status,
    ClinicalNote.author_id,
    ClinicalNote.signed_by_id,
    ClinicalNote.signed_at,
    ClinicalNote.amendment_of_id,
    ClinicalNote.created_at,
    ClinicalNote.updated_at,
    *_SIGNER_COLUMNS,
)


async def get_note(actor: Actor, note_id: UUID, origin: RequestOrigin) -> dict[str, Any]:
    """The note with its content; the view is audited."""
    note, session = await _reach(actor, note_id)
    await _audit(AuditAction.viewed, actor, session, note_id, origin, version=note["version"])
    return note


async def list_notes(actor: Actor, session_id: UUID) -> list[dict[str, Any]]:
    """Every note of the session, amended versions included, without content (not audited)."""
    await require_session(actor, session_id)
    return (
        await ClinicalNote.select(*_SUMMARY_COLUMNS)
        .where(ClinicalNote.session_id == session_id)
        .order_by(ClinicalNote.template)
        .order_by(ClinicalNote.version)
    )


async def edit_note(
    actor: Actor, note_id: UUID, sections: object, origin: RequestOrigin
) -> dict[str, Any]:
    """Change fields of a draft (see core.notes.editing); a signed note raises NoteLocked."""
    async with _transaction():
        note, session = await _reach_as_therapist(actor, note_id)
        if note["status"] == NoteStatus.amended:
            raise NoteLocked("this version was amended and is locked; amend the current version")
        if note["status"] != NoteStatus.draft:
            raise NoteLocked()
        template = NoteTemplate(note["template"])
        merged = merge_sections(template, note["sections"], sections)
        assert isinstance(sections, dict)  # merge_sections refuses anything else
        await ClinicalNote.update(
            {
                ClinicalNote.sections: merged,
                ClinicalNote.missing_fields: missing_fields(template, merged),
                ClinicalNote.metadata: _settle_conflicts(note["metadata"], sections),
                ClinicalNote.updated_at: datetime.now(UTC),
            }
        ).where(ClinicalNote.id == note_id)
        await _audit(AuditAction.edited, actor, session, note_id, origin, version=note["version"])
    return await _load(note_id)


async def sign_note(actor: Actor, note_id: UUID, origin: RequestOrigin) -> dict[str, Any]:
    """Sign a draft: its content is locked and its hash stored."""
    async with _transaction():
        note, session = await _reach_as_therapist(actor, note_id)
        if note["status"] != NoteStatus.draft:
            raise NoteStateError("this note is already signed")
        template = NoteTemplate(note["template"])
        digest = content_sha256(template, note["sections"])
        record = read_record(template, note["sections"])
        now = datetime.now(UTC)
        await ClinicalNote.update(
            {
                ClinicalNote.status: NoteStatus.signed,
                ClinicalNote.signed_by_id: actor.id,
                ClinicalNote.signed_at: now,
                ClinicalNote.content_sha256: digest,
                ClinicalNote.record: record.model_dump(mode="json"),
                ClinicalNote.updated_at: now,
            }
        ).where(ClinicalNote.id == note_id)
        await sync_goals_from_signed_note(actor, session["id"], record.goals, origin)
        await _audit(
            AuditAction.signed,
            actor,
            session,
            note_id,
            origin,
            version=note["version"],
            content_sha256=digest,
        )
    return await _load(note_id)


async def amend_note(
    actor: Actor, note_id: UUID, sections: object, reason: str, origin: RequestOrigin
) -> dict[str, Any]:
    """A signed note corrected: the new version, signed, linked to the original; see above."""
    reason = _amendment_reason(reason)
    async with _transaction():
        original, session = await _reach_as_therapist(actor, note_id)
        if original["status"] == NoteStatus.draft:
            raise NoteStateError("a draft is edited, not amended; only signed notes are amended")
        if original["status"] == NoteStatus.amended:
            raise NoteStateError("this version was already amended; amend the current version")
        template = NoteTemplate(original["template"])
        merged = merge_sections(template, original["sections"], sections)
        digest = content_sha256(template, merged)
        if digest == original["content_sha256"]:
            raise InvalidNoteContent("the amendment does not change the note's content")
        record = read_record(template, merged)
        now = datetime.now(UTC)
        # The original stops being current before its successor exists.
        await ClinicalNote.update(
            {ClinicalNote.status: NoteStatus.amended, ClinicalNote.updated_at: now}
        ).where(ClinicalNote.id == note_id)
        amendment = ClinicalNote(
            session_id=original["session_id"],
            author_id=actor.id,
            template=template,
            sections=merged,
            confidence_scores=original["confidence_scores"],
            missing_fields=missing_fields(template, merged),
            metadata=original["metadata"],
            record=record.model_dump(mode="json"),
            status=NoteStatus.signed,
            version=original["version"] + 1,
            signed_by_id=actor.id,
            signed_at=now,
            content_sha256=digest,
            amendment_of_id=note_id,
            amendment_reason=reason,
        )
        await amendment.save()
        await sync_goals_from_signed_note(actor, session["id"], record.goals, origin)
        await _audit(
            AuditAction.amended,
            actor,
            session,
            amendment.id,
            origin,
            original_id=str(note_id),
            new_id=str(amendment.id),
            version=amendment.version,
            content_sha256=digest,
        )
    return await _load(amendment.id)


def verify_note(note: dict[str, Any]) -> bool:
    """Whether a signed (or amended) note's content still matches the hash it was signed with."""
    if note["status"] == NoteStatus.draft or not note["content_sha256"]:
        return False
    return bool(
        content_sha256(NoteTemplate(note["template"]), note["sections"]) == note["content_sha256"]
    )


def _settle_conflicts(metadata: dict[str, Any], changes: Sections) -> dict[str, Any]:
    """A field the clinician saves settles its conflict with a regenerated draft."""
    conflicts = [Conflict.model_validate(c) for c in metadata.get("conflicts", [])]
    if not conflicts:
        return metadata
    return {**metadata, "conflicts": [c.model_dump() for c in settled(conflicts, changes)]}


def _amendment_reason(reason: str) -> str:
    cleaned = reason.strip() if isinstance(reason, str) else ""
    if not cleaned:
        raise InvalidNoteContent("an amendment needs a reason")
    if len(cleaned) > MAX_REASON_CHARS:
        raise InvalidNoteContent(f"the reason is longer than {MAX_REASON_CHARS} characters")
    return cleaned


def _transaction() -> PostgresTransaction:
    transaction: PostgresTransaction = ClinicalNote._meta.db.transaction()
    return transaction


async def _load(note_id: UUID, *, for_update: bool = False) -> dict[str, Any]:
    query = (
        ClinicalNote.select(*ClinicalNote.all_columns(), *_SIGNER_COLUMNS)
        .where(ClinicalNote.id == note_id)
        .output(load_json=True)
    )
    # Only the note's row is locked: the signer's side of the join may be absent.
    note = await (query.lock_rows(of=(ClinicalNote,)) if for_update else query).first()
    if note is None:
        raise NotFound("clinical note")
    return note


async def _reach(
    actor: Actor, note_id: UUID, *, for_update: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The note and its session, if the actor may reach the session's patient."""
    note = await _load(note_id, for_update=for_update)
    try:
        session = await require_session(actor, note["session_id"])
    except NotFound:
        raise NotFound("clinical note") from None
    return note, session


async def _reach_as_therapist(actor: Actor, note_id: UUID) -> tuple[dict[str, Any], dict[str, Any]]:
    """The note locked for a change by the therapist who held its session."""
    note, session = await _reach(actor, note_id, for_update=True)
    if session["therapist_id"] != actor.id:
        raise NotSessionTherapist()
    return note, session


async def _audit(
    action: AuditAction,
    actor: Actor,
    session: dict[str, Any],
    note_id: UUID,
    origin: RequestOrigin,
    **metadata: str | int,
) -> None:
    await audit.record(
        action,
        user_id=actor.id,
        patient_id=session["patient_id"],
        origin=origin,
        resource_type=NOTE_RESOURCE,
        resource_id=note_id,
        metadata={"session_id": str(session["id"]), **metadata},
    )

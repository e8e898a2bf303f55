"""A note drafted when the clinician asks: any template, for any of their processed sessions.

Built on `create_drafts`, which locks the session row while it checks and writes: asking twice,
or from the dashboard and Slack at once, yields one note, and the later request gets that note
back (`created` False) rather than an error — the clinician wanted the note, and there it is.

Only the therapist who held the session drafts its notes, as only they edit and sign them.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from core.access import Actor, require_session
from core.audit import RequestOrigin
from core.enums import NoteStatus, NoteTemplate
from core.errors import Invalid, NotFound
from core.notes.drafts import create_drafts
from core.notes.errors import NotSessionTherapist
from core.tables import ClinicalNote


@dataclass(frozen=True)
class OnDemandDraft:
    note_id: UUID
    created: bool  # False: the session already had this note, returned as it is
    status: NoteStatus  # a new draft's, or the existing note's


async def draft_on_demand(
    actor: Actor, session_id: UUID, template: NoteTemplate | str, origin: RequestOrigin
) -> OnDemandDraft:
    """The session's note in `template`: drafted now, or the one it already has.

    NotFound when the actor may not reach the session; NotSessionTherapist when they did not
    hold it; NoteStateError when it is not processed yet. Refusals change nothing.
    """
    template = _template(template)
    # One transaction: the access check holds until the draft and its audit row are written.
    async with ClinicalNote._meta.db.transaction():
        session = await require_session(actor, session_id)
        if session["therapist_id"] != actor.id:
            raise NotSessionTherapist("draft its notes")
        created = await create_drafts(session_id, [template], requested_by=actor.id, origin=origin)
        if not created:
            return await _current_note(session_id, template)
        [note_id] = created
    return OnDemandDraft(note_id, created=True, status=NoteStatus.draft)


def _template(template: NoteTemplate | str) -> NoteTemplate:
    try:
        return NoteTemplate(template)
    except ValueError:
        known = ", ".join(t.value for t in NoteTemplate)
        raise Invalid(f"unknown note template; use one of: {known}") from None


async def _current_note(session_id: UUID, template: NoteTemplate) -> OnDemandDraft:
    """The current version of the session's note in `template` (amendments supersede)."""
    row = (
        await ClinicalNote.select(ClinicalNote.id, ClinicalNote.status)
        .where((ClinicalNote.session_id == session_id) & (ClinicalNote.template == template))
        .order_by(ClinicalNote.version, ascending=False)
        .first()
    )
    if row is None:  # create_drafts found one under the session's lock: it cannot vanish
        raise NotFound("clinical note")
    return OnDemandDraft(row["id"], created=False, status=NoteStatus(row["status"]))

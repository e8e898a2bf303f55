"""Note review: one session's SOAP/DAP/BIRP/progress notes — draft, read, edit, sign, amend."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest, HTMXTemplate

from core.access import Actor
from core.audit import RequestOrigin
from core.dashboard import session_row
from core.enums import NoteStatus, NoteTemplate, SessionStatus
from core.notes.on_demand import draft_on_demand
from core.notes.service import amend_note, edit_note, get_note, list_notes, sign_note
from core.notes.templates import TEMPLATE_FIELDS
from core.sessions.reanalysis import analysis_state

FIELD_SEPARATOR = "."


def sections_from_form(form: FormMultiDict) -> dict[str, dict[str, str]]:
    """`section.field` form inputs as the services' {section: {field: text}}."""
    sections: dict[str, dict[str, str]] = {}
    for name, value in form.items():
        section, separator, field = name.partition(FIELD_SEPARATOR)
        if separator and field:
            sections.setdefault(section, {})[field] = str(value)
    return sections


def section_fields(template: NoteTemplate, sections: dict[str, dict[str, str]]) -> list[Any]:
    """Each section with its fields in the template's order, then fields the clinician added."""
    laid_out = []
    for section, fields in TEMPLATE_FIELDS[template].items():
        present = sections.get(section, {})
        names = list(fields) + [name for name in present if name not in fields]
        laid_out.append((section, [(name, present.get(name, "")) for name in names]))
    return laid_out


async def _review(
    actor: Actor,
    session_id: UUID,
    template: NoteTemplate,
    origin: RequestOrigin,
    note: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What the review shows for one template: its current note and earlier versions."""
    session = await session_row(actor, session_id)
    every_note = await list_notes(actor, session_id)
    versions = [n for n in every_note if n["template"] == template]
    if note is None and versions:
        note = await get_note(actor, versions[-1]["id"], origin)
    return {
        "session": session,
        "template": template,
        "templates": list(NoteTemplate),
        "drafted": {n["template"] for n in every_note},
        "note": note,
        "fields": section_fields(template, note["sections"]) if note else [],
        "conflicts": _conflicts(note),
        "versions": versions,
        "can_change": session["therapist_id"] == actor.id,
        "can_draft": session["status"] == SessionStatus.processed,
    }


def _conflicts(note: dict[str, Any] | None) -> dict[str, str]:
    """A draft's open conflicts with its regenerated text, by "section.field"."""
    if note is None or note["status"] != NoteStatus.draft:
        return {}
    return {
        f"{c['section']}{FIELD_SEPARATOR}{c['field']}": c["regenerated"]
        for c in note["metadata"].get("conflicts", [])
    }


class NoteController(Controller):
    include_in_schema = False

    @get("/sessions/{session_id:uuid}/notes", name="notes")
    async def review(
        self,
        request: HTMXRequest,
        session_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        template: FromQuery[NoteTemplate | None] = None,
    ) -> HTMXTemplate:
        if template is None:
            drafted = [n["template"] for n in await list_notes(actor, session_id)]
            template = NoteTemplate(drafted[0]) if drafted else NoteTemplate.soap
        context = await _review(actor, session_id, template, origin)
        if request.htmx:
            return HTMXTemplate(template_name="notes/_review.html", context=context)
        page = {**context, "actor": actor, "nav": "", "refreshed": False}
        page["analysis"] = await analysis_state(actor, session_id)
        return HTMXTemplate(template_name="notes/review.html", context=page)

    @post("/sessions/{session_id:uuid}/notes", name="session.notes.draft")
    async def draft(
        self,
        request: Request,
        session_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> HTMXTemplate:
        """Draft the note of the template the tab shows; if another window drafted it a moment
        ago, show that one."""
        form = await request.form()
        drafted = await draft_on_demand(actor, session_id, str(form.get("template", "")), origin)
        note = await get_note(actor, drafted.note_id, origin)
        name = NoteTemplate(note["template"]).value.upper()
        if drafted.created:
            message = f"{name} draft created."
        else:
            message = f"This session already has a {name} note."
        return await self._after(actor, note, origin, message)

    @post("/notes/{note_id:uuid}/edit", name="note.edit")
    async def edit(
        self,
        request: Request,
        note_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> HTMXTemplate:
        note = await edit_note(actor, note_id, sections_from_form(await request.form()), origin)
        return await self._after(actor, note, origin, "Draft saved.")

    @post("/notes/{note_id:uuid}/sign", name="note.sign")
    async def sign(
        self,
        request: Request,
        note_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> HTMXTemplate:
        """Save what the form holds, then sign it: what is signed is what the person saw."""
        sections = sections_from_form(await request.form())
        if sections:
            await edit_note(actor, note_id, sections, origin)
        note = await sign_note(actor, note_id, origin)
        return await self._after(actor, note, origin, "Note signed.")

    @post("/notes/{note_id:uuid}/amend", name="note.amend")
    async def amend(
        self,
        request: Request,
        note_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> HTMXTemplate:
        form = await request.form()
        reason = str(form.get("reason", ""))
        note = await amend_note(actor, note_id, sections_from_form(form), reason, origin)
        return await self._after(
            actor, note, origin, f"Amendment saved as version {note['version']}."
        )

    async def _after(
        self, actor: Actor, note: dict[str, Any], origin: RequestOrigin, message: str
    ) -> HTMXTemplate:
        template = NoteTemplate(note["template"])
        context = await _review(actor, note["session_id"], template, origin, note=note)
        return HTMXTemplate(
            template_name="notes/_review.html",
            context=context,
            trigger_event="flash",
            params={"message": message},
            after="receive",
        )

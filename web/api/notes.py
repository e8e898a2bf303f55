"""Clinical notes: draft on demand, read, edit drafts, sign, amend."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from pydantic import BaseModel, ConfigDict, Field

from core.access import Actor
from core.audit import RequestOrigin
from core.enums import NoteStatus, NoteTemplate
from core.notes import service
from core.notes.on_demand import draft_on_demand

Sections = dict[str, dict[str, str]]


class NoteSummary(BaseModel):
    id: UUID
    template: NoteTemplate
    version: int
    status: NoteStatus
    author_id: UUID
    signed_by_id: UUID | None
    signed_by_name: str | None = Field(description="Who signed this version; null while a draft")
    signed_by_license: str | None = Field(description="The signer's licence, e.g. 'LCSW 48213'")
    signed_at: datetime | None
    amendment_of_id: UUID | None
    created_at: datetime
    updated_at: datetime


class NoteView(NoteSummary):
    session_id: UUID
    sections: Sections
    confidence_scores: dict[str, float]
    missing_fields: dict[str, list[str]]
    metadata: dict[str, Any]
    content_sha256: str | None
    amendment_reason: str | None


class DraftBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template: NoteTemplate = Field(description="The note template to draft")


class EditBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sections: Sections = Field(
        description="Section → field → text; fields not named keep their text"
    )


class AmendBody(EditBody):
    reason: str = Field(min_length=1, max_length=2000, description="Why the signed note changes")


class NoteController(Controller):
    tags = ["clinical notes"]

    @get("/sessions/{session_id:uuid}/notes", summary="The notes of one session (no content)")
    async def list_notes(
        self, session_id: FromPath[UUID], actor: NamedDependency[Actor]
    ) -> list[NoteSummary]:
        return [NoteSummary(**row) for row in await service.list_notes(actor, session_id)]

    @post(
        "/sessions/{session_id:uuid}/notes",
        status_code=HTTP_201_CREATED,
        summary="Draft a note of a processed session in one template (or get the one it has)",
        description="201 with the new draft; 200 with the existing note when the session "
        "already has one in this template (drafting is idempotent). Only the therapist who "
        "held the session may draft (403); a session not yet processed is 409.",
        responses={HTTP_200_OK: ResponseSpec(NoteView, description="The note already existed")},
    )
    async def draft(
        self,
        session_id: FromPath[UUID],
        data: JSONBody[DraftBody],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> Response[NoteView]:
        drafted = await draft_on_demand(actor, session_id, data.template, origin)
        note = NoteView(**await service.get_note(actor, drafted.note_id, origin))
        return Response(note, status_code=HTTP_201_CREATED if drafted.created else HTTP_200_OK)

    @get("/notes/{note_id:uuid}", summary="One note with its sections and confidence")
    async def get_note(
        self,
        note_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> NoteView:
        return NoteView(**await service.get_note(actor, note_id, origin))

    @patch("/notes/{note_id:uuid}", summary="Edit a draft (signed notes are locked: 409)")
    async def edit(
        self,
        note_id: FromPath[UUID],
        data: JSONBody[EditBody],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> NoteView:
        return NoteView(**await service.edit_note(actor, note_id, data.sections, origin))

    @post("/notes/{note_id:uuid}/sign", status_code=HTTP_200_OK, summary="Sign and lock a draft")
    async def sign(
        self,
        note_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> NoteView:
        return NoteView(**await service.sign_note(actor, note_id, origin))

    @post(
        "/notes/{note_id:uuid}/amend",
        status_code=HTTP_201_CREATED,
        summary="Amend a signed note: a new signed version linked to the original",
    )
    async def amend(
        self,
        note_id: FromPath[UUID],
        data: JSONBody[AmendBody],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> NoteView:
        return NoteView(
            **await service.amend_note(actor, note_id, data.sections, data.reason, origin)
        )

"""Clinical notes: read, edit drafts, sign, amend."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from pydantic import BaseModel, ConfigDict, Field

from core.access import Actor
from core.audit import RequestOrigin
from core.enums import NoteStatus, NoteTemplate
from core.notes import service

Sections = dict[str, dict[str, str]]


class NoteSummary(BaseModel):
    id: UUID
    template: NoteTemplate
    version: int
    status: NoteStatus
    author_id: UUID
    signed_by_id: UUID | None
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

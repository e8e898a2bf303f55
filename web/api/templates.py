"""Custom export templates: Jinja2 for PDF exports, checked when saved, rendered sandboxed."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from pydantic import BaseModel, ConfigDict, Field

from core.access import Actor, require_role
from core.documents import templates
from core.enums import ExportFormat, ExportType, Role


class TemplateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    export_type: ExportType
    format: ExportFormat = ExportFormat.pdf
    template_content: str | None = Field(
        default=None,
        description="Jinja2 HTML extending base.html; refused with its line number if it does not parse",
    )
    include_sections: dict[str, bool] = Field(default_factory=dict)


class TemplateChanges(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    template_content: str | None = None
    include_sections: dict[str, bool] | None = None


class TemplateView(BaseModel):
    id: UUID
    name: str
    export_type: ExportType
    format: ExportFormat
    template_content: str | None
    include_sections: dict[str, bool]
    is_system: bool
    created_at: datetime
    updated_at: datetime


class TemplateController(Controller):
    path = "/export/templates"
    tags = ["exports"]

    @get(summary="System templates and your own")
    async def list_templates(self, actor: NamedDependency[Actor]) -> list[TemplateView]:
        return [TemplateView(**row) for row in await templates.list_export_templates(actor.id)]

    @post(status_code=HTTP_201_CREATED, summary="Save a custom template")
    async def create(
        self, data: JSONBody[TemplateBody], actor: NamedDependency[Actor]
    ) -> TemplateView:
        require_role(actor, Role.therapist)
        template_id = await templates.save_export_template(
            name=data.name,
            export_type=data.export_type,
            fmt=data.format,
            created_by=actor.id,
            template_content=data.template_content,
            include_sections=data.include_sections,
        )
        return await self._one(actor, template_id)

    @patch("/{template_id:uuid}", summary="Change your template (system templates are read-only)")
    async def change(
        self,
        template_id: FromPath[UUID],
        data: JSONBody[TemplateChanges],
        actor: NamedDependency[Actor],
    ) -> TemplateView:
        await templates.update_export_template(template_id, owner_id=actor.id, **data.model_dump())
        return await self._one(actor, template_id)

    @delete("/{template_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Delete your template")
    async def remove(self, template_id: FromPath[UUID], actor: NamedDependency[Actor]) -> None:
        await templates.delete_export_template(template_id, owner_id=actor.id)

    async def _one(self, actor: Actor, template_id: UUID) -> TemplateView:
        rows = await templates.list_export_templates(actor.id)
        return TemplateView(**next(row for row in rows if row["id"] == template_id))

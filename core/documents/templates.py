"""Custom export templates: user-supplied Jinja2 HTML for PDFs, checked before it is stored.

A custom template renders in the sandbox (`templating.SANDBOX_ENV`) and may extend or import
the system templates ("base.html", "_macros.html", ...). It is refused on save when it does
not parse (the message names the line) or refers to a template that does not exist. System
templates (`is_system`) are read-only: they change with the code, not through the API.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from jinja2 import TemplateSyntaxError, meta

from core.documents.context import CONTEXT_TYPES
from core.documents.templating import SANDBOX_ENV
from core.enums import ExportFormat, ExportType
from core.errors import DomainError, Forbidden, Invalid, NotFound
from core.tables import ExportTemplate

MAX_TEMPLATE_BYTES = 256 * 1024


class ExportTemplateError(DomainError):
    """A template cannot be saved or changed; the message says why."""


class InvalidTemplate(ExportTemplateError, Invalid):
    pass


class SystemTemplateReadOnly(ExportTemplateError, Forbidden):
    pass


class TemplateNotFound(ExportTemplateError):
    status = NotFound.status


def validate_template_source(source: str) -> None:
    """Raises InvalidTemplate (with the line number when there is one) unless `source` parses."""
    if len(source.encode("utf-8")) > MAX_TEMPLATE_BYTES:
        raise InvalidTemplate(f"the template is larger than {MAX_TEMPLATE_BYTES // 1024} KB")
    try:
        tree = SANDBOX_ENV.parse(source)
    except TemplateSyntaxError as error:
        raise InvalidTemplate(f"line {error.lineno}: {error.message}") from None
    known = set(SANDBOX_ENV.list_templates(extensions=["html"]))
    for name in meta.find_referenced_templates(tree):
        if name is None:
            raise InvalidTemplate("extends, include and import need a literal template name")
        if name not in known:
            raise InvalidTemplate(f"there is no template named {name!r}")


def validate_include_sections(export_type: ExportType, sections: dict[str, bool]) -> None:
    allowed = CONTEXT_TYPES[export_type].SECTIONS
    unknown = sorted(set(sections) - set(allowed))
    if unknown:
        raise InvalidTemplate(
            f"unknown section(s) {', '.join(unknown)} for {export_type.value}; "
            f"known: {', '.join(allowed)}"
        )


async def save_export_template(
    *,
    name: str,
    export_type: ExportType,
    fmt: ExportFormat,
    created_by: UUID,
    template_content: str | None = None,
    include_sections: dict[str, bool] | None = None,
) -> UUID:
    """Stores a user's template; returns its id."""
    _check(export_type, fmt, template_content, include_sections)
    row = ExportTemplate(
        name=name,
        export_type=export_type,
        format=fmt,
        template_content=template_content,
        include_sections=include_sections or {},
        is_system=False,
        created_by_id=created_by,
    )
    await row.save()
    return row.id


async def update_export_template(
    template_id: UUID,
    *,
    owner_id: UUID,
    name: str | None = None,
    template_content: str | None = None,
    include_sections: dict[str, bool] | None = None,
) -> None:
    """Changes the given fields of the owner's template; system templates are refused."""
    current = await _template(template_id, owner_id)
    export_type, fmt = ExportType(current["export_type"]), ExportFormat(current["format"])
    _check(export_type, fmt, template_content, include_sections)
    values: dict[Any, Any] = {ExportTemplate.updated_at: datetime.now(UTC)}
    if name is not None:
        values[ExportTemplate.name] = name
    if template_content is not None:
        values[ExportTemplate.template_content] = template_content
    if include_sections is not None:
        values[ExportTemplate.include_sections] = include_sections
    # is_system in the WHERE clause too: the check and the write are one statement.
    updated = (
        await ExportTemplate.update(values)
        .where((ExportTemplate.id == template_id) & (ExportTemplate.is_system.eq(False)))
        .returning(ExportTemplate.id)
    )
    if not updated:
        raise SystemTemplateReadOnly("system templates are read-only")


async def delete_export_template(template_id: UUID, *, owner_id: UUID) -> None:
    await _template(template_id, owner_id)
    deleted = (
        await ExportTemplate.delete()
        .where((ExportTemplate.id == template_id) & (ExportTemplate.is_system.eq(False)))
        .returning(ExportTemplate.id)
    )
    if not deleted:
        raise SystemTemplateReadOnly("system templates are read-only")


async def list_export_templates(user_id: UUID) -> list[dict[str, Any]]:
    """The system templates and the user's own."""
    return (
        await ExportTemplate.select()
        .where(ExportTemplate.is_system.eq(True) | (ExportTemplate.created_by_id == user_id))
        .order_by(ExportTemplate.name)
        .output(load_json=True)
    )


async def _template(template_id: UUID, owner_id: UUID) -> dict[str, Any]:
    """A template its owner may change; someone else's is not found, a system one read-only."""
    row = (
        await ExportTemplate.select(
            ExportTemplate.export_type,
            ExportTemplate.format,
            ExportTemplate.is_system,
            ExportTemplate.created_by_id,
        )
        .where(ExportTemplate.id == template_id)
        .first()
    )
    if row is None or not (row["is_system"] or row["created_by_id"] == owner_id):
        raise TemplateNotFound("export template not found")
    if row["is_system"]:
        raise SystemTemplateReadOnly("system templates are read-only")
    return row


def _check(
    export_type: ExportType,
    fmt: ExportFormat,
    template_content: str | None,
    include_sections: dict[str, bool] | None,
) -> None:
    if template_content is not None:
        if fmt is not ExportFormat.pdf:
            raise InvalidTemplate("template content applies to PDF templates only")
        validate_template_source(template_content)
    if include_sections is not None:
        validate_include_sections(export_type, include_sections)

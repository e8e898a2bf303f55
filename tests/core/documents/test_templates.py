"""Custom export templates: refused when broken, system templates read-only."""

import pytest

from core.documents.templates import (
    InvalidTemplate,
    SystemTemplateReadOnly,
    TemplateNotFound,
    delete_export_template,
    save_export_template,
    update_export_template,
    validate_template_source,
)
from core.enums import ExportFormat, ExportType, Role
from core.tables import ExportTemplate
from tests.factories import make_user

GOOD = '{% extends "base.html" %}{% block content %}<p>{{ patient.full_name }}</p>{% endblock %}'


def test_a_good_template_passes() -> None:
    validate_template_source(GOOD)


def test_a_syntax_error_is_refused_with_its_line_number() -> None:
    source = "<h1>Report</h1>\n<p>{{ patient.full_name }}</p>\n{% if goals %}\n<p>goals</p>\n"
    with pytest.raises(InvalidTemplate, match=r"^line 4: Unexpected end of template"):
        validate_template_source(source)
    with pytest.raises(InvalidTemplate, match=r"^line 2: "):
        validate_template_source("<p>\n{{ patient.full_name }</p>")


def test_references_to_unknown_templates_are_refused() -> None:
    with pytest.raises(InvalidTemplate, match=r"no template named '\.\./\.\./core/settings\.py'"):
        validate_template_source('{% include "../../core/settings.py" %}')
    with pytest.raises(InvalidTemplate, match="literal template name"):
        validate_template_source("{% include patient.full_name %}")


async def test_save_and_update_a_user_template(db: None) -> None:
    author = await make_user(Role.therapist)
    template_id = await save_export_template(
        name="Short report",
        export_type=ExportType.progress_report,
        fmt=ExportFormat.pdf,
        created_by=author,
        template_content=GOOD,
        include_sections={"mood_chart": False},
    )
    await update_export_template(template_id, owner_id=author, name="Shorter report")
    row = await ExportTemplate.select().where(ExportTemplate.id == template_id).first()
    assert row["name"] == "Shorter report"
    assert row["template_content"] == GOOD
    with pytest.raises(InvalidTemplate, match=r"^line 1: "):
        await update_export_template(template_id, owner_id=author, template_content="{% for %}")


async def test_saving_refuses_bad_content_and_sections(db: None) -> None:
    author = await make_user(Role.therapist)
    with pytest.raises(InvalidTemplate, match="PDF templates only"):
        await save_export_template(
            name="x",
            export_type=ExportType.progress_report,
            fmt=ExportFormat.docx,
            created_by=author,
            template_content=GOOD,
        )
    with pytest.raises(InvalidTemplate, match="unknown section"):
        await save_export_template(
            name="x",
            export_type=ExportType.progress_report,
            fmt=ExportFormat.pdf,
            created_by=author,
            include_sections={"transcript": False},
        )
    assert await ExportTemplate.count() == 0


async def test_system_templates_are_read_only(db: None) -> None:
    system = ExportTemplate(
        name="Progress report",
        export_type=ExportType.progress_report,
        format=ExportFormat.pdf,
        is_system=True,
    )
    await system.save()
    someone = await make_user(Role.therapist)
    with pytest.raises(SystemTemplateReadOnly):
        await update_export_template(system.id, owner_id=someone, name="Hijacked")
    with pytest.raises(SystemTemplateReadOnly):
        await delete_export_template(system.id, owner_id=someone)
    row = await ExportTemplate.select(ExportTemplate.name).where(ExportTemplate.id == system.id)
    assert row == [{"name": "Progress report"}]


async def test_unknown_templates_are_not_found(db: None) -> None:
    author = await make_user(Role.therapist)
    template_id = await save_export_template(
        name="Mine", export_type=ExportType.full_record, fmt=ExportFormat.pdf, created_by=author
    )
    stranger = await make_user(Role.therapist)
    with pytest.raises(TemplateNotFound):  # someone else's template does not exist for you
        await delete_export_template(template_id, owner_id=stranger)
    await delete_export_template(template_id, owner_id=author)
    with pytest.raises(TemplateNotFound):
        await update_export_template(template_id, owner_id=author, name="Gone")

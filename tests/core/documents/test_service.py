"""One service routes every (export type, format) to its renderer."""

import io
import json
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.documents.context import DocumentContext
from core.documents.paths import TEMPLATE_DIR
from core.documents.pool import RenderLimits, RenderPool
from core.documents.service import (
    ExportRequestError,
    output_format,
    render_context_file,
    render_document,
)
from core.documents.volumes import split_into_volumes
from core.enums import ExportFormat
from tests.core.documents import contexts
from tests.core.documents.pdftext import pdf_text

MAGIC = {
    ExportFormat.pdf: b"%PDF-",
    ExportFormat.docx: b"PK\x03\x04",
    ExportFormat.json: b"{",
    ExportFormat.csv: b"patient_name,",
}


@pytest.fixture(scope="module")
async def pool() -> AsyncIterator[RenderPool]:
    pool = RenderPool(RenderLimits(sessions_per_volume=1))
    yield pool
    await pool.close()


@pytest.mark.parametrize("fmt", list(MAGIC))
@pytest.mark.parametrize("context", contexts.all_contexts(), ids=lambda c: c.export_type.value)
async def test_every_type_in_every_format(
    context: DocumentContext, fmt: ExportFormat, pool: RenderPool
) -> None:
    if fmt is ExportFormat.pdf and len(context.sessions) > 1:
        context = context.model_copy(update={"sessions": context.sessions[:1]})
    data = await render_document(context, fmt, pool=pool)
    assert data.startswith(MAGIC[fmt])
    assert output_format(fmt, context, pool).volumes == 1


async def test_a_long_record_comes_back_as_volumes(pool: RenderPool) -> None:
    context = contexts.full_record()  # two sessions, one per volume in this pool
    assert output_format("pdf", context, pool).extension == "zip"
    archive = zipfile.ZipFile(io.BytesIO(await render_document(context, "pdf", pool=pool)))
    names = archive.namelist()
    assert names == ["full_record-volume-01-of-02.pdf", "full_record-volume-02-of-02.pdf"]
    first, second = (pdf_text(archive.read(name)) for name in names)
    assert "Volume 1 of 2 — sessions 1–1" in first
    assert "Reduce panic attacks" in first  # goals print in the first volume only
    assert "Volume 2 of 2 — sessions 2–2" in second
    assert "Session 2 — January 13, 2025" in second
    assert "Reduce panic attacks" not in second


def test_volumes_keep_each_session_with_its_notes() -> None:
    parts = split_into_volumes(contexts.full_record(), per_volume=1)
    first, second = (context for context, _ in parts)
    assert [n.session_id for n in first.clinical_notes] == [first.sessions[0].id]
    assert second.clinical_notes == []
    assert [volume.first_session for _, volume in parts if volume] == [1, 2]


async def test_options_that_only_pdfs_have_are_refused_elsewhere(pool: RenderPool) -> None:
    with pytest.raises(ExportRequestError, match="PDF exports only"):
        await render_document(contexts.progress_report(), "docx", custom_css="p {}", pool=pool)
    with pytest.raises(ExportRequestError, match="not a document format"):
        await render_document(contexts.progress_report(), "zip", pool=pool)


@pytest.mark.parametrize("fmt", ["pdf", "csv"])
def test_render_context_file_renders_the_shipped_example(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    render_context_file(
        "progress_report", TEMPLATE_DIR / "examples" / "progress_report.json", fmt, out
    )
    data = out.read_bytes()
    assert data.startswith(MAGIC[ExportFormat(fmt)])
    if fmt == "pdf":
        assert "Alex Morgan" in pdf_text(data)


def test_render_context_file_refuses_a_context_of_another_type(tmp_path: Path) -> None:
    context_file = tmp_path / "ctx.json"
    context_file.write_text(
        json.dumps({"export_type": "treatment_summary", "patient": {"full_name": "A"}})
    )
    with pytest.raises(ExportRequestError, match="holds a treatment_summary context"):
        render_context_file("progress_report", context_file, "json", tmp_path / "out.json")

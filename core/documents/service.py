"""The export service: routes (export type, format) to its renderer.

PDFs are rendered in the worker pool (`pool.py`); DOCX, JSON and CSV are quick, trusted code
and run in a thread, so no render ever blocks the event loop. A PDF of a record longer than
one volume (`volumes.py`) comes back as a ZIP of volume PDFs; `output_format` tells the caller
which file it will get before it renders.
"""

from __future__ import annotations

import asyncio
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from core.documents.context import DocumentContext, load_context
from core.documents.csvexport import render_csv
from core.documents.docx import render_docx
from core.documents.errors import DocumentError, TransientDocumentError
from core.documents.formats import DOCUMENT_FORMATS, FILE_TYPES, FileType
from core.documents.jsonexport import render_json
from core.documents.pool import PdfJob, RenderLimits, RenderPool
from core.documents.volumes import split_into_volumes, volume_count
from core.enums import ExportFormat, ExportType, PdfVariant

__all__ = [
    "DocumentError",
    "ExportRequestError",
    "OutputFormat",
    "TransientDocumentError",
    "close_default_render_pool",
    "default_render_pool",
    "output_format",
    "render_context_file",
    "render_document",
]

_RENDERERS = {
    ExportFormat.docx: render_docx,
    ExportFormat.json: render_json,
    ExportFormat.csv: render_csv,
}


class ExportRequestError(DocumentError):
    """The request cannot be rendered as asked (wrong format or option)."""


@dataclass(frozen=True)
class OutputFormat(FileType):
    volumes: int = 1


def output_format(
    fmt: ExportFormat | str, context: DocumentContext, pool: RenderPool | None = None
) -> OutputFormat:
    """What `render_document` (with the same pool) will return for this format and context."""
    fmt = _document_format(fmt)
    per_volume = (pool or default_render_pool()).limits.sessions_per_volume
    volumes = volume_count(context, per_volume) if fmt is ExportFormat.pdf else 1
    file_type = FILE_TYPES[ExportFormat.zip if volumes > 1 else fmt]
    return OutputFormat(file_type.media_type, file_type.extension, volumes)


async def render_document(
    context: DocumentContext,
    fmt: ExportFormat | str,
    *,
    custom_template: str | None = None,
    custom_css: str | None = None,
    pdf_variant: PdfVariant = PdfVariant.standard,
    pool: RenderPool | None = None,
) -> bytes:
    """The document as bytes; the export type is the context's own.

    Raises DocumentError (TransientDocumentError when a retry may succeed).
    """
    fmt = _document_format(fmt)
    if fmt is not ExportFormat.pdf:
        if custom_template is not None or custom_css is not None:
            raise ExportRequestError("custom templates and CSS apply to PDF exports only")
        if pdf_variant is not PdfVariant.standard:
            raise ExportRequestError("PDF/A and PDF/UA apply to PDF exports only")
        return await asyncio.to_thread(_RENDERERS[fmt], context)
    pool = pool or default_render_pool()
    jobs = [
        PdfJob(part, custom_template, custom_css, pdf_variant, volume)
        for part, volume in split_into_volumes(context, pool.limits.sessions_per_volume)
    ]
    pdfs = [await pool.render(job) for job in jobs]  # one at a time: memory stays bounded
    if len(pdfs) == 1:
        return pdfs[0]
    return _zip_volumes(context.export_type, pdfs)


def render_context_file(export_type: str, context_path: Path, fmt: str, out_path: Path) -> None:
    """`tb render`: a document from a context JSON file, offline (no database needed)."""
    context = load_context(context_path.read_bytes())
    if context.export_type != ExportType(export_type):
        raise ExportRequestError(
            f"{context_path.name} holds a {context.export_type.value} context, "
            f"not a {ExportType(export_type).value}"
        )

    async def render() -> bytes:
        pool = RenderPool(RenderLimits())
        try:
            return await render_document(context, fmt, pool=pool)
        finally:
            await pool.close()

    out_path.write_bytes(asyncio.run(render()))


_default_pool: RenderPool | None = None


def default_render_pool() -> RenderPool:
    """The application's render pool, started on first use."""
    global _default_pool
    if _default_pool is None:
        _default_pool = RenderPool()
    return _default_pool


async def close_default_render_pool() -> None:
    """Stops the worker processes; call on application shutdown."""
    global _default_pool
    if _default_pool is not None:
        pool, _default_pool = _default_pool, None
        await pool.close()


def _document_format(fmt: ExportFormat | str) -> ExportFormat:
    fmt = ExportFormat(fmt)
    if fmt not in DOCUMENT_FORMATS:
        raise ExportRequestError(f"{fmt.value} is not a document format")
    return fmt


def _zip_volumes(export_type: ExportType, pdfs: list[bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for number, pdf in enumerate(pdfs, start=1):
            name = f"{export_type.value}-volume-{number:02d}-of-{len(pdfs):02d}.pdf"
            archive.writestr(name, pdf)
    return buffer.getvalue()

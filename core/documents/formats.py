"""The formats a document is made in, and how each is stored and served: one table."""

from __future__ import annotations

from dataclasses import dataclass

from core.enums import ExportFormat


@dataclass(frozen=True)
class FileType:
    media_type: str
    extension: str


# What a therapist may ask for; a PDF too long for one file comes as a ZIP of volumes.
DOCUMENT_FORMATS = (ExportFormat.pdf, ExportFormat.docx, ExportFormat.json, ExportFormat.csv)
FILE_TYPES = {
    ExportFormat.pdf: FileType("application/pdf", "pdf"),
    ExportFormat.docx: FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
    ),
    ExportFormat.json: FileType("application/json", "json"),
    # UTF-8 like every text here; Litestar adds "charset=utf-8" to text/* responses itself.
    ExportFormat.csv: FileType("text/csv; header=present", "csv"),
    ExportFormat.zip: FileType("application/zip", "zip"),
}

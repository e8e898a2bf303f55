"""What an export request may ask for, validated before any job exists."""

from __future__ import annotations

from datetime import date
from typing import Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.documents.context import CONTEXT_TYPES
from core.documents.formats import DOCUMENT_FORMATS
from core.enums import ExportFormat, ExportType, PdfVariant

MAX_SESSIONS_PER_EXPORT = 500
MAX_PATIENTS_PER_BULK = 100
# Documents made to leave the practice (reports to payers and referrers, the record on request)
# carry signed content only unless asked otherwise; session notes are the clinician's worksheet.
SIGNED_ONLY_BY_DEFAULT = frozenset(
    {ExportType.progress_report, ExportType.treatment_summary, ExportType.full_record}
)
SIGNED_ONLY_HELP = (
    "Only sessions with a signed note; unsigned ones are left out and counted. Default: true "
    "for progress reports, treatment summaries and full records, false for session notes"
)


def signed_only_default(export_type: ExportType) -> bool:
    return export_type in SIGNED_ONLY_BY_DEFAULT


class ExportRequest(BaseModel):
    """One document for one patient. Holds ids, dates and options — never PHI."""

    model_config = ConfigDict(extra="forbid")

    export_type: ExportType
    format: ExportFormat = ExportFormat.pdf
    patient_id: UUID | None = None
    session_ids: list[UUID] = Field(default_factory=list, max_length=MAX_SESSIONS_PER_EXPORT)
    start_date: date | None = None
    end_date: date | None = None
    include_sections: dict[str, bool] = Field(default_factory=dict)
    template_id: UUID | None = None
    pdf_variant: PdfVariant = PdfVariant.standard
    # None until validated: then the export type's default (see `_defaults`).
    signed_only: bool = Field(default=None, validate_default=False, description=SIGNED_ONLY_HELP)  # type: ignore[assignment]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.signed_only is None:
            self.signed_only = signed_only_default(self.export_type)
        if self.format not in DOCUMENT_FORMATS:
            raise ValueError(
                f"format must be one of {', '.join(f.value for f in DOCUMENT_FORMATS)}"
            )
        if self.export_type == ExportType.session_notes:
            if not self.session_ids:
                raise ValueError("session notes need at least one session id")
        elif self.patient_id is None:
            raise ValueError(f"{self.export_type.value} needs a patient id")
        if self.export_type == ExportType.progress_report and (
            self.start_date is None or self.end_date is None
        ):
            raise ValueError("a progress report needs start_date and end_date")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        known = CONTEXT_TYPES[self.export_type].SECTIONS
        unknown = sorted(set(self.include_sections) - set(known))
        if unknown:
            raise ValueError(
                f"unknown section(s) {', '.join(unknown)} for {self.export_type.value}; "
                f"known: {', '.join(known)}"
            )
        if self.pdf_variant != PdfVariant.standard and self.format != ExportFormat.pdf:
            raise ValueError("pdf_variant applies to PDF exports only")
        return self


class BulkExportRequest(BaseModel):
    """The same document for several patients, delivered as one ZIP."""

    model_config = ConfigDict(extra="forbid")

    export_type: ExportType
    format: ExportFormat = ExportFormat.pdf
    patient_ids: list[UUID] = Field(min_length=1, max_length=MAX_PATIENTS_PER_BULK)
    start_date: date | None = None
    end_date: date | None = None
    include_sections: dict[str, bool] = Field(default_factory=dict)
    pdf_variant: PdfVariant = PdfVariant.standard
    # None until validated: then the export type's default (see `_defaults`).
    signed_only: bool = Field(default=None, validate_default=False, description=SIGNED_ONLY_HELP)  # type: ignore[assignment]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.signed_only is None:
            self.signed_only = signed_only_default(self.export_type)
        if self.export_type == ExportType.session_notes:
            raise ValueError("bulk exports cover progress_report, treatment_summary or full_record")
        for patient_id in self.patient_ids:  # each part must be a valid request on its own
            self.part(patient_id)
        return self

    def part(self, patient_id: UUID) -> ExportRequest:
        return ExportRequest(
            export_type=self.export_type,
            format=self.format,
            patient_id=patient_id,
            start_date=self.start_date,
            end_date=self.end_date,
            include_sections=self.include_sections,
            pdf_variant=self.pdf_variant,
            signed_only=self.signed_only,
        )

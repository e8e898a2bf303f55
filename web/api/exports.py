"""Export endpoints: request documents, follow jobs, download and delete files."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from litestar.response import Stream
from litestar.status_codes import HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT
from pydantic import BaseModel, ConfigDict, Field

from core.access import Actor
from core.audit import RequestOrigin
from core.enums import ExportFormat, ExportStatus, ExportType, PdfVariant
from core.exports.jobs import ExportJobView
from core.exports.requests import SIGNED_ONLY_HELP, BulkExportRequest, ExportRequest
from core.exports.service import ExportService
from core.infra.runtime import Runtime

JSON_BODY_LIMIT = 64 * 1024


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: ExportFormat = ExportFormat.pdf
    include_sections: dict[str, bool] = Field(
        default_factory=dict, description="Section name → shown; unnamed sections are shown"
    )
    template_id: UUID | None = Field(default=None, description="A custom export template")
    pdf_variant: PdfVariant = Field(
        default=PdfVariant.standard, description="PDF/A-3b (archival) or PDF/UA-1 (accessible)"
    )
    signed_only: bool | None = Field(default=None, description=SIGNED_ONLY_HELP)


class SessionNotesBody(_Body):
    session_ids: list[UUID] = Field(min_length=1, max_length=500)


class ProgressReportBody(_Body):
    patient_id: UUID
    start_date: date
    end_date: date


class PatientDocumentBody(_Body):
    patient_id: UUID


class ExportJobPage(BaseModel):
    items: list[ExportJobView]
    page: int
    per_page: int
    total: int


class ExportController(Controller):
    path = "/export"
    tags = ["exports"]
    request_max_body_size = JSON_BODY_LIMIT

    async def _request(
        self,
        export_type: ExportType,
        body: _Body,
        actor: Actor,
        origin: RequestOrigin,
        runtime: Runtime,
    ) -> ExportJobView:
        exports = ExportService(runtime)
        fields = body.model_dump()
        if fields["signed_only"] is None:
            del fields["signed_only"]  # the export type's default
        request = ExportRequest(export_type=export_type, **fields)
        return await exports.request(actor, request, origin=origin)

    @post("/session-notes", status_code=HTTP_202_ACCEPTED, summary="Export session notes")
    async def session_notes(
        self,
        data: JSONBody[SessionNotesBody],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        runtime: NamedDependency[Runtime],
    ) -> ExportJobView:
        return await self._request(ExportType.session_notes, data, actor, origin, runtime)

    @post("/progress-report", status_code=HTTP_202_ACCEPTED, summary="Export a progress report")
    async def progress_report(
        self,
        data: JSONBody[ProgressReportBody],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        runtime: NamedDependency[Runtime],
    ) -> ExportJobView:
        return await self._request(ExportType.progress_report, data, actor, origin, runtime)

    @post("/treatment-summary", status_code=HTTP_202_ACCEPTED, summary="Export a treatment summary")
    async def treatment_summary(
        self,
        data: JSONBody[PatientDocumentBody],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        runtime: NamedDependency[Runtime],
    ) -> ExportJobView:
        return await self._request(ExportType.treatment_summary, data, actor, origin, runtime)

    @post("/full-record", status_code=HTTP_202_ACCEPTED, summary="Export the full record")
    async def full_record(
        self,
        data: JSONBody[PatientDocumentBody],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        runtime: NamedDependency[Runtime],
    ) -> ExportJobView:
        return await self._request(ExportType.full_record, data, actor, origin, runtime)

    @post(
        "/bulk", status_code=HTTP_202_ACCEPTED, summary="One document for several patients, zipped"
    )
    async def bulk(
        self,
        data: JSONBody[BulkExportRequest],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        runtime: NamedDependency[Runtime],
    ) -> ExportJobView:
        exports = ExportService(runtime)
        return await exports.request_bulk(actor, data, origin=origin)

    @get("/jobs", summary="Your export jobs, newest first")
    async def list_jobs(
        self,
        actor: NamedDependency[Actor],
        runtime: NamedDependency[Runtime],
        status: FromQuery[ExportStatus | None] = None,
        page: Annotated[int, Parameter(ge=1, le=10_000)] = 1,
        per_page: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> ExportJobPage:
        exports = ExportService(runtime)
        items, total = await exports.list(actor, status=status, page=page, per_page=per_page)
        return ExportJobPage(
            items=items,
            page=page,
            per_page=per_page,
            total=total,
        )

    @get("/jobs/{job_id:uuid}", summary="One export job")
    async def get_job(
        self,
        job_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        runtime: NamedDependency[Runtime],
    ) -> ExportJobView:
        exports = ExportService(runtime)
        return await exports.get(actor, job_id)

    @delete(
        "/jobs/{job_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Delete an export's file"
    )
    async def delete_job(
        self,
        job_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        runtime: NamedDependency[Runtime],
    ) -> None:
        exports = ExportService(runtime)
        await exports.delete(actor, job_id, origin=origin)

    @get(
        "/download/{job_id:uuid}",
        summary="Download a completed export (410 once expired)",
        response_description="The document",
    )
    async def download(
        self,
        job_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        runtime: NamedDependency[Runtime],
    ) -> Stream:
        exports = ExportService(runtime)
        download = await exports.open_download(actor, job_id, origin=origin)
        return Stream(
            download.chunks,
            media_type=download.media_type,
            headers={
                "Content-Disposition": f'attachment; filename="{download.filename}"',
                "Content-Length": str(download.size),
                "Cache-Control": "no-store",
            },
        )

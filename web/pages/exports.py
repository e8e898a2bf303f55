"""Exports: the request form and the job table, whose rows follow their jobs live."""

from __future__ import annotations

from datetime import date
from math import ceil
from typing import Annotated, Any, Literal
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.plugins.htmx import HTMXTemplate
from litestar.status_codes import HTTP_201_CREATED
from pydantic import BaseModel, ConfigDict, field_validator

from core.access import Actor
from core.audit import RequestOrigin
from core.documents.formats import DOCUMENT_FORMATS
from core.enums import ExportFormat, ExportType, PdfVariant
from core.export_form import export_request_from_form, sections_of
from core.exports.jobs import ExportJobView
from core.exports.requests import signed_only_default
from core.exports.service import ExportService
from core.infra.runtime import Runtime
from core.patients import patient_choices, patient_names
from web.auth import LIVE_REFRESH
from web.page_cache import PageCache

JOBS_PER_PAGE = 20
DEFAULT_TYPE = ExportType.progress_report
Page = Annotated[int, QueryParameter(ge=1, le=10_000)]


class ExportForm(BaseModel):
    model_config = ConfigDict(extra="ignore")

    export_type: ExportType
    patient_id: UUID
    start_date: date | None = None
    end_date: date | None = None
    format: ExportFormat = ExportFormat.pdf
    pdf_variant: PdfVariant = PdfVariant.standard
    sections: list[str] = []
    content: Literal["signed", "all"] | None = None  # None: the export type's default

    @field_validator("start_date", "end_date", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return value or None


def _form_options(export_type: ExportType) -> dict[str, Any]:
    return {
        "export_types": list(ExportType),
        "export_type": export_type,
        "formats": DOCUMENT_FORMATS,
        "variants": list(PdfVariant),
        "sections": sections_of(export_type),
        "signed_only": signed_only_default(export_type),
    }


async def _job_rows(actor: Actor, runtime: Runtime, page: int) -> dict[str, Any]:
    rows, total = await ExportService(runtime).list(actor, page=page, per_page=JOBS_PER_PAGE)
    return {
        "jobs": rows,
        "patient_names": await patient_names(actor, [r.patient_id for r in rows if r.patient_id]),
        "page": page,
        "pages": max(1, ceil(total / JOBS_PER_PAGE)),
    }


async def _job_row(actor: Actor, job: ExportJobView) -> HTMXTemplate:
    names = await patient_names(actor, [job.patient_id] if job.patient_id else [])
    return HTMXTemplate(
        template_name="exports/_job_row.html", context={"job": job, "patient_names": names}
    )


class ExportPageController(Controller):
    path = "/exports"
    include_in_schema = False

    @get(name="exports")
    async def index(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        page_cache: NamedDependency[PageCache],
        runtime: NamedDependency[Runtime],
        page: Page = 1,
        patient_id: FromQuery[UUID | None] = None,
    ) -> Response[bytes]:
        async def context() -> dict[str, Any]:
            return {
                "actor": actor,
                "nav": "exports",
                "patients": await patient_choices(actor),
                "selected": patient_id,
                **_form_options(DEFAULT_TYPE),
                **await _job_rows(actor, runtime, page),
            }

        return await page_cache.page(request, actor, "exports/index.html", context)

    @get("/jobs", opt={LIVE_REFRESH: True}, name="exports.jobs")
    async def job_table(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        page_cache: NamedDependency[PageCache],
        runtime: NamedDependency[Runtime],
        page: Page = 1,
    ) -> Response[bytes]:
        return await page_cache.page(
            request, actor, "exports/_jobs.html", lambda: _job_rows(actor, runtime, page)
        )

    @get("/sections", name="exports.sections")
    async def sections(self, export_type: FromQuery[ExportType] = DEFAULT_TYPE) -> HTMXTemplate:
        return HTMXTemplate(
            template_name="exports/_sections.html", context=_form_options(export_type)
        )

    @post(name="exports.request")
    async def request_export(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        runtime: NamedDependency[Runtime],
    ) -> HTMXTemplate:
        exports = ExportService(runtime)
        form = await request.form()
        fields = ExportForm.model_validate({**dict(form), "sections": form.getall("sections", [])})
        export = await export_request_from_form(
            actor,
            export_type=fields.export_type,
            patient_id=fields.patient_id,
            start=fields.start_date,
            end=fields.end_date,
            export_format=fields.format,
            sections=fields.sections,
            pdf_variant=fields.pdf_variant,
            signed_only=None if fields.content is None else fields.content == "signed",
        )
        response = await _job_row(actor, await exports.request(actor, export, origin=origin))
        response.status_code = HTTP_201_CREATED
        response.headers["HX-Trigger"] = '{"flash": {"message": "Export requested."}}'
        return response

    @get("/jobs/{job_id:uuid}/row", opt={LIVE_REFRESH: True}, name="export.row")
    async def job_row(
        self,
        job_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        runtime: NamedDependency[Runtime],
    ) -> HTMXTemplate:
        exports = ExportService(runtime)
        return await _job_row(actor, await exports.get(actor, job_id))

    @post("/jobs/{job_id:uuid}/delete", name="export.delete")
    async def delete_file(
        self,
        job_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        runtime: NamedDependency[Runtime],
    ) -> HTMXTemplate:
        exports = ExportService(runtime)
        await exports.delete(actor, job_id, origin=origin)
        return await _job_row(actor, await exports.get(actor, job_id))

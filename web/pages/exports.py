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
from core.exports import jobs
from core.exports.requests import signed_only_default
from core.patients import patient_choices, patient_names
from web.auth import LIVE_REFRESH
from web.state import Resources

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


async def _job_rows(actor: Actor, page: int) -> dict[str, Any]:
    rows, total = await jobs.list_jobs(actor, page=page, per_page=JOBS_PER_PAGE)
    names = await patient_names(actor, list({r["patient_id"] for r in rows if r["patient_id"]}))
    return {
        "jobs": [{**row, "patient_name": names.get(row["patient_id"])} for row in rows],
        "page": page,
        "pages": max(1, ceil(total / JOBS_PER_PAGE)),
    }


async def _job_row(actor: Actor, job: dict[str, Any]) -> HTMXTemplate:
    names = await patient_names(actor, [job["patient_id"]] if job["patient_id"] else [])
    return HTMXTemplate(
        template_name="exports/_job_row.html",
        context={"job": {**job, "patient_name": names.get(job["patient_id"])}},
    )


class ExportPageController(Controller):
    path = "/exports"
    include_in_schema = False

    @get(name="exports")
    async def index(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        resources: NamedDependency[Resources],
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
                **await _job_rows(actor, page),
            }

        return await resources.pages.page(request, actor, "exports/index.html", context)

    @get("/jobs", opt={LIVE_REFRESH: True})
    async def job_table(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        resources: NamedDependency[Resources],
        page: Page = 1,
    ) -> Response[bytes]:
        return await resources.pages.page(
            request, actor, "exports/_jobs.html", lambda: _job_rows(actor, page)
        )

    @get("/sections")
    async def sections(self, export_type: FromQuery[ExportType] = DEFAULT_TYPE) -> HTMXTemplate:
        return HTMXTemplate(
            template_name="exports/_sections.html", context=_form_options(export_type)
        )

    @post()
    async def request_export(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        resources: NamedDependency[Resources],
    ) -> HTMXTemplate:
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
        job = await jobs.request_export(
            actor,
            export,
            origin=origin,
            queue=resources.queue,
            redis=resources.redis,
            events=resources.events,
        )
        response = await _job_row(actor, job)
        response.status_code = HTTP_201_CREATED
        response.headers["HX-Trigger"] = '{"flash": {"message": "Export requested."}}'
        return response

    @get("/jobs/{job_id:uuid}/row", opt={LIVE_REFRESH: True})
    async def job_row(self, job_id: FromPath[UUID], actor: NamedDependency[Actor]) -> HTMXTemplate:
        return await _job_row(actor, await jobs.get_job(actor, job_id))

    @post("/jobs/{job_id:uuid}/delete")
    async def delete_file(
        self,
        job_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        resources: NamedDependency[Resources],
    ) -> HTMXTemplate:
        await jobs.delete_job(
            actor, job_id, origin=origin, storage=resources.storage, events=resources.events
        )
        return await _job_row(actor, await jobs.get_job(actor, job_id))

"""Exports as a service: requested, listed, fetched, downloaded and deleted — all authorised,
all audited. Built once per process from the runtime; the API, the pages, Slack, schedules and
the demo call it, and none of them touches the export tables."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from piccolo.custom_types import Combinable

from core import audit
from core.access import Actor, require_patient, require_session
from core.audit import RequestOrigin
from core.documents.formats import FILE_TYPES
from core.enums import AuditAction, ExportFormat, ExportStatus, ExportType, Role
from core.errors import Invalid, NotFound, RateLimited
from core.events import Event
from core.exports.jobs import JOB_FIELDS, ExportGone, ExportJobView, download_filename
from core.exports.requests import BulkExportRequest, ExportRequest
from core.infra.queue import RUN_EXPORT, enqueue
from core.infra.runtime import Runtime
from core.notices import Delivery
from core.tables import ExportJob, ExportTemplate


class ExportRateLimited(RateLimited):
    def __init__(self, limit: int) -> None:
        super().__init__(f"too many export requests: at most {limit} a minute")


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    size: int
    chunks: Iterator[bytes]


# Clients poll a job's status: fixed SQL, prepared once per connection.
_OWN_JOB = """
    SELECT id, user_id, patient_id, export_type, format, status, file_size_bytes,
           error_message, created_at, started_at, completed_at, expires_at
    FROM export_jobs WHERE id = {} AND user_id = {}
"""


class ExportService:
    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    async def request(
        self,
        actor: Actor,
        request: ExportRequest,
        *,
        origin: RequestOrigin,
        delivery: Delivery | None = None,
        schedule_id: UUID | None = None,
    ) -> ExportJobView:
        """Authorise, record and enqueue one export; returns the pending job."""
        if actor.role not in (Role.therapist, Role.admin):
            raise NotFound("patient")
        patient_id = await _authorise(actor, request)
        await _check_template(actor, request)
        await self._check_rate(actor.id)
        return await self._create(
            actor,
            patient_id=patient_id,
            export_type=request.export_type,
            fmt=request.format,
            parameters=request.model_dump(mode="json"),
            template_id=request.template_id,
            origin=origin,
            delivery=delivery,
            schedule_id=schedule_id,
        )

    async def request_bulk(
        self, actor: Actor, request: BulkExportRequest, *, origin: RequestOrigin
    ) -> ExportJobView:
        for patient_id in request.patient_ids:
            await require_patient(actor, patient_id)
        await self._check_rate(actor.id)
        return await self._create(
            actor,
            patient_id=None,
            export_type=request.export_type,
            fmt=ExportFormat.zip,
            parameters=request.model_dump(mode="json"),
            template_id=None,
            origin=origin,
            delivery=None,
            schedule_id=None,
        )

    async def get(self, actor: Actor, job_id: UUID) -> ExportJobView:
        rows = await ExportJob.raw(_OWN_JOB, job_id, actor.id)
        if not rows:
            raise NotFound("export job")
        return ExportJobView.of(rows[0])

    async def list(
        self,
        actor: Actor,
        *,
        status: ExportStatus | None = None,
        page: int = 1,
        per_page: int = 20,
    ) -> tuple[list[ExportJobView], int]:
        where: Combinable = ExportJob.user_id == actor.id
        if status is not None:
            where &= ExportJob.status == status
        total = await ExportJob.count().where(where)
        rows = (
            await ExportJob.select(*JOB_FIELDS)
            .where(where)
            .order_by(ExportJob.created_at, ascending=False)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        return [ExportJobView.of(row) for row in rows], total

    async def open_download(self, actor: Actor, job_id: UUID, *, origin: RequestOrigin) -> Download:
        job = await ExportJob.select().where(ExportJob.id == job_id).first()
        if job is None or job["user_id"] != actor.id:
            raise NotFound("export job")
        expired = job["expires_at"] is not None and job["expires_at"] <= datetime.now(UTC)
        if job["status"] != ExportStatus.completed or expired or not job["file_path"]:
            raise ExportGone("expired" if expired else job["status"])
        await audit.record(
            AuditAction.downloaded,
            user_id=actor.id,
            patient_id=job["patient_id"],
            origin=origin,
            export_job_id=job_id,
        )
        return Download(
            filename=download_filename(job),
            media_type=FILE_TYPES[ExportFormat(job["file_format"] or job["format"])].media_type,
            size=job["file_size_bytes"] or 0,
            chunks=self._runtime.storage.iter_chunks(job["file_path"]),
        )

    async def delete(self, actor: Actor, job_id: UUID, *, origin: RequestOrigin) -> None:
        """Remove the file now; the job row stays (as `expired`) for the audit trail."""
        job = await ExportJob.select().where(ExportJob.id == job_id).first()
        if job is None or job["user_id"] != actor.id:
            raise NotFound("export job")
        if job["file_path"]:
            self._runtime.storage.delete(job["file_path"])
        await ExportJob.update(
            {ExportJob.status: ExportStatus.expired, ExportJob.file_path: None}
        ).where(ExportJob.id == job_id)
        await audit.record(
            AuditAction.deleted,
            user_id=actor.id,
            patient_id=job["patient_id"],
            origin=origin,
            export_job_id=job_id,
            metadata={"reason": "deleted by requester"},
        )
        await self._runtime.events.publish(
            Event.export_status, user_id=actor.id, job_id=str(job_id), status="expired"
        )

    async def _check_rate(self, user_id: UUID) -> None:
        key = f"tb:rate:exports:{user_id}:{int(datetime.now(UTC).timestamp() // 60)}"
        async with self._runtime.redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, 120)
            count, _ = await pipe.execute()
        limit = self._runtime.settings.export_rate_limit_per_minute
        if count > limit:
            raise ExportRateLimited(limit)

    async def _create(
        self,
        actor: Actor,
        *,
        patient_id: UUID | None,
        export_type: ExportType,
        fmt: ExportFormat,
        parameters: dict[str, Any],
        template_id: UUID | None,
        origin: RequestOrigin,
        delivery: Delivery | None,
        schedule_id: UUID | None,
    ) -> ExportJobView:
        job = ExportJob(
            user_id=actor.id,
            patient_id=patient_id,
            template_id=template_id,
            schedule_id=schedule_id,
            export_type=export_type,
            format=fmt,
            parameters=parameters,
            delivery=(delivery or Delivery()).stored(),
        )
        async with ExportJob._meta.db.transaction():  # the job and its audit row, or neither
            await job.save()
            await audit.record(
                AuditAction.created,
                user_id=actor.id,
                patient_id=patient_id,
                origin=origin,
                export_job_id=job.id,
                metadata={"stage": "requested", "export_type": export_type, "format": fmt},
            )
        await enqueue(self._runtime.queue, RUN_EXPORT, job.id)
        await self._runtime.events.publish(
            Event.export_status, user_id=actor.id, job_id=str(job.id), status="pending"
        )
        return await self.get(actor, job.id)


async def _authorise(actor: Actor, request: ExportRequest) -> UUID:
    """The patient the export is about, once the actor may reach every part of it."""
    if request.export_type != ExportType.session_notes:
        assert request.patient_id is not None
        await require_patient(actor, request.patient_id)
        return request.patient_id
    patients = set()
    for session_id in request.session_ids:
        patients.add((await require_session(actor, session_id))["patient_id"])
    if len(patients) != 1:
        raise Invalid("session notes must all belong to one patient")
    if request.patient_id is not None and request.patient_id not in patients:
        raise NotFound("session")
    patient_id: UUID = patients.pop()
    return patient_id


async def _check_template(actor: Actor, request: ExportRequest) -> None:
    if request.template_id is None:
        return
    template = await ExportTemplate.select().where(ExportTemplate.id == request.template_id).first()
    if template is None or not (template["is_system"] or template["created_by_id"] == actor.id):
        raise NotFound("template")
    if template["export_type"] != request.export_type or template["format"] != request.format:
        raise Invalid("the template is for a different export type or format")

"""Export jobs: requested, listed, fetched, downloaded and deleted — all authorised, audited.

PostgreSQL is the truth about a job; Redis only carries the id to a worker. A job moves
`pending → processing → completed | failed`, and a completed one becomes `expired` when its
file is deleted after EXPORT_TTL_DAYS.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from arq.connections import ArqRedis
from redis.asyncio import Redis

from core import audit
from core.access import Actor, NotFound, require_patient, require_session
from core.audit import RequestOrigin
from core.documents.formats import FILE_TYPES
from core.enums import AuditAction, ExportFormat, ExportStatus, ExportType, Role
from core.events import EventPublisher
from core.exports.requests import BulkExportRequest, ExportRequest
from core.queue import RUN_EXPORT, enqueue
from core.settings import get_settings
from core.storage import EncryptedStorage
from core.tables import ExportJob, ExportTemplate, TherapySession

JOB_FIELDS = (
    ExportJob.id,
    ExportJob.user_id,
    ExportJob.patient_id,
    ExportJob.export_type,
    ExportJob.format,
    ExportJob.status,
    ExportJob.file_size_bytes,
    ExportJob.error_message,
    ExportJob.created_at,
    ExportJob.started_at,
    ExportJob.completed_at,
    ExportJob.expires_at,
)


class ExportRateLimited(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"too many export requests: at most {limit} a minute")


class ExportGone(Exception):
    def __init__(self, status: str) -> None:
        reason = "has expired and was deleted" if status == "expired" else f"is {status}"
        super().__init__(f"this export {reason}")


async def _check_rate(redis: Redis, user_id: UUID) -> None:
    key = f"tb:rate:exports:{user_id}:{int(datetime.now(UTC).timestamp() // 60)}"
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, 120)
        count, _ = await pipe.execute()
    limit = get_settings().export_rate_limit_per_minute
    if count > limit:
        raise ExportRateLimited(limit)


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
        raise ValueError("session notes must all belong to one patient")
    if request.patient_id is not None and request.patient_id not in patients:
        raise NotFound("session")
    return patients.pop()


async def _check_template(actor: Actor, request: ExportRequest) -> None:
    if request.template_id is None:
        return
    template = await ExportTemplate.select().where(ExportTemplate.id == request.template_id).first()
    if template is None or not (template["is_system"] or template["created_by_id"] == actor.id):
        raise NotFound("template")
    if template["export_type"] != request.export_type or template["format"] != request.format:
        raise ValueError("the template is for a different export type or format")


async def _create(
    actor: Actor,
    *,
    patient_id: UUID | None,
    export_type: ExportType,
    fmt: ExportFormat,
    parameters: dict[str, Any],
    template_id: UUID | None,
    origin: RequestOrigin,
    queue: ArqRedis,
    events: EventPublisher,
    delivery: dict[str, Any] | None,
    schedule_id: UUID | None,
) -> dict[str, Any]:
    job = ExportJob(
        user_id=actor.id,
        patient_id=patient_id,
        template_id=template_id,
        schedule_id=schedule_id,
        export_type=export_type,
        format=fmt,
        parameters=parameters,
        delivery=delivery or {},
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
    await enqueue(queue, RUN_EXPORT, job.id)
    await events.publish("export.status", user_id=actor.id, job_id=str(job.id), status="pending")
    return await get_job(actor, job.id)


async def request_export(
    actor: Actor,
    request: ExportRequest,
    *,
    origin: RequestOrigin,
    queue: ArqRedis,
    redis: Redis,
    events: EventPublisher,
    delivery: dict[str, Any] | None = None,
    schedule_id: UUID | None = None,
) -> dict[str, Any]:
    """Authorise, record and enqueue one export; returns the pending job."""
    if actor.role not in (Role.therapist, Role.admin):
        raise NotFound("patient")
    patient_id = await _authorise(actor, request)
    await _check_template(actor, request)
    await _check_rate(redis, actor.id)
    return await _create(
        actor,
        patient_id=patient_id,
        export_type=request.export_type,
        fmt=request.format,
        parameters=request.model_dump(mode="json"),
        template_id=request.template_id,
        origin=origin,
        queue=queue,
        events=events,
        delivery=delivery,
        schedule_id=schedule_id,
    )


async def request_bulk_export(
    actor: Actor,
    request: BulkExportRequest,
    *,
    origin: RequestOrigin,
    queue: ArqRedis,
    redis: Redis,
    events: EventPublisher,
) -> dict[str, Any]:
    for patient_id in request.patient_ids:
        await require_patient(actor, patient_id)
    await _check_rate(redis, actor.id)
    return await _create(
        actor,
        patient_id=None,
        export_type=request.export_type,
        fmt=ExportFormat.zip,
        parameters=request.model_dump(mode="json"),
        template_id=None,
        origin=origin,
        queue=queue,
        events=events,
        delivery=None,
        schedule_id=None,
    )


async def set_status(job_id: UUID, allowed_from: tuple[ExportStatus, ...], **values: Any) -> bool:
    """Compare-and-set the job's status (and fields) from one of `allowed_from`."""
    update = {getattr(ExportJob, name): value for name, value in values.items()}
    rows = (
        await ExportJob.update(update)
        .where((ExportJob.id == job_id) & ExportJob.status.is_in(list(allowed_from)))
        .returning(ExportJob.id)
    )
    return bool(rows)


async def fail_export(job_id: UUID, user_id: UUID, message: str, events: EventPublisher) -> None:
    failed = await set_status(
        job_id,
        (ExportStatus.pending, ExportStatus.processing),
        status=ExportStatus.failed,
        error_message=message,
        completed_at=datetime.now(UTC),
    )
    if failed:
        await events.publish("export.status", user_id=user_id, job_id=str(job_id), status="failed")


def download_url(job_id: UUID) -> str:
    return f"/api/v1/export/download/{job_id}"


def describe(job: dict[str, Any]) -> dict[str, Any]:
    """The public shape of a job (what the API and pages show)."""
    return {
        "id": job["id"],
        "export_type": job["export_type"],
        "format": job["format"],
        "status": job["status"],
        "patient_id": job["patient_id"],
        "file_size_bytes": job["file_size_bytes"],
        "error_message": job["error_message"],
        "created_at": job["created_at"],
        "started_at": job["started_at"],
        "completed_at": job["completed_at"],
        "expires_at": job["expires_at"],
        "download_url": download_url(job["id"])
        if job["status"] == ExportStatus.completed
        else None,
    }


# Clients poll a job's status: fixed SQL, prepared once per connection.
_OWN_JOB = """
    SELECT id, user_id, patient_id, export_type, format, status, file_size_bytes,
           error_message, created_at, started_at, completed_at, expires_at
    FROM export_jobs WHERE id = {} AND user_id = {}
"""


async def get_job(actor: Actor, job_id: UUID) -> dict[str, Any]:
    rows = await ExportJob.raw(_OWN_JOB, job_id, actor.id)
    if not rows:
        raise NotFound("export job")
    return describe(rows[0])


async def list_jobs(
    actor: Actor, *, status: ExportStatus | None = None, page: int = 1, per_page: int = 20
) -> tuple[list[dict[str, Any]], int]:
    where = ExportJob.user_id == actor.id
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
    return [describe(row) for row in rows], total


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    size: int
    chunks: Iterator[bytes]


def download_filename(job: dict[str, Any]) -> str:
    day = (job["completed_at"] or datetime.now(UTC)).strftime("%Y-%m-%d")
    extension = job.get("file_format") or job["format"]
    return f"{job['export_type'].replace('_', '-')}-{day}-{str(job['id'])[:8]}.{extension}"


async def open_download(
    actor: Actor, job_id: UUID, *, origin: RequestOrigin, storage: EncryptedStorage
) -> Download:
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
        chunks=storage.iter_chunks(job["file_path"]),
    )


async def delete_job(
    actor: Actor,
    job_id: UUID,
    *,
    origin: RequestOrigin,
    storage: EncryptedStorage,
    events: EventPublisher,
) -> None:
    """Remove the file now; the job row stays (as `expired`) for the audit trail."""
    job = await ExportJob.select().where(ExportJob.id == job_id).first()
    if job is None or job["user_id"] != actor.id:
        raise NotFound("export job")
    if job["file_path"]:
        storage.delete(job["file_path"])
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
    await events.publish("export.status", user_id=actor.id, job_id=str(job_id), status="expired")


async def latest_session_ids(patient_id: UUID, count: int) -> list[UUID]:
    rows = (
        await TherapySession.select(TherapySession.id)
        .where((TherapySession.patient_id == patient_id) & (TherapySession.status == "processed"))
        .order_by(TherapySession.session_date, ascending=False)
        .limit(count)
    )
    return [row["id"] for row in rows]

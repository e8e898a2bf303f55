"""Periodic upkeep of exports: expiring old files and recovering jobs that Redis lost.

PostgreSQL is the truth. A job still `pending`/`processing` with no arq job behind it was lost
(Redis restarted without persistence, or its worker died) and is enqueued again under a fresh
job id; after MAX_SWEEPS revivals it is failed instead.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from arq.connections import ArqRedis

from core import audit
from core.enums import AuditAction, ExportStatus
from core.events import Event, EventPublisher
from core.exports.jobs import fail_export
from core.infra.queue import RUN_EXPORT, enqueue, is_queued_or_running
from core.infra.storage import EncryptedStorage
from core.tables import ExportJob

LOST_AFTER = timedelta(minutes=2)
MAX_SWEEPS = 5
GAVE_UP = "the export could not be completed after several attempts"


async def expire_exports(storage: EncryptedStorage, events: EventPublisher) -> int:
    """Delete files past `expires_at`; the job becomes `expired`, audited `deleted`."""
    due = await ExportJob.select(
        ExportJob.id, ExportJob.user_id, ExportJob.patient_id, ExportJob.file_path
    ).where(
        (ExportJob.status == ExportStatus.completed) & (ExportJob.expires_at <= datetime.now(UTC))
    )
    expired = 0
    for job in due:
        if job["file_path"]:
            storage.delete(job["file_path"])
        updated = (
            await ExportJob.update(
                {ExportJob.status: ExportStatus.expired, ExportJob.file_path: None}
            )
            .where((ExportJob.id == job["id"]) & (ExportJob.status == ExportStatus.completed))
            .returning(ExportJob.id)
        )
        if not updated:
            continue
        expired += 1
        await audit.record(
            AuditAction.deleted,
            user_id=job["user_id"],
            patient_id=job["patient_id"],
            export_job_id=job["id"],
            metadata={"reason": "expired"},
        )
        await events.publish(
            Event.export_status, user_id=job["user_id"], job_id=str(job["id"]), status="expired"
        )
    return expired


async def sweep_lost_exports(queue: ArqRedis, events: EventPublisher) -> int:
    """Re-enqueue exports whose queue entry vanished; returns how many."""
    cutoff = datetime.now(UTC) - LOST_AFTER
    revived = 0
    jobs = await ExportJob.select(ExportJob.id, ExportJob.user_id, ExportJob.sweep_count).where(
        ExportJob.status.is_in([ExportStatus.pending, ExportStatus.processing])
        & (ExportJob.created_at < cutoff)
    )
    for job in jobs:
        sweeps = job["sweep_count"]
        if await is_queued_or_running(queue, RUN_EXPORT, job["id"], sweeps):
            continue
        if sweeps >= MAX_SWEEPS:
            await fail_export(job["id"], GAVE_UP, events)
            continue
        await ExportJob.update({ExportJob.sweep_count: sweeps + 1}).where(ExportJob.id == job["id"])
        await enqueue(queue, RUN_EXPORT, job["id"], attempt=sweeps + 1)
        revived += 1
    return revived

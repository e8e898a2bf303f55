"""An export job's state and its public view.

PostgreSQL is the truth about a job; Redis only carries the id to a worker. A job moves
`pending → processing → completed | failed`, and a completed one becomes `expired` when its
file is deleted after EXPORT_TTL_DAYS. Requests, reads and downloads are `ExportService`'s.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from core.enums import ExportFormat, ExportStatus, ExportType
from core.errors import Gone
from core.events import Event, EventPublisher
from core.tables import ExportJob

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


class ExportGone(Gone):
    def __init__(self, status: str) -> None:
        reason = "has expired and was deleted" if status == "expired" else f"is {status}"
        super().__init__(f"this export {reason}")


async def set_status(job_id: UUID, allowed_from: tuple[ExportStatus, ...], **values: Any) -> bool:
    """Compare-and-set the job's status (and fields) from one of `allowed_from`."""
    update = {getattr(ExportJob, name): value for name, value in values.items()}
    rows = (
        await ExportJob.update(update)
        .where((ExportJob.id == job_id) & ExportJob.status.is_in(list(allowed_from)))
        .returning(ExportJob.id)
    )
    return bool(rows)


async def fail_export(job_id: UUID, message: str, events: EventPublisher) -> None:
    """End a pending or processing job `failed` with `message` (a job already final stays)."""
    rows = (
        await ExportJob.update(
            {
                ExportJob.status: ExportStatus.failed,
                ExportJob.error_message: message,
                ExportJob.completed_at: datetime.now(UTC),
            }
        )
        .where(
            (ExportJob.id == job_id)
            & ExportJob.status.is_in([ExportStatus.pending, ExportStatus.processing])
        )
        .returning(ExportJob.user_id)
    )
    for row in rows:
        await events.publish(
            Event.export_status, user_id=row["user_id"], job_id=str(job_id), status="failed"
        )


def download_url(job_id: UUID) -> str:
    return f"/api/v1/export/download/{job_id}"


class ExportJobView(BaseModel):
    """The public shape of a job: what the API, the pages and Slack show."""

    id: UUID
    export_type: ExportType
    format: ExportFormat
    status: ExportStatus
    patient_id: UUID | None
    file_size_bytes: int | None
    error_message: str | None
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    expires_at: datetime | None
    download_url: str | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> ExportJobView:
        completed = row["status"] == ExportStatus.completed
        fields = {name: row[name] for name in cls.model_fields if name != "download_url"}
        return cls(**fields, download_url=download_url(row["id"]) if completed else None)


def download_filename(job: dict[str, Any]) -> str:
    day = (job["completed_at"] or datetime.now(UTC)).strftime("%Y-%m-%d")
    extension = job.get("file_format") or job["format"]
    return f"{job['export_type'].replace('_', '-')}-{day}-{str(job['id'])[:8]}.{extension}"


async def load_job(job_id: UUID) -> dict[str, Any] | None:
    """The whole job row, for the worker and the notifiers (not for people: see ExportService)."""
    row: dict[str, Any] | None = (
        await ExportJob.select().where(ExportJob.id == job_id).output(load_json=True).first()
    )
    return row

"""What "done exactly once" means for an export, checked where it is kept: the job row, the
audit trail and the encrypted files on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from core.enums import ExportStatus
from core.tables import ExportAuditLog, ExportJob
from tests.faults.processes import eventually
from tests.faults.storage import storage_root


async def job_row(job_id: UUID) -> dict[str, Any]:
    row = await ExportJob.select().where(ExportJob.id == job_id).first()
    assert row is not None, f"export job {job_id} does not exist"
    return row


async def wait_for_status(job_id: UUID, wanted: ExportStatus, seconds: float) -> dict[str, Any]:
    async def reached() -> dict[str, Any] | None:
        row = await job_row(job_id)
        return row if row["status"] == wanted else None

    return await eventually(reached, seconds, f"export {job_id} reaching {wanted}")


async def completion_rows(job_id: UUID) -> int:
    """Audit rows recording that the job's file was made (stage "completed")."""
    rows = await ExportAuditLog.raw(
        "SELECT count(*) AS n FROM export_audit_log WHERE export_job_id = {} "
        "AND action = 'created' AND action_metadata->>'stage' = 'completed'",
        job_id,
    )
    return int(rows[0]["n"])


def files_of(job_id: UUID) -> list[Path]:
    """Everything on disk named after the job: its file, and any partial write of it."""
    return sorted((storage_root() / "exports").glob(f"{job_id}*"))

"""Running one export job in the worker: gather, render, encrypt, complete.

Idempotent: a completed, failed or expired job is left alone; a job found `processing` (its
worker died) is simply done again, writing the same file name, so a rerun never leaves a
second file. Completion is a compare-and-set from `processing`, so a job deleted meanwhile
does not come back.
"""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import UTC, datetime, timedelta
from uuid import UUID

from core import audit
from core.documents.gather import gather_context
from core.documents.pool import RenderPool
from core.documents.service import (
    DocumentError,
    TransientDocumentError,
    output_format,
    render_document,
)
from core.enums import AuditAction, ExportFormat, ExportStatus
from core.events import Event
from core.exports.jobs import download_filename, fail_export, set_status
from core.exports.requests import BulkExportRequest, ExportRequest
from core.infra.runtime import Runtime
from core.infra.storage import StorageError
from core.tables import ExportJob, ExportTemplate, User

logger = logging.getLogger(__name__)

FINAL = (ExportStatus.completed, ExportStatus.failed, ExportStatus.expired)


class TransientExportError(Exception):
    """Worth retrying (a render worker crashed, a connection dropped)."""


async def _render(
    request: ExportRequest,
    requester_id: UUID,
    pool: RenderPool,
    custom_template: str | None = None,
) -> tuple[bytes, str]:
    """The document and its file extension (a PDF too long for one file comes as a ZIP)."""
    context = await gather_context(request, requester_id)
    data = await render_document(
        context,
        request.format,
        custom_template=custom_template,
        pdf_variant=request.pdf_variant,
        pool=pool,
    )
    return data, output_format(request.format, context).extension


async def _custom_template(request: ExportRequest) -> str | None:
    if request.template_id is None:
        return None
    template = (
        await ExportTemplate.select(ExportTemplate.template_content)
        .where(ExportTemplate.id == request.template_id)
        .first()
    )
    return template["template_content"] if template else None


async def _render_bulk(request: BulkExportRequest, requester_id: UUID, pool: RenderPool) -> bytes:
    names = {
        row["id"]: row["handle"]
        for row in await User.select(User.id, User.handle).where(User.id.is_in(request.patient_ids))
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for patient_id in request.patient_ids:
            data, extension = await _render(request.part(patient_id), requester_id, pool)
            archive.writestr(f"{names[patient_id]}-{request.export_type}.{extension}", data)
    return buffer.getvalue()


async def run_export(job_id: UUID, runtime: Runtime) -> None:
    """Render a pending job, store it encrypted and mark it completed (or failed, with why)."""
    events, storage = runtime.events, runtime.storage
    job = await ExportJob.select().where(ExportJob.id == job_id).output(load_json=True).first()
    if job is None or ExportStatus(job["status"]) in FINAL:
        return
    started = await set_status(
        job_id,
        (ExportStatus.pending, ExportStatus.processing),
        status=ExportStatus.processing,
        started_at=datetime.now(UTC),
        attempts=job["attempts"] + 1,
    )
    if not started:
        return
    await events.publish(
        Event.export_status, user_id=job["user_id"], job_id=str(job_id), status="processing"
    )
    try:
        if job["format"] == ExportFormat.zip:
            bulk = BulkExportRequest.model_validate(job["parameters"])
            data, extension = await _render_bulk(bulk, job["user_id"], runtime.render_pool), "zip"
        else:
            request = ExportRequest.model_validate(job["parameters"])
            template = await _custom_template(request)
            data, extension = await _render(request, job["user_id"], runtime.render_pool, template)
        stored = storage.write_bytes("exports", data, name=str(job_id))
    except TransientDocumentError as error:
        raise TransientExportError(str(error)) from error
    except (DocumentError, StorageError, ValueError, OSError) as error:
        await fail_export(job_id, _failure_message(error), events)
        return
    completed_at = datetime.now(UTC)
    async with ExportJob._meta.db.transaction():  # completed exactly when audited
        done = await set_status(
            job_id,
            (ExportStatus.processing,),
            status=ExportStatus.completed,
            file_path=stored.path,
            file_size_bytes=stored.size,
            file_sha256=stored.sha256,
            file_format=extension,
            completed_at=completed_at,
            expires_at=completed_at + timedelta(days=runtime.settings.export_ttl_days),
            error_message=None,
        )
        if done:
            await audit.record(
                AuditAction.created,
                user_id=job["user_id"],
                patient_id=job["patient_id"],
                export_job_id=job_id,
                metadata={"stage": "completed", "size": stored.size, "sha256": stored.sha256},
            )
    if not done:  # deleted or expired while rendering
        storage.delete(stored.path)
        return
    await events.publish(
        Event.export_completed,
        user_id=job["user_id"],
        job_id=str(job_id),
        status="completed",
        filename=download_filename({**job, "completed_at": completed_at, "file_format": extension}),
    )


def _failure_message(error: Exception) -> str:
    if isinstance(error, OSError):
        return f"could not store the export: {error.strerror or type(error).__name__}"
    return str(error)

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
from typing import Any
from uuid import UUID

from core import audit
from core.documents.context import DocumentContext
from core.documents.gather import gather_context
from core.documents.service import DocumentError, TransientDocumentError, render_document
from core.enums import AuditAction, ExportFormat, ExportStatus
from core.events import EventPublisher
from core.exports.jobs import download_filename, fail_export, set_status
from core.exports.requests import BulkExportRequest, ExportRequest
from core.settings import Settings
from core.storage import EncryptedStorage, StorageError
from core.tables import ExportJob, ExportTemplate, User

logger = logging.getLogger(__name__)

FINAL = (ExportStatus.completed, ExportStatus.failed, ExportStatus.expired)


class TransientExportError(Exception):
    """Worth retrying (a render worker crashed, a connection dropped)."""


async def _render_one(request: ExportRequest, job: dict[str, Any]) -> tuple[bytes, DocumentContext]:
    context = await gather_context(request, job["user_id"])
    custom_template = None
    if request.template_id is not None:
        template = (
            await ExportTemplate.select(ExportTemplate.template_content)
            .where(ExportTemplate.id == request.template_id)
            .first()
        )
        custom_template = template["template_content"] if template else None
    data = await render_document(
        context, request.format, custom_template=custom_template, pdf_variant=request.pdf_variant
    )
    return data, context


async def _render_bulk(request: BulkExportRequest, requester_id: UUID) -> bytes:
    names = {
        row["id"]: row["handle"]
        for row in await User.select(User.id, User.handle).where(User.id.is_in(request.patient_ids))
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for patient_id in request.patient_ids:
            part = request.part(patient_id)
            context = await gather_context(part, requester_id)
            data = await render_document(context, part.format, pdf_variant=part.pdf_variant)
            archive.writestr(
                f"{names.get(patient_id, patient_id)}-{request.export_type}.{part.format}", data
            )
    return buffer.getvalue()


async def run_export(
    job_id: UUID, *, settings: Settings, storage: EncryptedStorage, events: EventPublisher
) -> None:
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
        "export.status", user_id=job["user_id"], job_id=str(job_id), status="processing"
    )
    try:
        if job["format"] == ExportFormat.zip:
            data = await _render_bulk(
                BulkExportRequest.model_validate(job["parameters"]), job["user_id"]
            )
        else:
            data, _ = await _render_one(ExportRequest.model_validate(job["parameters"]), job)
        stored = storage.write_bytes("exports", data, name=str(job_id))
    except TransientDocumentError as error:
        raise TransientExportError(str(error)) from error
    except (DocumentError, StorageError, ValueError, OSError) as error:
        await fail_export(job_id, job["user_id"], _failure_message(error), events)
        return
    completed_at = datetime.now(UTC)
    done = await set_status(
        job_id,
        (ExportStatus.processing,),
        status=ExportStatus.completed,
        file_path=stored.path,
        file_size_bytes=stored.size,
        file_sha256=stored.sha256,
        completed_at=completed_at,
        expires_at=completed_at + timedelta(days=settings.export_ttl_days),
        error_message=None,
    )
    if not done:  # deleted or expired while rendering
        storage.delete(stored.path)
        return
    await audit.record(
        AuditAction.created,
        user_id=job["user_id"],
        patient_id=job["patient_id"],
        export_job_id=job_id,
        metadata={"stage": "completed", "size": stored.size, "sha256": stored.sha256},
    )
    await events.publish(
        "export.completed",
        user_id=job["user_id"],
        job_id=str(job_id),
        status="completed",
        filename=download_filename({**job, "completed_at": completed_at}),
    )


def _failure_message(error: Exception) -> str:
    if isinstance(error, OSError):
        return f"could not store the export: {error.strerror or type(error).__name__}"
    return str(error)

"""The demo's exports, requested the way the dashboard requests them.

A `render_now` export is then run by the same runner the worker uses, so it is complete (file
written, audited) when seeding ends; the others stay pending in the queue until a worker takes
them — under `tb dev`, seconds after start-up.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from uuid import UUID

from core.access import Actor
from core.demo.model import DemoExport
from core.demo.origin import DEMO_ORIGIN
from core.enums import ExportStatus, ExportType
from core.exports.requests import ExportRequest
from core.exports.runner import run_export
from core.exports.service import ExportService
from core.infra.runtime import Runtime
from core.tables import ExportJob

logger = logging.getLogger(__name__)


def export_request(export: DemoExport, patient_id: UUID, today: date) -> ExportRequest:
    period = {}
    if export.export_type == ExportType.progress_report:
        first = today - timedelta(days=export.patient.first_day_ago)
        period = {"start_date": first, "end_date": today}
    return ExportRequest(
        export_type=export.export_type, format=export.format, patient_id=patient_id, **period
    )


async def request_demo_export(
    runtime: Runtime, export: DemoExport, requester: Actor, patient_id: UUID, today: date
) -> UUID:
    job = await ExportService(runtime).request(
        requester, export_request(export, patient_id, today), origin=DEMO_ORIGIN
    )
    if export.render_now:
        await run_export(job.id, runtime)
        status = await ExportJob.select(ExportJob.status).where(ExportJob.id == job.id).first()
        if status is None or status["status"] != ExportStatus.completed:
            # Seeding goes on: the job shows as failed on the exports page, with its reason.
            logger.warning("demo export %s did not complete", job.id)
    return job.id

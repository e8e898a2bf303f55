"""A worker killed (SIGKILL) while rendering an export: after a restart the job completes once.

The transcription case is tests/jobs/test_worker_crash.py; this one kills the worker, its
render pool and all, in the middle of a many-page PDF.
"""

import asyncio
from uuid import UUID

import httpx

from core.enums import ExportStatus, Role
from core.infra.storage import storage_from_settings
from core.settings import get_settings
from jobs.lease import LEASE_SECONDS
from tests.factories import make_user
from tests.faults.exports import completion_rows, files_of, job_row, wait_for_status
from tests.faults.processes import kill_hard, running, start_tb
from tests.faults.records import patient_with_record
from tests.faults.storage import partial_files
from tests.web.test_api_exports import bearer

SESSIONS = 8  # of the longest AnnoMI conversations: a PDF that takes seconds to render


async def test_killed_worker_finishes_the_export_exactly_once(
    client: httpx.AsyncClient, redis: object
) -> None:
    therapist = await make_user(Role.therapist)
    patient = await patient_with_record(therapist, SESSIONS)
    response = await client.post(
        "/api/v1/export/full-record",
        json={"patient_id": str(patient), "format": "pdf"},
        headers=await bearer(therapist),
    )
    assert response.status_code == 202, response.text
    job_id = UUID(response.json()["id"])

    first = start_tb("worker")
    try:
        await wait_for_status(job_id, ExportStatus.processing, 60)
        await asyncio.sleep(1)  # well into the render, which takes several seconds
    finally:
        kill_hard(first)
    interrupted = await job_row(job_id)
    assert interrupted["status"] == ExportStatus.processing
    assert files_of(job_id) == []

    with running("worker"):
        # The dead worker's lease on the job runs out first; then the job is taken again.
        done = await wait_for_status(job_id, ExportStatus.completed, LEASE_SECONDS + 90)

    assert done["attempts"] == 2  # it really was interrupted, and run once more
    assert await completion_rows(job_id) == 1
    assert files_of(job_id) == [storage_from_settings(get_settings()).absolute(done["file_path"])]
    assert partial_files() == []
    document = storage_from_settings(get_settings()).read_bytes(done["file_path"])
    assert document.startswith(b"%PDF") and len(document) == done["file_size_bytes"]

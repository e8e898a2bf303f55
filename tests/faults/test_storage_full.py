"""Storage full or unwritable: the work fails with a clear message and nothing partial remains.

The test runs as root, which file permissions do not stop, so "full" is the disk refusing the
final flush (ENOSPC from fsync, after the data was written) and "unwritable" is a storage root
below a regular file (ENOTDIR).
"""

import errno
import os
from dataclasses import replace
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from arq.connections import ArqRedis
from litestar import Litestar
from redis.asyncio import Redis

from core.enums import ExportStatus, Role
from core.infra import storage as storage_module
from core.infra.storage import EncryptedStorage
from core.tables import ExportAuditLog, TherapySession
from tests.factories import make_user
from tests.faults.exports import completion_rows, files_of, job_row
from tests.faults.records import patient_with_record
from tests.faults.storage import partial_files, storage_root
from tests.jobs.test_process_session import FIXTURES, context_of
from tests.support import burst_worker
from tests.web.test_api_exports import bearer


@pytest.fixture
def disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(storage_module.os, "fsync", no_space)


async def request_json_export(client: httpx.AsyncClient) -> tuple[UUID, dict[str, str]]:
    therapist = await make_user(Role.therapist)
    patient = await patient_with_record(therapist, 1)
    auth = await bearer(therapist)
    response = await client.post(
        "/api/v1/export/full-record",
        json={"patient_id": str(patient), "format": "json"},
        headers=auth,
    )
    assert response.status_code == 202, response.text
    return UUID(response.json()["id"]), auth


async def assert_failed_cleanly(
    client: httpx.AsyncClient, job_id: UUID, auth: dict[str, str], message: str
) -> None:
    job = (await client.get(f"/api/v1/export/jobs/{job_id}", headers=auth)).json()
    assert job["status"] == ExportStatus.failed
    assert job["error_message"] == message
    assert job["download_url"] is None
    assert (await job_row(job_id))["file_path"] is None
    assert files_of(job_id) == []
    assert partial_files() == []
    assert await completion_rows(job_id) == 0
    download = await client.get(f"/api/v1/export/download/{job_id}", headers=auth)
    assert download.status_code == 410


async def test_an_export_on_a_full_disk_fails_with_a_clear_message(
    app: Litestar, client: httpx.AsyncClient, redis: Redis, queue: ArqRedis, disk_full: None
) -> None:
    job_id, auth = await request_json_export(client)
    await burst_worker(queue, context_of(app, redis)).main()
    await assert_failed_cleanly(
        client, job_id, auth, "could not store the export: No space left on device"
    )


async def test_an_export_to_unwritable_storage_fails_with_a_clear_message(
    app: Litestar, client: httpx.AsyncClient, redis: Redis, queue: ArqRedis, tmp_path: Path
) -> None:
    job_id, auth = await request_json_export(client)
    (tmp_path / "not-a-directory").write_bytes(b"")
    storage = EncryptedStorage(tmp_path / "not-a-directory" / "files", b"k" * 32)
    context = replace(context_of(app, redis), storage=storage)
    await burst_worker(queue, context).main()
    await assert_failed_cleanly(client, job_id, auth, "could not store the export: Not a directory")


async def test_an_upload_on_a_full_disk_is_refused_with_a_clear_message(
    client: httpx.AsyncClient, disk_full: None
) -> None:
    therapist = await make_user(Role.therapist)
    patient = await patient_with_record(therapist, 0)
    audio_before = sorted((storage_root() / "audio").rglob("*"))
    audit_before = await ExportAuditLog.count()
    response = await client.post(
        f"/api/v1/sessions/upload?patient_id={patient}",
        content=(FIXTURES / "clip.wav").read_bytes(),
        headers=await bearer(therapist),
    )
    assert response.status_code == 507, response.text
    assert response.json()["detail"] == "could not store the recording: No space left on device"
    assert await TherapySession.count() == 0
    assert sorted((storage_root() / "audio").rglob("*")) == audio_before
    assert await ExportAuditLog.count() == audit_before

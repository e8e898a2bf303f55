"""Exports end to end: requested through the API, rendered by the real worker, downloaded."""

import io
import json
from uuid import UUID

import httpx
import pytest
from arq.connections import ArqRedis
from docx import Document
from litestar import Litestar
from pypdf import PdfReader
from redis.asyncio import Redis

from core.demo import seed_demo
from core.tables import ExportAuditLog, ExportJob, User
from tests.jobs.test_process_session import context_of
from tests.support import burst_worker
from tests.web.test_api_exports import bearer


@pytest.fixture
async def clinic(app: Litestar, redis: Redis, queue: ArqRedis) -> dict[str, object]:
    await seed_demo(context_of(app, redis))
    therapist = await User.select(User.id).where(User.handle == "maya.rivera").first()
    patient = await User.select(User.id).where(User.handle == "jordan.ellis").first()
    return {"auth": await bearer(therapist["id"]), "patient": str(patient["id"])}


async def run_jobs(app: Litestar, redis: Redis, queue: ArqRedis) -> None:
    worker = burst_worker(queue, context_of(app, redis))
    await worker.main()
    assert worker.jobs_failed == 0


async def export(client: httpx.AsyncClient, clinic: dict, kind: str, body: dict) -> dict:
    response = await client.post(f"/api/v1/export/{kind}", json=body, headers=clinic["auth"])
    assert response.status_code == 202, response.text
    return response.json()


async def test_every_type_and_format_completes_and_downloads(
    app: Litestar, client: httpx.AsyncClient, redis: Redis, queue: ArqRedis, clinic: dict
) -> None:
    patient = {"patient_id": clinic["patient"]}
    period = {"start_date": "2000-01-01", "end_date": "2100-01-01"}
    jobs = []
    for fmt in ("pdf", "docx", "json", "csv"):
        jobs.append(
            await export(client, clinic, "progress-report", {**patient, **period, "format": fmt})
        )
        jobs.append(await export(client, clinic, "treatment-summary", {**patient, "format": fmt}))
        jobs.append(await export(client, clinic, "full-record", {**patient, "format": fmt}))
    await run_jobs(app, redis, queue)

    for job in jobs:
        status = (
            await client.get(f"/api/v1/export/jobs/{job['id']}", headers=clinic["auth"])
        ).json()
        assert status["status"] == "completed", status
        assert status["download_url"] and status["file_size_bytes"] > 0 and status["expires_at"]
        download = await client.get(status["download_url"], headers=clinic["auth"])
        assert download.status_code == 200
        body = download.content
        match status["format"]:
            case "pdf":
                text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
                assert "Jordan Ellis" in text and "Confidential" in text
            case "docx":
                document = Document(io.BytesIO(body))
                assert any("Jordan Ellis" in p.text for p in document.paragraphs) or any(
                    "Jordan Ellis" in cell.text
                    for t in document.tables
                    for row in t.rows
                    for cell in row.cells
                )
            case "json":
                assert json.loads(body)["schema_version"] == "2.0"
            case "csv":
                assert (
                    body.decode().splitlines()[0].startswith("session_id") or "," in body.decode()
                )
    ours = ExportAuditLog.export_job_id.is_in([UUID(job["id"]) for job in jobs])
    completions = await ExportAuditLog.count().where(ours & (ExportAuditLog.action == "created"))
    downloads = await ExportAuditLog.count().where(ours & (ExportAuditLog.action == "downloaded"))
    assert completions == 2 * len(jobs) and downloads == len(jobs)  # requested + completed each


async def test_session_notes_of_the_latest_sessions(
    app: Litestar, client: httpx.AsyncClient, redis: Redis, queue: ArqRedis, clinic: dict
) -> None:
    sessions = await client.get(
        f"/api/v1/sessions?patient_id={clinic['patient']}&status=processed", headers=clinic["auth"]
    )
    ids = [s["id"] for s in sessions.json()["items"][:2]]
    job = await export(client, clinic, "session-notes", {"session_ids": ids, "format": "pdf"})
    await run_jobs(app, redis, queue)
    row = await ExportJob.select().where(ExportJob.id == UUID(job["id"])).first()
    assert row["status"] == "completed" and row["file_format"] == "pdf"


async def test_a_rerun_of_a_completed_job_changes_nothing(
    app: Litestar, client: httpx.AsyncClient, redis: Redis, queue: ArqRedis, clinic: dict
) -> None:
    from core.infra.queue import RUN_EXPORT, enqueue

    job = await export(
        client, clinic, "full-record", {"patient_id": clinic["patient"], "format": "json"}
    )
    await run_jobs(app, redis, queue)
    before = await ExportJob.select().where(ExportJob.id == UUID(job["id"])).first()
    await enqueue(queue, RUN_EXPORT, job["id"], attempt=1)
    await run_jobs(app, redis, queue)
    after = await ExportJob.select().where(ExportJob.id == UUID(job["id"])).first()
    assert after == before

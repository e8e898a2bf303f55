"""Redis restarted without persistence while work is queued: the web app keeps answering, the
worker reconnects, and the sweeper (the worker's own cron) re-enqueues the lost work.

Runs a private redis-server, so the shared one is never touched.
"""

import asyncio
import os
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import httpx

from core.enums import ExportStatus, Role, SessionStatus
from core.exports.maintenance import LOST_AFTER
from core.tables import ExportJob, TherapySession
from core.tokens import issue_token
from tests.factories import make_user
from tests.faults.exports import completion_rows, files_of, wait_for_status
from tests.faults.processes import PrivateRedis, eventually, health, running, wait_healthy
from tests.faults.records import patient_with_record
from tests.faults.storage import partial_files
from tests.jobs.test_process_session import FIXTURES
from tests.support import free_port

SWEEP_SECOND = 30  # jobs.worker: the sweeper runs every minute at second 30
# Redis comes back 8-22 s before a sweep: time for the worker to reconnect first.
RESTART_WINDOW = range(SWEEP_SECOND - 22, SWEEP_SECOND - 7)
RECOVERY_SECONDS = 90  # from the restart: the sweep, then the work it re-enqueued


async def request_export(api: httpx.AsyncClient, patient: UUID, fmt: str) -> UUID:
    response = await api.post(
        "/api/v1/export/treatment-summary", json={"patient_id": str(patient), "format": fmt}
    )
    assert response.status_code == 202, response.text
    return UUID(response.json()["id"])


async def upload(api: httpx.AsyncClient, patient: UUID) -> UUID:
    response = await api.post(
        f"/api/v1/sessions/upload?patient_id={patient}",
        content=(FIXTURES / "clip.wav").read_bytes(),
    )
    assert response.status_code == 202, response.text
    return UUID(response.json()["id"])


async def age_past_the_sweepers_patience(exports: list[UUID], session: UUID) -> None:
    """Make the lost work look as old as it will be when the sweeper next looks in earnest."""
    then = datetime.now(UTC) - LOST_AFTER - timedelta(minutes=1)
    await ExportJob.update({ExportJob.created_at: then}).where(ExportJob.id.is_in(exports))
    await TherapySession.update({TherapySession.updated_at: then}).where(
        TherapySession.id == session
    )


async def wait_for_restart_window() -> None:
    while int(time.time()) % 60 not in RESTART_WINDOW:
        await asyncio.sleep(0.5)


async def wait_for_session(session: UUID, seconds: float) -> dict:
    async def processed() -> dict | None:
        row = await TherapySession.select().where(TherapySession.id == session).first()
        return row if row["status"] == SessionStatus.processed else None

    return await eventually(processed, seconds, f"session {session} being processed")


async def test_redis_restart_loses_the_queue_and_nothing_else(db: None, tmp_path: Path) -> None:
    therapist = await make_user(Role.therapist)
    patient = await patient_with_record(therapist, 1)
    auth = {"Authorization": f"Bearer {(await issue_token(therapist, 'faults')).token}"}
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"

    with PrivateRedis(tmp_path / "redis") as redis_server:
        env = {"REDIS_URL": redis_server.url, "PORT": str(port)}
        with running("serve", env=env), running("worker", env=env) as worker:
            await wait_healthy(base_url)
            async with httpx.AsyncClient(base_url=base_url, headers=auth, timeout=30) as api:
                before = await request_export(api, patient, "json")
                await wait_for_status(before, ExportStatus.completed, 30)

                # The worker stalls; what is requested meanwhile exists only in Redis's queue.
                os.killpg(worker.pid, signal.SIGSTOP)
                exports = [await request_export(api, patient, f) for f in ("json", "csv", "docx")]
                session = await upload(api, patient)
                redis_server.crash()
                os.killpg(worker.pid, signal.SIGCONT)

                down = await health(base_url)
                assert down is not None and down.status_code == 503
                assert down.json()["database"] == "ok"
                assert down.json()["redis"].startswith("unavailable")
                listed = await api.get("/api/v1/export/jobs")
                assert listed.status_code == 200 and listed.json()["total"] == 4
                refused = await api.post(
                    "/api/v1/export/treatment-summary", json={"patient_id": str(patient)}
                )
                assert refused.status_code == 503, refused.text
                assert await ExportJob.count() == 4

                await age_past_the_sweepers_patience(exports, session)
                await wait_for_restart_window()  # Redis stays down until then: up to a minute
                assert worker.poll() is None, "the worker exited while Redis was down"
                redis_server.start()
                await wait_healthy(base_url, 15)

                for job in exports:
                    await wait_for_status(job, ExportStatus.completed, RECOVERY_SECONDS)
                await wait_for_session(session, RECOVERY_SECONDS)
            assert worker.poll() is None, "the worker exited after Redis came back"

    for job in [before, *exports]:
        assert await completion_rows(job) == 1
        assert len(files_of(job)) == 1
    swept = await ExportJob.select(ExportJob.sweep_count).where(ExportJob.id.is_in(exports))
    assert [row["sweep_count"] for row in swept] == [1, 1, 1]
    row = await TherapySession.select().where(TherapySession.id == session).first()
    assert row["sweep_count"] == 1 and row["transcript_text"] and row["processed_at"]
    assert partial_files() == []

"""PostgreSQL connections terminated (pg_terminate_backend) in the middle of requests and jobs.

To cut a transaction at a known point, the test locks the audit table: every audited change
then waits at its audit row, inside its transaction, until the connection is terminated.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from uuid import UUID

import asyncpg
import httpx
import pytest
from arq.connections import ArqRedis
from litestar import Litestar
from redis.asyncio import Redis

from core.enums import ExportStatus, NoteStatus, Role
from core.events import EventPublisher
from core.exports.maintenance import LOST_AFTER, sweep_lost_exports
from core.settings import get_settings
from core.tables import ClinicalNote, ExportAuditLog, ExportJob
from tests.factories import make_user
from tests.faults.exports import completion_rows, files_of, job_row
from tests.faults.processes import eventually
from tests.faults.records import patient_with_record
from tests.jobs.test_process_session import context_of
from tests.support import burst_worker
from tests.web.test_api_exports import bearer

# Inside a transaction pg_stat_activity is a snapshot taken at first read: clear it each time.
CLEAR_SNAPSHOT = "SELECT pg_stat_clear_snapshot()"
OTHER_CONNECTIONS = (
    "SELECT pid FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)
# A request sent in the very instant a backend dies fails (asyncpg has read the server's
# goodbye but not yet the closed socket); "the next requests" come after that instant.
SETTLE_SECONDS = 0.2
WAITING_ON_A_LOCK = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
)


@asynccontextmanager
async def audit_table_locked() -> AsyncIterator[asyncpg.Connection]:
    """A connection of our own holding the audit table: audit writes wait mid-transaction."""
    connection = await asyncpg.connect(get_settings().database_url)
    transaction = connection.transaction()
    await transaction.start()
    await connection.execute("LOCK TABLE export_audit_log IN EXCLUSIVE MODE")
    try:
        yield connection
    finally:
        await transaction.rollback()
        await connection.close()


async def terminate_others(connection: asyncpg.Connection) -> int:
    """pg_terminate_backend on every other connection to the database; returns once they are
    gone (termination is a signal, the backends exit a moment later) and their clients have
    had a moment to read the goodbye."""
    await connection.execute(CLEAR_SNAPSHOT)
    pids = [row["pid"] for row in await connection.fetch(OTHER_CONNECTIONS)]
    await connection.execute("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) pid", pids)

    async def gone() -> bool:
        await connection.execute(CLEAR_SNAPSHOT)
        alive = "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY($1::int[])"
        return await connection.fetchval(alive, pids) == 0

    await eventually(gone, 10, "the terminated connections ending", every=0.02)
    await asyncio.sleep(SETTLE_SECONDS)
    return len(pids)


async def cut_off_when_waiting(locker: asyncpg.Connection) -> None:
    """Once a transaction waits on the lock, terminate every other connection to the database."""

    async def waiting() -> bool:
        await locker.execute(CLEAR_SNAPSHOT)
        return bool(await locker.fetchval(WAITING_ON_A_LOCK))

    await eventually(waiting, 20, "a transaction waiting on the audit table", every=0.05)
    await terminate_others(locker)


async def audit_rows(action: str) -> int:
    return await ExportAuditLog.count().where(ExportAuditLog.action == action)


@pytest.fixture
async def therapist(db: None) -> UUID:
    return await make_user(Role.therapist)


@pytest.fixture
async def patient(therapist: UUID) -> UUID:
    """A patient with one processed session and its note draft."""
    return await patient_with_record(therapist, 1)


@pytest.fixture
async def auth(therapist: UUID) -> dict[str, str]:
    return await bearer(therapist)


async def test_pool_recovers_after_every_connection_is_terminated(
    client: httpx.AsyncClient, patient: UUID, auth: dict[str, str]
) -> None:
    for _ in range(3):
        assert (await client.get("/api/v1/sessions", headers=auth)).status_code == 200
    connection = await asyncpg.connect(get_settings().database_url)
    try:
        assert await terminate_others(connection) > 0
    finally:
        await connection.close()
    for _ in range(12):  # more requests than the pool has connections
        response = await client.get(f"/api/v1/sessions?patient_id={patient}", headers=auth)
        assert response.status_code == 200, response.text
        assert response.json()["total"] == 1


async def test_a_signature_cut_off_leaves_the_note_a_draft(
    client: httpx.AsyncClient, patient: UUID, auth: dict[str, str]
) -> None:
    [note] = await ClinicalNote.select(ClinicalNote.id).where(
        ClinicalNote.session_id.patient_id == patient
    )
    signed_before = await audit_rows("signed")
    async with audit_table_locked() as locker:
        signing = asyncio.create_task(client.post(f"/api/v1/notes/{note['id']}/sign", headers=auth))
        await cut_off_when_waiting(locker)
    cut = await signing
    assert cut.status_code >= 500

    row = await ClinicalNote.select().where(ClinicalNote.id == note["id"]).first()
    assert row["status"] == NoteStatus.draft
    assert row["signed_at"] is None and row["content_sha256"] is None
    assert await audit_rows("signed") == signed_before

    again = await client.post(f"/api/v1/notes/{note['id']}/sign", headers=auth)
    assert again.status_code == 200, again.text
    assert again.json()["status"] == NoteStatus.signed
    assert await audit_rows("signed") == signed_before + 1


async def test_an_export_request_cut_off_leaves_no_job(
    client: httpx.AsyncClient, queue: ArqRedis, patient: UUID, auth: dict[str, str]
) -> None:
    async with audit_table_locked() as locker:
        requesting = asyncio.create_task(
            client.post(
                "/api/v1/export/full-record",
                json={"patient_id": str(patient), "format": "json"},
                headers=auth,
            )
        )
        await cut_off_when_waiting(locker)
    cut = await requesting
    assert cut.status_code >= 500
    assert await ExportJob.count() == 0  # no job nobody was told about, none unaudited
    assert await queue.zcard(queue.default_queue_name) == 0

    again = await client.post(
        "/api/v1/export/full-record",
        json={"patient_id": str(patient), "format": "json"},
        headers=auth,
    )
    assert again.status_code == 202, again.text
    assert await ExportJob.count() == 1


async def test_an_export_cut_off_at_completion_is_recovered_and_completes_once(
    app: Litestar,
    client: httpx.AsyncClient,
    redis: Redis,
    queue: ArqRedis,
    patient: UUID,
    auth: dict[str, str],
) -> None:
    response = await client.post(
        "/api/v1/export/full-record",
        json={"patient_id": str(patient), "format": "json"},
        headers=auth,
    )
    job_id = UUID(response.json()["id"])
    async with audit_table_locked() as locker:
        worker = burst_worker(queue, context_of(app, redis))
        working = asyncio.create_task(worker.main())
        await cut_off_when_waiting(locker)
    await asyncio.wait_for(working, 30)
    assert worker.jobs_failed == 1

    interrupted = await job_row(job_id)
    assert interrupted["status"] == ExportStatus.processing  # the completion rolled back
    assert interrupted["file_path"] is None
    assert await completion_rows(job_id) == 0

    # The sweeper finds the job with nothing queued behind it, once it is old enough.
    await ExportJob.update(
        {ExportJob.created_at: datetime.now(UTC) - LOST_AFTER - timedelta(seconds=1)}
    ).where(ExportJob.id == job_id)
    assert await sweep_lost_exports(queue, EventPublisher(redis)) == 1
    await burst_worker(queue, context_of(app, redis)).main()

    done = await job_row(job_id)
    assert done["status"] == ExportStatus.completed
    assert await completion_rows(job_id) == 1
    assert len(files_of(job_id)) == 1

from datetime import UTC, datetime, timedelta

from arq.connections import ArqRedis

from core.access import load_actor
from core.audit import SYSTEM_ORIGIN
from core.enums import ExportStatus, ExportType, Role
from core.events import EventPublisher
from core.exports import maintenance
from core.exports.jobs import ExportJobView
from core.exports.requests import ExportRequest
from core.exports.service import ExportService
from core.infra.queue import RUN_EXPORT, job_id
from core.infra.runtime import Runtime
from core.infra.storage import EncryptedStorage
from core.tables import ExportAuditLog, ExportJob
from tests.factories import make_patient_of, make_user


async def _pending_job(runtime: Runtime) -> ExportJobView:
    therapist = await make_user(Role.therapist)
    patient = await make_patient_of(therapist)
    actor = await load_actor(therapist)
    assert actor is not None
    request = ExportRequest(export_type=ExportType.full_record, patient_id=patient)
    return await ExportService(runtime).request(actor, request, origin=SYSTEM_ORIGIN)


async def _age(job_id_: object, minutes: int) -> None:
    await ExportJob.update(
        {ExportJob.created_at: datetime.now(UTC) - timedelta(minutes=minutes)}
    ).where(ExportJob.id == job_id_)


async def test_sweeper_leaves_queued_jobs_alone(
    db: None, runtime: Runtime, queue: ArqRedis, events: EventPublisher
) -> None:
    job = await _pending_job(runtime)
    await _age(job.id, 10)
    assert await maintenance.sweep_lost_exports(queue, events) == 0


async def test_sweeper_recovers_a_job_redis_lost(
    db: None, runtime: Runtime, queue: ArqRedis, events: EventPublisher
) -> None:
    job = await _pending_job(runtime)
    await _age(job.id, 10)
    await queue.flushdb()  # Redis restarted without persistence
    assert await maintenance.sweep_lost_exports(queue, events) == 1
    assert await queue.exists(f"arq:job:{job_id(RUN_EXPORT, job.id, 1)}")
    assert await maintenance.sweep_lost_exports(queue, events) == 0  # now queued again
    row = await ExportJob.select(ExportJob.sweep_count).where(ExportJob.id == job.id).first()
    assert row["sweep_count"] == 1


async def test_sweeper_gives_up_after_max_sweeps(
    db: None, runtime: Runtime, queue: ArqRedis, events: EventPublisher
) -> None:
    job = await _pending_job(runtime)
    await _age(job.id, 10)
    await ExportJob.update({ExportJob.sweep_count: maintenance.MAX_SWEEPS}).where(
        ExportJob.id == job.id
    )
    await queue.flushdb()
    await maintenance.sweep_lost_exports(queue, events)
    row = await ExportJob.select().where(ExportJob.id == job.id).first()
    assert row["status"] == ExportStatus.failed
    assert row["error_message"] == maintenance.GAVE_UP


async def test_expiry_deletes_the_file_and_audits(
    db: None, redis: object, events: EventPublisher, storage: EncryptedStorage
) -> None:
    therapist = await make_user(Role.therapist)
    patient = await make_patient_of(therapist)
    stored = storage.write_bytes("exports", b"document")
    now = datetime.now(UTC)
    old = ExportJob(
        user_id=therapist,
        patient_id=patient,
        export_type="full_record",
        format="pdf",
        status=ExportStatus.completed,
        file_path=stored.path,
        completed_at=now - timedelta(days=8),
        expires_at=now - timedelta(days=1),
    )
    fresh_file = storage.write_bytes("exports", b"fresh")
    fresh = ExportJob(
        user_id=therapist,
        patient_id=patient,
        export_type="full_record",
        format="pdf",
        status=ExportStatus.completed,
        file_path=fresh_file.path,
        completed_at=now,
        expires_at=now + timedelta(days=7),
    )
    await old.save()
    await fresh.save()
    assert await maintenance.expire_exports(storage, events) == 1
    assert not storage.exists(stored.path) and storage.exists(fresh_file.path)
    rows = {r["id"]: r for r in await ExportJob.select()}
    assert rows[old.id]["status"] == ExportStatus.expired and rows[old.id]["file_path"] is None
    assert rows[fresh.id]["status"] == ExportStatus.completed
    deleted = await ExportAuditLog.select().where(ExportAuditLog.action == "deleted")
    assert [(r["export_job_id"], r["action_metadata"]) for r in deleted] == [
        (old.id, '{"reason": "expired"}')
    ]
    assert await maintenance.expire_exports(storage, events) == 0

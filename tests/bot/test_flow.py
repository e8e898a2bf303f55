"""The whole way: `/tb export …` → job row → completed export → the file in the channel.

The export is completed the way `core.exports.runner.run_export` completes one (encrypted file,
size, hash, expiry); the Slack side then runs in a real arq worker, as in production.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
from arq import func
from arq.connections import ArqRedis
from arq.worker import Worker
from redis.asyncio import Redis

from core.enums import AuditAction, ExportStatus, SessionStatus
from core.events import EventPublisher
from core.queue import NOTIFY_EXPORT_FINISHED, deserialize_job, serialize_job
from core.settings import Settings
from core.storage import EncryptedStorage, storage_from_settings
from core.tables import ExportAuditLog, ExportJob, User
from jobs.context import JobContext
from jobs.slack import notify_export_finished, queue_export_notice
from tests.bot.conftest import TEAM_CHANNEL, command_body, post_signed
from tests.factories import make_session
from tests.fakes.slack_server import RESPONSE_URL, UPLOAD, FakeSlack

RENDERED = b"%PDF-1.7\n% the full record of @river\n%%EOF\n"


async def complete_like_the_runner(job_id: UUID, storage: EncryptedStorage) -> None:
    stored = storage.write_bytes("exports", RENDERED, name=str(job_id))
    completed_at = datetime.now(UTC)
    await ExportJob.update(
        {
            ExportJob.status: ExportStatus.completed,
            ExportJob.file_path: stored.path,
            ExportJob.file_size_bytes: stored.size,
            ExportJob.file_sha256: stored.sha256,
            ExportJob.completed_at: completed_at,
            ExportJob.expires_at: completed_at + timedelta(days=7),
        }
    ).where(ExportJob.id == job_id)


async def test_a_slash_command_ends_with_the_document_in_the_channel(
    http: httpx.AsyncClient,
    fake_slack: FakeSlack,
    therapist: UUID,
    slack_settings: Settings,
    redis: Redis,
    queue: ArqRedis,
) -> None:
    river = await User.select(User.id).where(User.handle == "river").first()
    await make_session(therapist, river["id"], SessionStatus.processed)
    body = command_body(
        "export full-record @river", fake_slack.response_url(), channel_id=TEAM_CHANNEL
    )
    assert (await post_signed(http, body)).status_code == 200
    await fake_slack.wait_for(RESPONSE_URL)
    job = await ExportJob.select(ExportJob.id, ExportJob.status).first()
    assert job["status"] == ExportStatus.pending

    settings = slack_settings.model_copy(update={"slack_files_in_channels": True})
    context = JobContext(settings, redis, EventPublisher(redis), storage_from_settings())
    await complete_like_the_runner(job["id"], context.storage)
    # What the export task does once it has finished a job.
    await queue_export_notice({"app": context, "redis": queue}, job["id"])
    worker = Worker(
        functions=[func(notify_export_finished, name=NOTIFY_EXPORT_FINISHED)],
        redis_pool=queue,
        queue_name=queue.default_queue_name,
        burst=True,
        poll_delay=0,
        ctx={"app": context},
        job_serializer=serialize_job,
        job_deserializer=deserialize_job,
    )
    await worker.main()
    assert worker.jobs_complete == 1

    [completed] = fake_slack.calls_to("files.completeUploadExternal")
    assert completed.params["channel_id"] == TEAM_CHANNEL
    [upload] = fake_slack.calls_to(UPLOAD)
    assert upload.body == RENDERED
    shared = (
        await ExportAuditLog.select(ExportAuditLog.action_metadata)
        .where(
            (ExportAuditLog.action == AuditAction.shared)
            & (ExportAuditLog.export_job_id == job["id"])
        )
        .output(load_json=True)
    )
    assert [row["action_metadata"]["channel"] for row in shared] == [TEAM_CHANNEL]
    first_reply, update = fake_slack.calls_to(RESPONSE_URL)
    assert "pending" in first_reply.text
    assert "completed" in update.text and update.params["replace_original"] is True

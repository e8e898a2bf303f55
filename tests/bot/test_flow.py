"""The whole way: `/tb export …` → job row → completed export → the file in the channel.

The export is completed the way `core.exports.runner.run_export` completes one (encrypted file,
size, hash, expiry); the Slack side then runs in a real arq worker, as in production.
"""

from __future__ import annotations

from uuid import UUID

import httpx
from arq.connections import ArqRedis
from redis.asyncio import Redis

from core.enums import AuditAction, ExportStatus, SessionStatus
from core.settings import Settings
from core.tables import ExportAuditLog, ExportJob, User
from tests.bot.conftest import TEAM_CHANNEL, command_body, post_signed
from tests.factories import make_session
from tests.fakes.slack_server import RESPONSE_URL, UPLOAD, FakeSlack
from tests.support import burst_worker, make_runtime


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
    context = make_runtime(settings, redis, queue)
    worker = burst_worker(queue, context)  # the real export task, then the real notice task
    await worker.main()
    assert (worker.jobs_complete, worker.jobs_failed) == (2, 0)
    rendered = context.storage.read_bytes(
        (await ExportJob.select(ExportJob.file_path).first())["file_path"]
    )
    assert rendered.startswith(b"%PDF")

    [completed] = fake_slack.calls_to("files.completeUploadExternal")
    assert completed.params["channel_id"] == TEAM_CHANNEL
    [upload] = fake_slack.calls_to(UPLOAD)
    assert upload.body == rendered
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

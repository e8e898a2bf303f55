"""Slack notices: DMs for processed sessions and risk, documents delivered, each audited once."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from redis.asyncio import Redis

from bot.client import slack_client
from bot.notifier import SlackNotifier
from bot.replies import RESPONSE_URL_POSTS, Requester, reply
from core.enums import AuditAction, ExportStatus, ExportType, SessionStatus
from core.extracted_notes import RiskFlag, RiskType, Severity
from core.infra.storage import EncryptedStorage
from core.settings import Settings
from core.tables import ExportAuditLog, ExportJob, User
from tests.bot.conftest import DM_CHANNEL, SLACK_USER, TEAM_CHANNEL
from tests.factories import make_session
from tests.fakes.slack_server import RESPONSE_URL, UPLOAD, FakeSlack

DOCUMENT = b"%PDF-1.7 a progress report, encrypted at rest"
RISK = RiskFlag(
    type=RiskType.suicidal_ideation_passive,
    severity=Severity.high,
    evidence="sometimes I wish I could just disappear",
)


@pytest.fixture
async def make_notifier(
    slack_settings: Settings, redis: Redis, storage: EncryptedStorage
) -> AsyncIterator[Any]:
    def make(**overrides: Any) -> SlackNotifier:
        settings = slack_settings.model_copy(update=overrides)
        return SlackNotifier(slack_client(settings), settings, redis, storage)

    yield make


async def river_id() -> UUID:
    row = await User.select(User.id).where(User.handle == "river").first()
    return row["id"]


async def shared_rows() -> list[dict[str, Any]]:
    return (
        await ExportAuditLog.select()
        .where(ExportAuditLog.action == AuditAction.shared)
        .order_by(ExportAuditLog.seq)
        .output(load_json=True)
    )


async def test_a_processed_session_is_a_dm_with_a_link(
    make_notifier: Any, fake_slack: FakeSlack, therapist: UUID
) -> None:
    session = await make_session(therapist, await river_id(), SessionStatus.processed)
    notifier = make_notifier()
    await notifier.session_processed(session)
    [opened] = fake_slack.calls_to("conversations.open")
    assert opened.params["users"] == SLACK_USER
    [message] = fake_slack.calls_to("chat.postMessage")
    assert message.params["channel"] == DM_CHANNEL
    assert "A session with @river is processed" in message.params["text"]
    assert f"https://tb.example.org/sessions/{session}" in message.text
    [row] = await shared_rows()
    assert (row["resource_type"], row["resource_id"]) == ("session", str(session))
    assert row["action_metadata"]["channel"] == DM_CHANNEL

    await notifier.session_processed(session)  # the task ran twice: nothing sent twice
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert len(await shared_rows()) == 1


async def test_a_risk_flag_is_an_urgent_dm_first_without_the_patients_words(
    make_notifier: Any, fake_slack: FakeSlack, therapist: UUID
) -> None:
    session = await make_session(
        therapist,
        await river_id(),
        SessionStatus.processed,
        risk_flags=[RISK.model_dump(mode="json")],
    )
    await make_notifier().session_processed(session)
    alert, notice = fake_slack.calls_to("chat.postMessage")
    assert alert.params["text"].startswith("Urgent: risk flagged in a session with @river")
    assert "Suicidal ideation passive" in alert.text and "severity *high*" in alert.text
    assert "disappear" not in alert.text
    assert "is processed" in notice.params["text"]
    assert [row["action_metadata"]["notice"] for row in await shared_rows()] == [
        "risk_alert",
        "session_processed",
    ]


@pytest.mark.parametrize(
    ("level", "present", "absent"),
    [
        ("full", ["River Song (@river)", "disappear"], []),
        ("none", ["one of your patients"], ["river", "disappear"]),
    ],
)
async def test_the_phi_level_decides_what_the_alert_carries(
    make_notifier: Any,
    fake_slack: FakeSlack,
    therapist: UUID,
    level: str,
    present: list[str],
    absent: list[str],
) -> None:
    session = await make_session(
        therapist,
        await river_id(),
        SessionStatus.processed,
        risk_flags=[RISK.model_dump(mode="json")],
    )
    await make_notifier(slack_phi_level=level).session_processed(session)
    alert = fake_slack.calls_to("chat.postMessage")[0].text
    assert all(text in alert for text in present)
    assert not any(text in alert.lower() for text in absent)


async def test_no_dm_for_an_unlinked_therapist_or_an_unfinished_session(
    make_notifier: Any, fake_slack: FakeSlack, therapist: UUID
) -> None:
    patient = await river_id()
    unfinished = await make_session(therapist, patient, SessionStatus.transcribing)
    await make_notifier().session_processed(unfinished)
    await User.update({User.slack_user_id: None}).where(User.id == therapist)
    processed = await make_session(therapist, patient, SessionStatus.processed)
    await make_notifier().session_processed(processed)
    assert fake_slack.calls == []


async def test_a_rate_limited_post_is_retried_after_retry_after(
    make_notifier: Any, fake_slack: FakeSlack, therapist: UUID
) -> None:
    fake_slack.rate_limit("chat.postMessage", times=1, retry_after=0)
    session = await make_session(therapist, await river_id(), SessionStatus.processed)
    await make_notifier().session_processed(session)
    first, second = fake_slack.calls_to("chat.postMessage")
    assert first.params == second.params
    assert len(await shared_rows()) == 1


async def completed_job(
    therapist: UUID, storage: EncryptedStorage, requester: Requester, **fields: Any
) -> UUID:
    """An export the runner completed: its file written encrypted, as the runner does."""
    job = ExportJob(
        user_id=therapist,
        patient_id=await river_id(),
        export_type=ExportType.progress_report,
        format="pdf",
        status=ExportStatus.completed,
        delivery=requester.delivery().stored(),
        completed_at=datetime.now(UTC),
        **fields,
    )
    await job.save()
    stored = storage.write_bytes("exports", DOCUMENT, name=str(job.id))
    await ExportJob.update(
        {ExportJob.file_path: stored.path, ExportJob.file_size_bytes: stored.size}
    ).where(ExportJob.id == job.id)
    return job.id


def requester(slack: FakeSlack, channel: str = DM_CHANNEL) -> Requester:
    return Requester(SLACK_USER, channel, FakeSlack.TEAM_ID, slack.response_url())


async def test_a_document_asked_for_in_a_dm_is_uploaded_there(
    make_notifier: Any, fake_slack: FakeSlack, therapist: UUID, storage: EncryptedStorage
) -> None:
    job = await completed_job(therapist, storage, requester(fake_slack))
    notifier = make_notifier()
    await notifier.export_finished(job)
    [asked] = fake_slack.calls_to("files.getUploadURLExternal")
    assert asked.params["filename"].startswith("progress-report-")
    assert asked.params["filename"].endswith(".pdf")
    [upload] = fake_slack.calls_to(UPLOAD)
    assert upload.body == DOCUMENT
    [completed] = fake_slack.calls_to("files.completeUploadExternal")
    assert completed.params["channel_id"] == DM_CHANNEL
    assert completed.params["initial_comment"] == "Progress report for @river"
    [row] = await shared_rows()
    assert row["export_job_id"] == job
    assert row["action_metadata"] == {"channel": DM_CHANNEL, "via": "slack", "notice": "document"}
    [update] = fake_slack.calls_to(RESPONSE_URL)
    assert update.params["replace_original"] is True
    assert "The document is posted here" in update.text

    await notifier.export_finished(job)
    assert len(fake_slack.calls_to("files.completeUploadExternal")) == 1


async def test_a_channel_gets_a_link_unless_files_are_allowed_there(
    make_notifier: Any, fake_slack: FakeSlack, therapist: UUID, storage: EncryptedStorage
) -> None:
    from_channel = requester(fake_slack, TEAM_CHANNEL)
    linked = await completed_job(therapist, storage, from_channel)
    await make_notifier().export_finished(linked)
    assert fake_slack.calls_to(UPLOAD) == []
    [ephemeral] = fake_slack.calls_to("chat.postEphemeral")
    assert (ephemeral.params["channel"], ephemeral.params["user"]) == (TEAM_CHANNEL, SLACK_USER)
    assert f"https://tb.example.org/exports/{linked}" in ephemeral.text

    uploaded = await completed_job(therapist, storage, from_channel)
    await make_notifier(slack_files_in_channels=True).export_finished(uploaded)
    [completed] = fake_slack.calls_to("files.completeUploadExternal")
    assert completed.params["channel_id"] == TEAM_CHANNEL
    notices = [(r["export_job_id"], r["action_metadata"]["notice"]) for r in await shared_rows()]
    assert notices == [(linked, "document_link"), (uploaded, "document")]


async def test_a_channel_the_app_is_not_in_falls_back_to_the_dm(
    make_notifier: Any, fake_slack: FakeSlack, therapist: UUID, storage: EncryptedStorage
) -> None:
    fake_slack.refuse_channel(TEAM_CHANNEL, "not_in_channel")
    job = await completed_job(therapist, storage, requester(fake_slack, TEAM_CHANNEL))
    await make_notifier(slack_files_in_channels=True).export_finished(job)
    channels = [c.params["channel_id"] for c in fake_slack.calls_to("files.completeUploadExternal")]
    assert channels == [TEAM_CHANNEL, DM_CHANNEL]
    [row] = await shared_rows()
    assert row["action_metadata"]["channel"] == DM_CHANNEL
    assert "in your DM with TherapyBridge" in fake_slack.calls_to(RESPONSE_URL)[0].text


async def test_no_documents_at_phi_level_none(
    make_notifier: Any, fake_slack: FakeSlack, therapist: UUID, storage: EncryptedStorage
) -> None:
    job = await completed_job(therapist, storage, requester(fake_slack))
    await make_notifier(slack_phi_level="none").export_finished(job)
    assert fake_slack.calls_to(UPLOAD) == []
    [message] = fake_slack.calls_to("chat.postMessage")
    assert "river" not in message.text.lower()


async def test_a_failed_export_is_reported_with_its_reason(
    make_notifier: Any, fake_slack: FakeSlack, therapist: UUID, storage: EncryptedStorage
) -> None:
    job = ExportJob(
        user_id=therapist,
        patient_id=await river_id(),
        export_type=ExportType.full_record,
        format="pdf",
        status=ExportStatus.failed,
        error_message="no processed sessions in the period",
        delivery=requester(fake_slack).delivery().stored(),
    )
    await job.save()
    await make_notifier().export_finished(job.id)
    [update] = fake_slack.calls_to(RESPONSE_URL)
    assert "failed" in update.text and "no processed sessions in the period" in update.text
    assert await shared_rows() == []


async def test_a_spent_response_url_falls_back_to_a_dm(
    make_notifier: Any,
    fake_slack: FakeSlack,
    therapist: UUID,
    storage: EncryptedStorage,
    redis: Redis,
) -> None:
    asked = requester(fake_slack)
    job = await completed_job(therapist, storage, asked)
    for _ in range(RESPONSE_URL_POSTS):
        assert await reply(redis, asked, {"text": "progress"}, replace=True)
    await make_notifier().export_finished(job)
    assert len(fake_slack.calls_to(RESPONSE_URL)) == RESPONSE_URL_POSTS
    [message] = fake_slack.calls_to("chat.postMessage")
    assert message.params["channel"] == DM_CHANNEL
    assert "Progress report (pdf) for @river — completed" in json.dumps(
        message.params, ensure_ascii=False
    )

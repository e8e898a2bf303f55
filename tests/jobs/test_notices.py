"""The Slack notice tasks as the worker runs them: registered, queued by id, idempotent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import UUID

import pytest
from arq.connections import ArqRedis
from redis.asyncio import Redis

from core.enums import SessionStatus
from core.infra.queue import NOTIFY_SESSION_PROCESSED, job_id
from core.settings import Settings
from core.tables import User
from jobs.notices import queue_session_notice
from jobs.worker import task_context
from tests.bot.conftest import DM_CHANNEL, make_linked_therapist, settings_for
from tests.factories import make_session
from tests.fakes.slack_server import FakeSlack
from tests.support import burst_worker, make_runtime


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        yield server


@pytest.fixture
async def therapist(db: None) -> UUID:
    return await make_linked_therapist()


async def test_a_processed_session_reaches_the_therapists_dm_through_the_worker(
    fake_slack: FakeSlack, therapist: UUID, settings: Settings, redis: Redis, queue: ArqRedis
) -> None:
    slack_settings = settings_for(settings, fake_slack)
    river = await User.select(User.id).where(User.handle == "river").first()
    session = await make_session(therapist, river["id"], SessionStatus.processed)
    context = make_runtime(slack_settings, redis, queue)
    ctx = task_context(context)
    await queue_session_notice(ctx, session)
    await queue_session_notice(ctx, session)  # a second call while queued is the same job
    assert await queue.exists(f"arq:job:{job_id(NOTIFY_SESSION_PROCESSED, session)}")
    worker = burst_worker(queue, context)
    await worker.main()
    assert worker.jobs_complete == 1
    [message] = fake_slack.calls_to("chat.postMessage")
    assert message.params["channel"] == DM_CHANNEL
    assert "@river" in message.params["text"]


async def test_without_slack_nothing_is_queued(
    therapist: UUID, settings: Settings, redis: Redis, queue: ArqRedis
) -> None:
    river = await User.select(User.id).where(User.handle == "river").first()
    session = await make_session(therapist, river["id"], SessionStatus.processed)
    await queue_session_notice(task_context(make_runtime(settings, redis, queue)), session)
    assert await queue.zcard(queue.default_queue_name) == 0

import asyncio
import json
import uuid

import pytest
from redis.asyncio import Redis

from core.events import ALL_EVENTS_CHANNEL, EventPublisher, user_channel
from core.infra.queue import create_queue, deserialize_job, enqueue, job_id
from core.settings import Settings


async def test_enqueue_is_deterministic_and_json(redis: Redis, settings: Settings) -> None:
    queue = await create_queue(settings.redis_url or "", "tb:test-queue")
    entity = uuid.uuid4()
    try:
        assert await enqueue(queue, "process_session", entity) is True
        assert await enqueue(queue, "process_session", entity) is False  # same job id
        raw = await queue.get(f"arq:job:{job_id('process_session', entity)}")
        job = deserialize_job(raw)  # JSON, not pickle
        assert job["f"] == "process_session" and job["a"] == [str(entity)]
    finally:
        await queue.aclose()


async def test_enqueue_refuses_anything_but_ids(redis: Redis, settings: Settings) -> None:
    queue = await create_queue(settings.redis_url or "", "tb:test-queue")
    try:
        with pytest.raises(ValueError):
            await enqueue(queue, "process_session", "Jane Doe, suicidal ideation")
    finally:
        await queue.aclose()


async def test_events_reach_the_user_channel_and_the_firehose(redis: Redis) -> None:
    user_id = uuid.uuid4()
    pubsub = redis.pubsub()
    await pubsub.subscribe(user_channel(user_id), ALL_EVENTS_CHANNEL)
    for _ in range(2):
        await pubsub.get_message(timeout=1)  # subscribe confirmations
    await EventPublisher(redis).publish("session.status", user_id=user_id, status="transcribing")
    received = []
    for _ in range(2):
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=2)
        assert message is not None
        received.append((message["channel"].decode(), json.loads(message["data"])))
    await pubsub.aclose()
    assert {channel for channel, _ in received} == {user_channel(user_id), ALL_EVENTS_CHANNEL}
    assert received[0][1]["type"] == "session.status"
    assert received[0][1]["data"] == {"status": "transcribing"}
    await asyncio.sleep(0)

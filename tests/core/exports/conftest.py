from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from arq.connections import ArqRedis

from core.events import EventPublisher
from core.queue import create_queue
from core.settings import Settings
from core.storage import EncryptedStorage


@pytest.fixture
async def queue(redis: object, settings: Settings) -> AsyncIterator[ArqRedis]:
    pool = await create_queue(settings.redis_url or "", "tb:test-queue")
    yield pool
    await pool.aclose()


@pytest.fixture
def events(redis: object) -> EventPublisher:
    return EventPublisher(redis)  # type: ignore[arg-type]


@pytest.fixture
def storage(tmp_path: Path) -> EncryptedStorage:
    return EncryptedStorage(tmp_path, b"k" * 32)

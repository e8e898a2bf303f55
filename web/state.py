"""Process-wide resources of the web app, opened in the lifespan and shared by handlers."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from arq.connections import ArqRedis
from litestar import Litestar
from redis.asyncio import Redis

from core.db import start_pool
from core.events import EventPublisher
from core.queue import create_queue
from core.redis import connect_redis
from core.settings import Settings
from core.storage import EncryptedStorage, storage_from_settings
from core.tables import User
from web.page_cache import PageCache


@dataclass
class Resources:
    settings: Settings
    redis: Redis
    queue: ArqRedis
    events: EventPublisher
    storage: EncryptedStorage
    pages: PageCache


@contextlib.asynccontextmanager
async def open_resources(app: Litestar) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    engine = User._meta.db
    owns_pool = engine.pool is None  # tests share one pool across app instances
    if owns_pool:
        await start_pool(engine, min_size=2, max_size=20)
    redis = connect_redis(settings.redis_url or "")
    queue = await create_queue(settings.redis_url or "", settings.redis_queue_name)
    events = EventPublisher(redis)
    app.state.resources = Resources(
        settings, redis, queue, events, storage_from_settings(), PageCache(events)
    )
    try:
        yield
    finally:
        await queue.aclose()
        await redis.aclose()
        if owns_pool:
            await engine.close_connection_pool()

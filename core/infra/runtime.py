"""The runtime: every shared resource of a process, opened and closed in one place.

The web app's lifespan, the worker's start-up and Socket Mode each open one `Runtime` with
`open_runtime(settings)` and hand it (or services built from it) to their handlers; nothing
below them reads settings or opens connections of its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from arq.connections import ArqRedis
from piccolo.engine.postgres import PostgresEngine
from redis.asyncio import Redis

from core.documents.pool import RenderPool
from core.documents.service import close_default_render_pool, default_render_pool
from core.events import EventPublisher
from core.infra.db import start_pool
from core.infra.queue import create_queue
from core.infra.redis import connect_redis
from core.infra.storage import EncryptedStorage, storage_from_settings
from core.settings import Settings
from core.tables import User


@dataclass(frozen=True)
class PoolSize:
    min_size: int
    max_size: int


WEB_POOL = PoolSize(min_size=2, max_size=20)
WORKER_POOL = PoolSize(min_size=1, max_size=5)


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    redis: Redis
    queue: ArqRedis
    events: EventPublisher
    storage: EncryptedStorage
    render_pool: RenderPool  # worker processes start on the first PDF


@contextlib.asynccontextmanager
async def open_runtime(settings: Settings, pool: PoolSize = WEB_POOL) -> AsyncIterator[Runtime]:
    """Open the database pool, Redis, the queue and storage; on exit close them. The process-wide
    pools (database, document rendering) are opened and closed by the first runtime only: tests
    open many runtimes, one per app, on one shared database pool."""
    engine = User._meta.db
    assert isinstance(engine, PostgresEngine)
    owns_pools = engine.pool is None
    if owns_pools:
        await start_pool(engine, min_size=pool.min_size, max_size=pool.max_size)
    redis = connect_redis(settings.redis_url or "")
    try:
        queue = await create_queue(settings.redis_url or "", settings.redis_queue_name)
        try:
            yield Runtime(
                settings=settings,
                redis=redis,
                queue=queue,
                events=EventPublisher(redis),
                storage=storage_from_settings(settings),
                render_pool=default_render_pool(),
            )
        finally:
            await queue.aclose()
    finally:
        await redis.aclose()
        if owns_pools:
            await close_default_render_pool()
            await engine.close_connection_pool()


async def ping_database() -> None:
    """One round trip on the process's pool (the health check)."""
    await User.raw("SELECT 1").run()

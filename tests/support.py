"""Helpers for tests that run real workers and processes."""

from __future__ import annotations

import socket

from arq.connections import ArqRedis
from arq.worker import Worker
from redis.asyncio import Redis

from core.documents.service import default_render_pool
from core.events import EventPublisher
from core.infra.runtime import Runtime
from core.infra.storage import EncryptedStorage, storage_from_settings
from core.settings import Settings
from jobs.worker import WorkerSettings, task_context


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def burst_worker(queue: ArqRedis, runtime: Runtime, **options: object) -> Worker:
    """The real task registry on the test's own loop: runs what is queued, then stops."""
    return Worker(
        functions=WorkerSettings.functions,
        redis_pool=queue,
        queue_name=queue.default_queue_name,
        burst=True,
        poll_delay=0,
        ctx=task_context(runtime),
        job_serializer=WorkerSettings.job_serializer,
        job_deserializer=WorkerSettings.job_deserializer,
        **options,  # type: ignore[arg-type]
    )


def make_runtime(
    settings: Settings, redis: Redis, queue: ArqRedis, storage: EncryptedStorage | None = None
) -> Runtime:
    """A runtime on the test's own connections (what `open_runtime` would open)."""
    return Runtime(
        settings=settings,
        redis=redis,
        queue=queue,
        events=EventPublisher(redis),
        storage=storage or storage_from_settings(settings),
        render_pool=default_render_pool(),
    )

"""Helpers for tests that run real workers and processes."""

from __future__ import annotations

import socket

from arq.connections import ArqRedis
from arq.worker import Worker

from jobs.context import JobContext
from jobs.worker import WorkerSettings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def burst_worker(queue: ArqRedis, context: JobContext, **options: object) -> Worker:
    """The real task registry on the test's own loop: runs what is queued, then stops."""
    return Worker(
        functions=WorkerSettings.functions,
        redis_pool=queue,
        queue_name=queue.default_queue_name,
        burst=True,
        poll_delay=0,
        ctx={"app": context},
        job_serializer=WorkerSettings.job_serializer,
        job_deserializer=WorkerSettings.job_deserializer,
        **options,  # type: ignore[arg-type]
    )

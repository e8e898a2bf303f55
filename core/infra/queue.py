"""The one way to enqueue background work: ids only, deterministic job ids, JSON on the wire.

Job arguments are entity ids (UUIDs as strings), never PHI. The job id is derived from the task
and the id, so a double submit, a retry of the request or the sweeper re-enqueueing a job that
is still queued all collapse into one job. arq refuses a job id while the job or its kept
result exists: tasks that must be enqueued again after finishing (the sweeper's case) pass a
distinct `attempt`.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.constants import in_progress_key_prefix, job_key_prefix

# Task names: the contract between the services that enqueue and the worker that runs.
PROCESS_SESSION = "process_session"
REANALYSE_SESSION = "reanalyse_session"
RUN_EXPORT = "run_export"
NOTIFY_SESSION_PROCESSED = "notify_session_processed"
NOTIFY_EXPORT_FINISHED = "notify_export_finished"


def serialize_job(job: dict[str, Any]) -> bytes:
    return json.dumps(job, separators=(",", ":"), default=str).encode()


def deserialize_job(data: bytes) -> dict[str, Any]:
    job: dict[str, Any] = json.loads(data)
    return job


def job_id(task: str, entity_id: UUID | str, attempt: int = 0) -> str:
    base = f"{task}:{entity_id}"
    return base if attempt == 0 else f"{base}:{attempt}"


def attempt_of(job: str) -> int:
    """The `attempt` a job id was made with (0 for the first)."""
    parts = job.split(":")
    return int(parts[2]) if len(parts) > 2 else 0


async def create_queue(redis_url: str, queue_name: str) -> ArqRedis:
    return await create_pool(
        RedisSettings.from_dsn(redis_url),
        job_serializer=serialize_job,
        job_deserializer=deserialize_job,
        default_queue_name=queue_name,
    )


async def enqueue(
    queue: ArqRedis, task: str, entity_id: UUID | str, *, attempt: int = 0, defer_seconds: float = 0
) -> bool:
    """Enqueue `task(entity_id)`; False when that job is already queued or running."""
    entity = str(UUID(str(entity_id)))  # refuses anything that is not an id
    job = await queue.enqueue_job(
        task,
        entity,
        _job_id=job_id(task, entity, attempt),
        _defer_by=defer_seconds or None,
    )
    return job is not None


async def is_queued_or_running(
    queue: ArqRedis, task: str, entity_id: UUID | str, attempts: int
) -> bool:
    """Is any job id this entity has had (attempt 0 … `attempts`) queued or running?"""
    keys = []
    for attempt in range(attempts + 1):
        name = job_id(task, entity_id, attempt)
        keys += [job_key_prefix + name, in_progress_key_prefix + name]
    return bool(await queue.exists(*keys))

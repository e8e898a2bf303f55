"""The arq worker: task registry, cron, start-up, and the health check."""

from __future__ import annotations

import contextlib
from typing import Any

from arq import cron, func
from arq.connections import RedisSettings
from arq.worker import Worker
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.notifier import slack_notifier
from core.infra.queue import (
    NOTIFY_EXPORT_FINISHED,
    NOTIFY_SESSION_PROCESSED,
    PROCESS_SESSION,
    REANALYSE_SESSION,
    RUN_EXPORT,
    deserialize_job,
    serialize_job,
)
from core.infra.runtime import WORKER_POOL, Runtime, open_runtime
from core.settings import Settings, get_settings
from jobs.exports import run_export_job
from jobs.maintenance import expire_old_exports, run_scheduled_exports, sweep_lost_work
from jobs.notices import notify_export_finished, notify_session_processed
from jobs.retry import MAX_TRIES
from jobs.sessions import process_session, reanalyse

HEALTH_CHECK_SECONDS = 30
# Upper bounds; the pipeline sizes its own limit to the audio's length inside this one.
SESSION_TIMEOUT_SECONDS = 3 * 3600
EXPORT_TIMEOUT_SECONDS = 15 * 60
REANALYSIS_TIMEOUT_SECONDS = 10 * 60  # one extraction, local or remote
SLACK_NOTICE_TIMEOUT_SECONDS = 5 * 60  # rate-limit waits and an upload


def task_context(runtime: Runtime) -> dict[str, Any]:
    """What every task finds in arq's `ctx`: the runtime, and the notifier for finished work
    (Slack's, or None when Slack is not configured)."""
    return {"runtime": runtime, "notifier": slack_notifier(runtime)}


async def startup(ctx: dict[str, Any]) -> None:
    settings = ctx.get("settings") or get_settings()  # `arq jobs.worker.WorkerSettings` sets none
    stack = contextlib.AsyncExitStack()
    runtime = await stack.enter_async_context(open_runtime(settings, WORKER_POOL))
    ctx.update(task_context(runtime), exit_stack=stack)


async def shutdown(ctx: dict[str, Any]) -> None:
    stack: contextlib.AsyncExitStack | None = ctx.pop("exit_stack", None)
    if stack is not None:
        await stack.aclose()


class WorkerSettings:
    """arq's entry point (`arq jobs.worker.WorkerSettings`); `tb worker` runs the same options,
    with the queue and Redis taken from the settings at start."""

    functions = [
        func(process_session, name=PROCESS_SESSION, timeout=SESSION_TIMEOUT_SECONDS),
        func(reanalyse, name=REANALYSE_SESSION, timeout=REANALYSIS_TIMEOUT_SECONDS),
        func(run_export_job, name=RUN_EXPORT, timeout=EXPORT_TIMEOUT_SECONDS),
        func(
            notify_session_processed,
            name=NOTIFY_SESSION_PROCESSED,
            timeout=SLACK_NOTICE_TIMEOUT_SECONDS,
        ),
        func(
            notify_export_finished,
            name=NOTIFY_EXPORT_FINISHED,
            timeout=SLACK_NOTICE_TIMEOUT_SECONDS,
        ),
    ]
    cron_jobs = [
        cron(sweep_lost_work, second=30, unique=True, run_at_startup=True),
        cron(expire_old_exports, minute={0, 15, 30, 45}, second=0, unique=True),
        cron(run_scheduled_exports, minute=set(range(0, 60, 5)), second=10, unique=True),
    ]
    on_startup = startup
    on_shutdown = shutdown
    job_serializer = serialize_job
    job_deserializer = deserialize_job
    max_tries = MAX_TRIES
    health_check_interval = HEALTH_CHECK_SECONDS
    keep_result = 3600


def worker_options(settings: Settings) -> dict[str, Any]:
    options = {
        name: getattr(WorkerSettings, name)
        for name in vars(WorkerSettings)
        if not name.startswith("_")
    }
    redis_settings = RedisSettings.from_dsn(settings.redis_url or "")
    # Ride out a Redis restart instead of exiting: retry every command, backing off to 5 s.
    # OSError too: redis-py 5.2 only retries a refused connection when told to.
    redis_settings.retry_on_error = [RedisConnectionError, RedisTimeoutError]
    redis_settings.retry = Retry(
        ExponentialBackoff(cap=5, base=0.2),
        retries=-1,
        supported_errors=(RedisConnectionError, RedisTimeoutError, OSError),  # type: ignore[arg-type]
    )
    options.update(
        ctx={"settings": settings},
        redis_settings=redis_settings,
        queue_name=settings.redis_queue_name,
        health_check_key=f"{settings.redis_queue_name}:health-check",
    )
    return options


def run_worker(settings: Settings) -> None:
    Worker(**worker_options(settings)).run()

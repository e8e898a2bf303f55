"""Tasks: run one uploaded session through the pipeline; analyse a corrected one again."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from core.queue import attempt_of
from core.sessions.pipeline import TransientPipelineError, fail_session, run_pipeline
from core.sessions.reanalysis import TransientReanalysisError, give_up, reanalyse_session
from jobs.context import JobContext
from jobs.lease import job_lease
from jobs.retry import with_retries
from jobs.slack import queue_session_notice


async def process_session(ctx: dict[str, Any], session_id: str) -> None:
    app: JobContext = ctx["app"]

    async def work() -> None:
        async with job_lease(ctx):
            await run_pipeline(
                UUID(session_id), settings=app.settings, storage=app.storage, events=app.events
            )
        await queue_session_notice(ctx, session_id)

    async def fail(error: Exception) -> None:
        await fail_session(UUID(session_id), str(error), app.storage, app.events)
        await queue_session_notice(ctx, session_id)

    await with_retries(ctx, work, TransientPipelineError, fail)


async def reanalyse(ctx: dict[str, Any], session_id: str) -> None:
    app: JobContext = ctx["app"]

    async def work() -> None:
        async with job_lease(ctx):
            await reanalyse_session(UUID(session_id), settings=app.settings, events=app.events)

    async def stop(error: Exception) -> None:
        # The job's attempt is the transcript revision it was queued for.
        await give_up(UUID(session_id), attempt_of(ctx["job_id"]), str(error), app.events)

    await with_retries(ctx, work, TransientReanalysisError, stop)

"""Tasks: run one uploaded session through the pipeline; analyse a corrected one again."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from core.infra.queue import attempt_of
from core.infra.runtime import Runtime
from core.sessions.pipeline import TransientPipelineError, fail_session, run_pipeline
from core.sessions.reanalysis import TransientReanalysisError, give_up, reanalyse_session
from jobs.lease import job_lease
from jobs.notices import queue_session_notice
from jobs.retry import with_retries


async def process_session(ctx: dict[str, Any], session_id: str) -> None:
    runtime: Runtime = ctx["runtime"]

    async def work() -> None:
        async with job_lease(ctx):
            await run_pipeline(
                UUID(session_id),
                settings=runtime.settings,
                storage=runtime.storage,
                events=runtime.events,
            )
        await queue_session_notice(ctx, session_id)

    async def fail(error: Exception) -> None:
        await fail_session(UUID(session_id), str(error), runtime.storage, runtime.events)
        await queue_session_notice(ctx, session_id)

    await with_retries(ctx, work, TransientPipelineError, fail)


async def reanalyse(ctx: dict[str, Any], session_id: str) -> None:
    runtime: Runtime = ctx["runtime"]

    async def work() -> None:
        async with job_lease(ctx):
            await reanalyse_session(
                UUID(session_id), settings=runtime.settings, events=runtime.events
            )

    async def stop(error: Exception) -> None:
        # The job's attempt is the transcript revision it was queued for.
        await give_up(UUID(session_id), attempt_of(ctx["job_id"]), str(error), runtime.events)

    await with_retries(ctx, work, TransientReanalysisError, stop)

"""Task: render one export job."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from core.exports.jobs import fail_export
from core.exports.runner import TransientExportError, run_export
from core.infra.runtime import Runtime
from jobs.lease import job_lease
from jobs.notices import queue_export_notice
from jobs.retry import with_retries


async def run_export_job(ctx: dict[str, Any], job_id: str) -> None:
    runtime: Runtime = ctx["runtime"]

    async def work() -> None:
        async with job_lease(ctx):
            await run_export(UUID(job_id), runtime)
        await queue_export_notice(ctx, job_id)

    async def fail(error: Exception) -> None:
        await fail_export(UUID(job_id), str(error), runtime.events)
        await queue_export_notice(ctx, job_id)

    await with_retries(ctx, work, TransientExportError, fail)

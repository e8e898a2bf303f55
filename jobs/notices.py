"""Tasks: notices for finished sessions and exports, sent reliably.

Events on Redis pub/sub are fire-and-forget, so notices travel as arq jobs (ids only) queued by
the session and export tasks once their work ends. The notifier (`ctx["notifier"]`, Slack's
when it is configured, else None) skips what was already sent, so a task that runs twice sends
nothing twice.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from core.infra.queue import NOTIFY_EXPORT_FINISHED, NOTIFY_SESSION_PROCESSED, enqueue
from core.infra.runtime import Runtime
from core.notices import Notifier
from jobs.lease import job_lease


async def notify_session_processed(ctx: dict[str, Any], session_id: str) -> None:
    notifier: Notifier | None = ctx.get("notifier")
    if notifier is not None:
        async with job_lease(ctx):
            await notifier.session_processed(UUID(session_id))


async def notify_export_finished(ctx: dict[str, Any], job_id: str) -> None:
    notifier: Notifier | None = ctx.get("notifier")
    if notifier is not None:
        async with job_lease(ctx):
            await notifier.export_finished(UUID(job_id))


async def queue_session_notice(ctx: dict[str, Any], session_id: str | UUID) -> None:
    """Call when `process_session` has run the pipeline: the task checks whether the session
    ended processed and whether its therapist is to be told."""
    if ctx.get("notifier") is not None:
        runtime: Runtime = ctx["runtime"]
        await enqueue(runtime.queue, NOTIFY_SESSION_PROCESSED, session_id)


async def queue_export_notice(ctx: dict[str, Any], job_id: str | UUID) -> None:
    """Call when `run_export_job` has finished with a job (completed or failed): the task
    checks whether the export asked to be delivered somewhere."""
    if ctx.get("notifier") is not None:
        runtime: Runtime = ctx["runtime"]
        await enqueue(runtime.queue, NOTIFY_EXPORT_FINISHED, job_id)

"""Tasks: Slack notices for finished sessions and exports, sent reliably.

Events on Redis pub/sub are fire-and-forget, so Slack notices travel as arq jobs (ids only)
queued by the session and export tasks once their work ends. The notifier skips what was
already sent, so a task that runs twice sends nothing twice.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from bot.client import slack_client, slack_enabled
from bot.notifier import SlackNotifier
from core.infra.queue import NOTIFY_EXPORT_FINISHED, NOTIFY_SESSION_PROCESSED, enqueue
from core.infra.runtime import Runtime
from jobs.lease import job_lease


def _notifier(runtime: Runtime) -> SlackNotifier:
    return SlackNotifier(
        slack_client(runtime.settings), runtime.settings, runtime.redis, runtime.storage
    )


async def notify_session_processed(ctx: dict[str, Any], session_id: str) -> None:
    runtime: Runtime = ctx["runtime"]
    if slack_enabled(runtime.settings):
        async with job_lease(ctx):
            await _notifier(runtime).session_processed(UUID(session_id))


async def notify_export_finished(ctx: dict[str, Any], job_id: str) -> None:
    runtime: Runtime = ctx["runtime"]
    if slack_enabled(runtime.settings):
        async with job_lease(ctx):
            await _notifier(runtime).export_finished(UUID(job_id))


async def queue_session_notice(ctx: dict[str, Any], session_id: str | UUID) -> None:
    """Call when `process_session` has run the pipeline: the task checks whether the session
    ended processed and whether its therapist uses Slack."""
    runtime: Runtime = ctx["runtime"]
    if slack_enabled(runtime.settings):
        await enqueue(runtime.queue, NOTIFY_SESSION_PROCESSED, session_id)


async def queue_export_notice(ctx: dict[str, Any], job_id: str | UUID) -> None:
    """Call when `run_export_job` has finished with a job (completed or failed): the task
    checks whether the export was asked for from Slack."""
    runtime: Runtime = ctx["runtime"]
    if slack_enabled(runtime.settings):
        await enqueue(runtime.queue, NOTIFY_EXPORT_FINISHED, job_id)

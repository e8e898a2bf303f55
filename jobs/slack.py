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
from core.queue import NOTIFY_EXPORT_FINISHED, NOTIFY_SESSION_PROCESSED, enqueue
from jobs.context import JobContext
from jobs.lease import job_lease


def _notifier(app: JobContext) -> SlackNotifier:
    return SlackNotifier(slack_client(app.settings), app.settings, app.redis, app.storage)


async def notify_session_processed(ctx: dict[str, Any], session_id: str) -> None:
    app: JobContext = ctx["app"]
    if slack_enabled(app.settings):
        async with job_lease(ctx):
            await _notifier(app).session_processed(UUID(session_id))


async def notify_export_finished(ctx: dict[str, Any], job_id: str) -> None:
    app: JobContext = ctx["app"]
    if slack_enabled(app.settings):
        async with job_lease(ctx):
            await _notifier(app).export_finished(UUID(job_id))


async def queue_session_notice(ctx: dict[str, Any], session_id: str | UUID) -> None:
    """Call when `process_session` has run the pipeline: the task checks whether the session
    ended processed and whether its therapist uses Slack."""
    app: JobContext = ctx["app"]
    if slack_enabled(app.settings):
        await enqueue(ctx["redis"], NOTIFY_SESSION_PROCESSED, session_id)


async def queue_export_notice(ctx: dict[str, Any], job_id: str | UUID) -> None:
    """Call when `run_export_job` has finished with a job (completed or failed): the task
    checks whether the export was asked for from Slack."""
    app: JobContext = ctx["app"]
    if slack_enabled(app.settings):
        await enqueue(ctx["redis"], NOTIFY_EXPORT_FINISHED, job_id)

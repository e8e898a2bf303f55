"""Cron tasks: expiring exports, recovering work that Redis lost, scheduled exports."""

from __future__ import annotations

import logging
from typing import Any

from core.exports.maintenance import expire_exports, sweep_lost_exports
from core.exports.schedules import run_due_schedules
from core.sessions.recovery import sweep_lost_reanalyses, sweep_lost_sessions
from jobs.context import JobContext

logger = logging.getLogger(__name__)


async def expire_old_exports(ctx: dict[str, Any]) -> int:
    app: JobContext = ctx["app"]
    return await expire_exports(app.storage, app.events)


async def sweep_lost_work(ctx: dict[str, Any]) -> dict[str, int]:
    app: JobContext = ctx["app"]
    queue = ctx["redis"]  # the worker's own arq pool: same queue, same serializer
    revived = {
        "exports": await sweep_lost_exports(queue, app.events),
        "sessions": await sweep_lost_sessions(queue, app.storage, app.events),
        "analyses": await sweep_lost_reanalyses(queue, app.events),
    }
    if any(revived.values()):
        logger.warning("re-enqueued lost work: %s", revived)
    return revived


async def run_scheduled_exports(ctx: dict[str, Any]) -> int:
    app: JobContext = ctx["app"]
    return await run_due_schedules(queue=ctx["redis"], redis=app.redis, events=app.events)

"""Cron tasks: expiring exports, recovering work that Redis lost, scheduled exports."""

from __future__ import annotations

import logging
from typing import Any

from core.exports.maintenance import expire_exports, sweep_lost_exports
from core.exports.schedules import run_due_schedules
from core.exports.service import ExportService
from core.infra.runtime import Runtime
from core.sessions.recovery import sweep_lost_reanalyses, sweep_lost_sessions

logger = logging.getLogger(__name__)


async def expire_old_exports(ctx: dict[str, Any]) -> int:
    runtime: Runtime = ctx["runtime"]
    return await expire_exports(runtime.storage, runtime.events)


async def sweep_lost_work(ctx: dict[str, Any]) -> dict[str, int]:
    runtime: Runtime = ctx["runtime"]
    queue = runtime.queue
    revived = {
        "exports": await sweep_lost_exports(queue, runtime.events),
        "sessions": await sweep_lost_sessions(queue, runtime.storage, runtime.events),
        "analyses": await sweep_lost_reanalyses(queue, runtime.events),
    }
    if any(revived.values()):
        logger.warning("re-enqueued lost work: %s", revived)
    return revived


async def run_scheduled_exports(ctx: dict[str, Any]) -> int:
    runtime: Runtime = ctx["runtime"]
    return await run_due_schedules(ExportService(runtime))

"""Everything an attack could change, captured to compare before and after it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from arq.connections import ArqRedis

from core.tables import ALL_TABLES
from tests.faults.storage import stored_files


@dataclass(frozen=True)
class SystemState:
    rows: dict[str, int]  # per table
    files: frozenset[Path]  # under the storage root, half-written ones included
    queued: int  # jobs waiting in the queue


async def system_state(queue: ArqRedis) -> SystemState:
    return SystemState(
        rows={table._meta.tablename: await table.count() for table in ALL_TABLES},
        files=frozenset(stored_files()),
        queued=await queue.zcard(queue.default_queue_name),
    )

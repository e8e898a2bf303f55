"""The one event publisher: domain events on Redis pub/sub.

Events carry ids and states only, never PHI. Each goes to the owning user's channel (the
dashboard streams it to that user alone) and to the firehose channel that the Slack notifier
and tests listen on. Litestar's Redis pub/sub channels backend subscribes to these names as-is.

Each event also advances the user's data version, a counter in Redis that tells a reader
whether what it showed the user is still current (the dashboard's page cache compares it).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from redis.asyncio import Redis

ALL_EVENTS_CHANNEL = "tb:events"


class Event(StrEnum):
    """Every event the domain publishes; subscribers (web/live.py, tests) match on these."""

    session_status = "session.status"  # moved to a new pipeline stage (data: status, progress)
    session_progress = "session.progress"  # progress within a stage
    session_processed = "session.processed"
    session_risk_flagged = "session.risk_flagged"  # data: flags (type and severity only)
    session_reanalysing = "session.reanalysing"  # a corrected transcript is being analysed
    session_reanalysed = "session.reanalysed"
    export_status = "export.status"  # data: job_id, status
    export_completed = "export.completed"


def user_channel(user_id: UUID | str) -> str:
    return f"tb:user:{user_id}"


def data_version_key(user_id: UUID | str) -> str:
    return f"tb:version:{user_id}"


def encode_event(event_type: Event, user_id: UUID | str, data: dict[str, Any]) -> bytes:
    payload = {
        "type": event_type,
        "user_id": str(user_id),
        "at": datetime.now(UTC).isoformat(),
        "data": data,
    }
    return json.dumps(payload, default=str, separators=(",", ":")).encode()


class EventPublisher:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def publish(self, event_type: Event, *, user_id: UUID | str, **data: Any) -> None:
        message = encode_event(event_type, user_id, data)
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.incr(data_version_key(user_id))  # before the event: a reader it wakes sees it
            pipe.publish(user_channel(user_id), message)
            pipe.publish(ALL_EVENTS_CHANNEL, message)
            await pipe.execute()

    async def mark_changed(self, user_id: UUID | str) -> None:
        """Advance the user's data version without an event (a write they made themselves)."""
        await self._redis.incr(data_version_key(user_id))

    async def data_version(self, user_id: UUID | str) -> int:
        return int(await self._redis.get(data_version_key(user_id)) or 0)

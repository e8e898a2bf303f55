"""What the Slack listeners need besides Slack itself: settings and shared connections."""

from __future__ import annotations

from dataclasses import dataclass

from arq.connections import ArqRedis
from redis.asyncio import Redis

from core.events import EventPublisher
from core.settings import Settings


@dataclass(frozen=True)
class BotServices:
    settings: Settings
    redis: Redis
    queue: ArqRedis
    events: EventPublisher

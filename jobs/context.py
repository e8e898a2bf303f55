"""What every task receives: the worker's shared resources."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from core.events import EventPublisher
from core.settings import Settings
from core.storage import EncryptedStorage


@dataclass
class JobContext:
    settings: Settings
    redis: Redis
    events: EventPublisher
    storage: EncryptedStorage

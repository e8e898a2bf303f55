"""What seeding the demo clinic uses: the same resources a worker has."""

from __future__ import annotations

from dataclasses import dataclass

from arq.connections import ArqRedis
from redis.asyncio import Redis

from core.audit import RequestOrigin
from core.events import EventPublisher
from core.settings import Settings
from core.storage import EncryptedStorage

# Audit rows of what the demo's therapists "did" say it was the seeding that did it.
DEMO_ORIGIN = RequestOrigin(ip_address=None, user_agent="therapybridge-demo-seed")


@dataclass(frozen=True)
class DemoServices:
    settings: Settings
    storage: EncryptedStorage
    redis: Redis
    queue: ArqRedis
    events: EventPublisher

"""Is this HTTP request really from Slack, and the first time we see it?

Checked before Bolt sees the request, in place of Bolt's own verification middleware, which
logs the whole body of every refused request (a PHI leak) and would let a captured request be
replayed: Slack's signature stays valid for five minutes and nothing in it is single-use. So
the signature of each accepted request is remembered in Redis for as long as it could be
valid, and a second arrival is answered without being processed.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Mapping
from enum import Enum

from redis.asyncio import Redis
from slack_sdk.signature import SignatureVerifier

MAX_AGE_SECONDS = 5 * 60
# A timestamp may be up to MAX_AGE in the future too: remember it until it is stale either way.
REPLAY_MEMORY_SECONDS = 2 * MAX_AGE_SECONDS


class Verdict(Enum):
    accept = "accept"
    refuse = "refuse"  # forged, unsigned or stale
    replay = "replay"  # authentic, but already processed


class RequestGuard:
    def __init__(
        self, signing_secret: str, redis: Redis, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._verifier = SignatureVerifier(signing_secret)
        self._redis = redis
        self._clock = clock

    async def check(self, body: bytes, headers: Mapping[str, str]) -> Verdict:
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not self.authentic(body, timestamp, signature):
            return Verdict.refuse
        key = f"tb:slack:seen:{hashlib.sha256(f'{timestamp}:{signature}'.encode()).hexdigest()}"
        first = await self._redis.set(key, 1, nx=True, ex=REPLAY_MEMORY_SECONDS)
        return Verdict.accept if first else Verdict.replay

    def authentic(self, body: bytes, timestamp: str, signature: str) -> bool:
        try:
            sent_at = int(timestamp)
            expected = self._verifier.generate_signature(timestamp=timestamp, body=body)
        except (ValueError, UnicodeDecodeError):
            return False
        if abs(self._clock() - sent_at) > MAX_AGE_SECONDS or expected is None:
            return False
        return hmac.compare_digest(expected.encode(), signature.encode())

"""A short, renewed lease on arq's in-progress key.

arq marks a running job with an in-progress key that lives as long as the longest function
timeout (hours, for long recordings). If the worker dies, nobody may pick the job up until
that key expires. A running task therefore shortens the key to LEASE_SECONDS and renews it
while it works: a crashed worker's job becomes available again within a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from arq.constants import in_progress_key_prefix

LEASE_SECONDS = 45
RENEW_EVERY_SECONDS = 15


@contextlib.asynccontextmanager
async def job_lease(ctx: dict[str, Any]) -> AsyncIterator[None]:
    redis = ctx["redis"]
    key = in_progress_key_prefix + ctx["job_id"]

    async def renew() -> None:
        while True:
            await redis.expire(key, LEASE_SECONDS)
            await asyncio.sleep(RENEW_EVERY_SECONDS)

    renewer = asyncio.create_task(renew())
    try:
        yield
    finally:
        renewer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewer

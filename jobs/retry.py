"""One retry policy for every task: arq runs a job up to MAX_TRIES times, waiting longer before
each new try; after the last, the task's own give-up step records the failure."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from arq import Retry

MAX_TRIES = 3
BACKOFF_SECONDS = (5, 30)  # before the second and the third try


async def with_retries(
    ctx: dict[str, Any],
    work: Callable[[], Awaitable[None]],
    transient: type[Exception],
    give_up: Callable[[Exception], Awaitable[None]],
) -> None:
    """Run `work`; on a `transient` error try again later, or give up after the last try."""
    try:
        await work()
    except transient as error:
        attempt = ctx.get("job_try", 1)
        if attempt >= MAX_TRIES:
            await give_up(error)
            return
        raise Retry(defer=BACKOFF_SECONDS[attempt - 1]) from error

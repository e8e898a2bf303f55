"""One retry policy for every task (jobs/retry.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from arq import Retry

from jobs.retry import BACKOFF_SECONDS, MAX_TRIES, with_retries


class Flaky(Exception):
    pass


async def failing() -> None:
    raise Flaky("the server went away")


async def test_a_transient_error_is_tried_again_later_each_time_longer() -> None:
    given_up: list[Exception] = []
    defers = []
    for attempt in range(1, MAX_TRIES):
        with pytest.raises(Retry) as retry:
            await with_retries({"job_try": attempt}, failing, Flaky, _record(given_up))
        defers.append(retry.value.defer_score)
    assert defers == [seconds * 1000 for seconds in BACKOFF_SECONDS]
    assert len(BACKOFF_SECONDS) == MAX_TRIES - 1  # no wait is written that no try uses
    assert given_up == []


async def test_after_the_last_try_the_task_gives_up_once() -> None:
    given_up: list[Exception] = []
    await with_retries({"job_try": MAX_TRIES}, failing, Flaky, _record(given_up))
    assert [str(error) for error in given_up] == ["the server went away"]


async def test_other_errors_are_not_retried() -> None:
    async def broken() -> None:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        await with_retries({"job_try": 1}, broken, Flaky, _record([]))


def _record(into: list[Exception]) -> Callable[[Exception], Awaitable[None]]:
    async def give_up(error: Exception) -> None:
        into.append(error)

    return give_up

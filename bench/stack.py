"""A real TherapyBridge stack for benchmarks: fresh database, demo clinic, web + workers.

Uses DATABASE_URL / REDIS_URL when set (their servers; a database of its own, Redis db 14),
otherwise the embedded servers under .data/bench. Everything is torn down afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import redis as redis_sync

BENCH_REDIS_DB = 14


@dataclass(frozen=True)
class Stack:
    base_url: str
    env: dict[str, str]

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]

    @property
    def redis_url(self) -> str:
        return self.env["REDIS_URL"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tb(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], env=env, check=True, capture_output=True, text=True
    )


def _spawn(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "cli", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _admin(database_url: str, statement: str) -> None:
    async def run() -> None:
        connection = await asyncpg.connect(database_url)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def _with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "unix":  # urlunsplit would drop the "//" of unix:///socket
        return f"unix://{parts.path}?db={path}"
    return urlunsplit(parts._replace(path=f"/{path}"))


@contextlib.contextmanager
def running_stack(
    *, workers: int = 2, web_processes: int = 1, seed: bool = True
) -> Iterator[Stack]:
    from core.infra.embedded import start_embedded

    database_url = os.environ.get("DATABASE_URL")
    redis_url = os.environ.get("REDIS_URL")
    embedded = None
    if not database_url or not redis_url:
        embedded = start_embedded(
            Path(".data") / "bench", postgres=not database_url, redis=not redis_url
        )
        database_url = database_url or embedded.database_url
        redis_url = redis_url or embedded.redis_url
    assert database_url and redis_url
    name = f"tb_bench_{uuid.uuid4().hex[:8]}"
    _admin(database_url, f"CREATE DATABASE {name}")
    port = _free_port()
    data_dir = Path(".data") / "bench" / name
    env = {
        **os.environ,
        "APP_ENV": "dev",
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": _with_path(database_url, name),
        "REDIS_URL": _with_path(redis_url, str(BENCH_REDIS_DB)),
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    children: list[subprocess.Popen[bytes]] = []
    try:
        tb(env, "migrate")
        if seed:
            tb(env, "seed-demo")
        redis_sync.Redis.from_url(env["REDIS_URL"]).flushdb()
        children.append(_spawn(env, "serve", "--workers", str(web_processes)))
        children += [_spawn(env, "worker") for _ in range(workers)]
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("the benchmark stack did not become healthy in 60 s")
            time.sleep(0.3)
        yield Stack(base_url, env)
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
        _admin(database_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if embedded is not None:
            embedded.stop()
        shutil.rmtree(data_dir, ignore_errors=True)

"""`tb dev` on a fresh machine: embedded PostgreSQL and Redis, demo clinic, clean stop."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import psutil

from tests.support import free_port


def start_dev(data_dir: Path, port: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {"DATA_DIR": str(data_dir), "PORT": str(port), "LOG_LEVEL": "WARNING"}
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "dev"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_healthy(port: int, process: subprocess.Popen[str], seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
            if response.status_code == 200:
                return response.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError("tb dev did not become healthy")


def stop(process: subprocess.Popen[str]) -> str:
    descendants = psutil.Process(process.pid).children(recursive=True)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    _, alive = psutil.wait_procs(descendants, timeout=15)
    assert alive == [], f"still running after Ctrl-C: {[p.name() for p in alive]}"
    return output


async def count_users(data_dir: Path) -> int:
    url = f"postgresql://postgres:@/therapybridge?host={data_dir.resolve() / 'pg'}"
    connection = await asyncpg.connect(url)
    try:
        return await connection.fetchval("SELECT count(*) FROM users")
    finally:
        await connection.close()


def test_dev_runs_everything_embedded_and_restarts_on_the_same_data(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = free_port()
    first = start_dev(data_dir, port)
    assert wait_healthy(port, first) == {"status": "ok", "database": "ok", "redis": "ok"}
    users = asyncio.run(count_users(data_dir))
    output = stop(first)
    assert "maya.rivera@clinic.example  password: demo-password" in output
    assert users == 9  # an admin, two therapists, six patients

    second = start_dev(data_dir, port)
    wait_healthy(port, second)
    assert asyncio.run(count_users(data_dir)) == 9  # reused, not seeded twice
    stop(second)

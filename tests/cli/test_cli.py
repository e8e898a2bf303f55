"""`tb` as a user runs it: a real process, its exit code and its one line of output."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from core.tables import User


def tb(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts TCP connections and never answers: a hung database server."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


async def test_duplicate_user_exits_2_with_one_line(db: None) -> None:
    args = (
        "user",
        "create",
        "--role",
        "therapist",
        "--name",
        "Ann Bee",
        "--password",
        "long-password-1",
    )
    first = tb(*args, "--email", "ann@example.org", "--handle", "ann")
    assert first.returncode == 0, first.stderr
    again = tb(*args, "--email", "ANN@example.org", "--handle", "ann-two")
    assert again.returncode == 2
    assert again.stderr.strip().splitlines() == ["Error: a user with this email already exists"]
    assert await User.count() == 1


def test_dead_database_fails_fast_naming_host_and_port(silent_server: int) -> None:
    started = time.monotonic()
    result = tb("migrate", DATABASE_URL=f"postgresql://tb:hunter2@127.0.0.1:{silent_server}/tb")
    assert time.monotonic() - started < 10
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"127.0.0.1:{silent_server}" in lines[0]
    assert "hunter2" not in result.stderr + result.stdout


def test_refused_connection_is_one_line() -> None:
    result = tb("migrate", DATABASE_URL="postgresql://tb:hunter2@127.0.0.1:1/tb")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Error: cannot reach PostgreSQL at 127.0.0.1:1: "
        "[Errno 111] Connect call failed ('127.0.0.1', 1)"
    ]


def test_unknown_setting_value_lists_allowed_values() -> None:
    result = tb("migrate", TRANSCRIBER="foo")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Error: TRANSCRIBER: unknown value 'foo'; allowed values: local, openai"
    )

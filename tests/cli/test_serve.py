"""`tb serve --workers 2`: processes with a listening socket each, stopped cleanly together."""

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import psutil

from tests.support import free_port


def _serve(port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--workers", "2", "--port", str(port)],
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        start_new_session=True,
    )


def _children_listening(supervisor: subprocess.Popen[bytes], port: int) -> list[psutil.Process]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert supervisor.poll() is None, "the supervisor stopped"
        children = psutil.Process(supervisor.pid).children()
        listening = [
            child
            for child in children
            if any(c.laddr.port == port and c.status == "LISTEN" for c in child.net_connections())
        ]
        if len(listening) == 2:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    return listening
            except httpx.HTTPError:
                pass
        time.sleep(0.3)
    raise AssertionError("two serving processes did not come up")


def test_each_process_listens_on_its_own_socket_and_all_stop_on_sigterm() -> None:
    port = free_port()
    supervisor = _serve(port)
    try:
        children = _children_listening(supervisor, port)
        # Two sockets bound to one port (SO_REUSEPORT), one per process, not a shared one.
        sockets = {
            (child.pid, c.fd)
            for child in children
            for c in child.net_connections()
            if c.laddr.port == port and c.status == "LISTEN"
        }
        assert len(sockets) == 2
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=30) == 0
        assert not any(child.is_running() and child.status() != "zombie" for child in children)
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)


def test_the_processes_stop_when_the_supervisor_is_killed() -> None:
    port = free_port()
    supervisor = _serve(port)
    children = _children_listening(supervisor, port)
    supervisor.kill()  # SIGKILL: no chance to stop anything itself
    supervisor.wait(timeout=10)
    _, alive = psutil.wait_procs(children, timeout=30)
    assert not alive, "serving processes outlived their supervisor"


def test_a_taken_port_is_one_line_and_no_process_starts() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "cli", "serve", "--workers", "2", "--port", str(port)],
            env={**os.environ, "LOG_LEVEL": "WARNING"},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"Error: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]

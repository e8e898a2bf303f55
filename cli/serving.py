"""The web server in several processes, each listening on a socket of its own.

uvicorn's own workers share one listening socket, and the process that wakes first accepts a
whole burst of new connections: under load one process ends up with most of them while another
idles. Here every process binds the port with SO_REUSEPORT and the Linux kernel spreads
connections across them evenly. One process, or another system, runs uvicorn as it is.

The processes leave the terminal's process group (a Ctrl-C reaches only this supervisor, which
stops each of them once, gracefully) and ask the kernel to stop them should it die.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import socket
import sys
from multiprocessing.connection import wait
from typing import Any

import uvicorn

from cli.errors import CommandError

APP = "web.app:create_app"
BACKLOG = 2048
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def serve(*, host: str, port: int, processes: int, log_level: str) -> int:
    """Serve until stopped (0), or until a process stops on its own (its exit code)."""
    options: dict[str, Any] = {
        "factory": True,
        "host": host,
        "port": port,
        "log_level": log_level,
        "proxy_headers": True,
    }
    if processes == 1 or sys.platform != "linux":
        uvicorn.run(APP, workers=processes, **options)
        return 0
    with _listener(options):  # a port already taken fails here, in one line, not in each child
        pass
    spawn = multiprocessing.get_context("spawn")
    supervisor = os.getpid()
    children = [
        spawn.Process(target=_serve_one, args=(options, supervisor)) for _ in range(processes)
    ]
    for child in children:
        child.start()

    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        if not stopping:  # once: a second SIGTERM would make uvicorn drop requests in flight
            stopping = True
            for child in children:
                if child.is_alive():
                    child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    wait([child.sentinel for child in children])  # until one stops, on request or not
    on_its_own = not stopping
    stop(signal.SIGTERM, None)
    for child in children:
        child.join()
    if on_its_own:
        return next((abs(c.exitcode) for c in children if c.exitcode), 1)
    return 0


def _serve_one(options: dict[str, Any], supervisor: int) -> None:
    os.setpgrp()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != supervisor:  # it died before the line above
        return
    listener = _listener(options)
    listener.listen(BACKLOG)
    uvicorn.Server(uvicorn.Config(APP, **options)).run(sockets=[listener])


def _listener(options: dict[str, Any]) -> socket.socket:
    """A socket bound to HOST:PORT that other processes may bind too (SO_REUSEPORT)."""
    host, port = options["host"], options["port"]
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
        listener = socket.socket(family, kind, protocol)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        listener.bind(address)
    except OSError as error:
        raise CommandError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return listener

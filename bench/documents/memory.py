"""Peak memory of a process and everything it starts (render workers included).

Sums PSS (proportional set size) over the process tree, so pages that forked workers share
with their parent are counted once; sampled every few milliseconds by a background thread.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

PROC = Path("/proc")


def tree_pss_bytes(root: int) -> int:
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        total += _pss_bytes(pid)
        pending.extend(children.get(pid, []))
    return total


def _pss_bytes(pid: int) -> int:
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class PeakMemory:
    """`with PeakMemory(pid) as peak: ...` then `peak.bytes`."""

    def __init__(self, root: int | None = None, interval: float = 0.05) -> None:
        self.root = root or os.getpid()
        self.interval = interval
        self.bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.bytes = max(self.bytes, tree_pss_bytes(self.root))
            self._stop.wait(self.interval)

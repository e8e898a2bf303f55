"""`make bench`: every benchmark, one after another, in one report.

    .venv/bin/python -m bench [NAME …]

Each benchmark prints its own tables with a same-run baseline; this adds the machine they ran
on and the time each took.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCHMARKS = ("extraction", "pipeline", "documents", "exports", "web", "slack", "soak")


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def main() -> None:
    names = sys.argv[1:] or list(BENCHMARKS)
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    print(f"TherapyBridge benchmarks — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Machine: {machine()}")
    failed = []
    for name in names:
        print(f"\n{'=' * 78}\n{name}\n{'=' * 78}", flush=True)
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False)
        print(f"({name}: {time.monotonic() - started:.0f} s)", flush=True)
        if result.returncode != 0:
            failed.append(name)
    if failed:
        sys.exit(f"benchmark(s) failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()

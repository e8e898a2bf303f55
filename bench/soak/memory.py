"""Resident memory of the running workers, sampled while the soak runs ("memory flat")."""

from __future__ import annotations

from dataclasses import dataclass

import psutil


@dataclass(frozen=True)
class Sample:
    progress: float  # share of the submitted work finished when sampled
    worker_mb: tuple[float, ...]  # each worker process
    render_mb: tuple[float, ...]  # each worker's render pool (its child processes)


def worker_processes() -> list[psutil.Process]:
    """The `tb worker` processes this process started (bench.stack runs them as children)."""
    return [
        child for child in psutil.Process().children() if child.cmdline()[-2:] == ["cli", "worker"]
    ]


def _megabytes(processes: list[psutil.Process]) -> float:
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:  # a render process recycled meanwhile
            continue
    return total / 2**20


def sample(workers: list[psutil.Process], progress: float) -> Sample:
    return Sample(
        progress=progress,
        worker_mb=tuple(_megabytes([worker]) for worker in workers),
        render_mb=tuple(_megabytes(worker.children(recursive=True)) for worker in workers),
    )


def nearest(samples: list[Sample], progress: float) -> Sample:
    return min(samples, key=lambda s: abs(s.progress - progress))

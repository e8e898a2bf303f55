"""PDF rendering in worker processes, each with a time limit and a memory limit.

WeasyPrint holds the GIL for the whole layout and gives memory back only when its process
exits, and templates can be user-supplied. So renders never run on the event loop: they run in
a small pool of forkserver processes that are recycled after a number of renders. Each worker
caps its address space (RLIMIT_AS) and disables core files (a crash must not leave PHI on
disk); each render gets a wall-clock deadline (SIGALRM, which raises inside the render) and a
CPU-time backstop (RLIMIT_CPU, which the kernel enforces if Python cannot respond).

As with any spawn/forkserver pool, workers import the parent's `__main__` module by path: an
entry script must keep its work under `if __name__ == "__main__":` (console scripts do).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from types import FrameType

from weasyprint.text.fonts import FontConfiguration

from core.documents.context import DocumentContext
from core.documents.errors import DocumentError, TransientDocumentError
from core.documents.pdf import render_pdf
from core.documents.volumes import SESSIONS_PER_VOLUME, Volume
from core.enums import PdfVariant

# Extra time the parent allows beyond a render's own deadline (worker start-up, transfer).
GRACE_SECONDS = 15


@dataclass(frozen=True)
class RenderLimits:
    timeout_seconds: int = 180
    memory_bytes: int = 1536 * 1024 * 1024
    workers: int = 1
    renders_per_worker: int = 20
    # Longer records are split into PDF volumes; see volumes.py for the memory this bounds.
    sessions_per_volume: int = SESSIONS_PER_VOLUME


class RenderTimeout(DocumentError):
    pass


class RenderOutOfMemory(DocumentError):
    pass


class WorkerStopped(TransientDocumentError):
    """The worker process died (a limit was hit, maybe by another render): retry."""


@dataclass(frozen=True)
class PdfJob:
    context: DocumentContext
    custom_template: str | None = None
    custom_css: str | None = None
    variant: PdfVariant = PdfVariant.standard
    volume: Volume | None = None


class RenderPool:
    """Runs PdfJobs in worker processes; one pool per application, closed at shutdown."""

    def __init__(self, limits: RenderLimits | None = None) -> None:
        self.limits = limits or RenderLimits()
        self._executor: ProcessPoolExecutor | None = None
        # A job is handed over only when a worker is free, so its deadline starts with it.
        self._free_workers = asyncio.Semaphore(self.limits.workers)

    async def render(self, job: PdfJob) -> bytes:
        async with self._free_workers:
            executor = self._ensure_executor()
            loop = asyncio.get_running_loop()
            timeout = self.limits.timeout_seconds
            future = loop.run_in_executor(executor, _render_in_worker, job, timeout)
            try:
                return await asyncio.wait_for(future, timeout + GRACE_SECONDS)
            except BrokenProcessPool:
                self._discard(executor)
                raise WorkerStopped("the render worker stopped (memory or CPU limit)") from None
            except TimeoutError:
                self._discard(executor)
                raise RenderTimeout(f"the render did not finish within {timeout} s") from None

    async def close(self) -> None:
        if self._executor is not None:
            executor, self._executor = self._executor, None
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)

    def _ensure_executor(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            # Workers fork from a server that has WeasyPrint imported: recycling is cheap.
            context.set_forkserver_preload([__name__])
            self._executor = ProcessPoolExecutor(
                max_workers=self.limits.workers,
                mp_context=context,
                initializer=_start_worker,
                initargs=(self.limits.memory_bytes,),
                max_tasks_per_child=self.limits.renders_per_worker,
            )
        return self._executor

    def _discard(self, executor: ProcessPoolExecutor) -> None:
        # A stuck worker is ended by its RLIMIT_CPU; new jobs get fresh workers.
        if self._executor is executor:
            self._executor = None
        executor.shutdown(wait=False, cancel_futures=True)


# --- in the worker process ---

_font_config: FontConfiguration | None = None


class _Deadline(BaseException):
    """Raised by SIGALRM; a BaseException so that no `except Exception` inside a render
    (WeasyPrint catches broadly around resource loading) can swallow it."""


def _start_worker(memory_bytes: int) -> None:
    global _font_config
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _font_config = FontConfiguration()


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise _Deadline


def _render_in_worker(job: PdfJob, timeout_seconds: int) -> bytes:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_used = int(usage.ru_utime + usage.ru_stime)
    _, cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_used + timeout_seconds + GRACE_SECONDS, cpu_hard))
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout_seconds)
    try:
        return render_pdf(
            job.context,
            custom_template=job.custom_template,
            custom_css=job.custom_css,
            variant=job.variant,
            font_config=_font_config,
            volume=job.volume,
        )
    except _Deadline:
        raise RenderTimeout(f"the render did not finish within {timeout_seconds} s") from None
    except MemoryError:
        raise RenderOutOfMemory(
            f"the render needed more than {_megabytes(resource.RLIMIT_AS)} MB of memory"
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_hard, cpu_hard))


def _megabytes(limit: int) -> int:
    soft, _ = resource.getrlimit(limit)
    return soft // (1024 * 1024)

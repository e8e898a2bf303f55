"""One scaling measurement, run in a fresh process so its memory is its own."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

from bench.documents import sample
from core.documents.context import DocumentContext
from core.documents.pool import RenderLimits, RenderPool
from core.documents.service import output_format, render_document

BUILDERS: dict[str, Callable[[int], DocumentContext]] = {
    "progress_report": sample.progress_report,
    "full_record": sample.full_record,
}


def measure_in_child(export_type: str, fmt: str, sessions: int, results: Connection) -> None:
    """Sends (seconds, volumes) for rendering the context; building it is not timed."""
    context = BUILDERS[export_type](sessions)

    async def run() -> tuple[float, int]:
        pool = RenderPool(RenderLimits())
        try:
            await render_document(sample.progress_report(1), "pdf", pool=pool)  # warm worker
            started = time.perf_counter()
            await render_document(context, fmt, pool=pool)
            return time.perf_counter() - started, output_format(fmt, context, pool).volumes
        finally:
            await pool.close()

    results.send(asyncio.run(run()))

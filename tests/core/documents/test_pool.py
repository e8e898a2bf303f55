"""The render pool: hostile templates hit a time or memory limit, and the loop stays free."""

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from core.documents.errors import DocumentError
from core.documents.pool import PdfJob, RenderLimits, RenderOutOfMemory, RenderPool, RenderTimeout
from tests.core.documents import contexts

BUSY_LOOP = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
HUGE_STRING = "{{ 'x' * 4000000000 }}"


@pytest.fixture(scope="module")
async def pool() -> AsyncIterator[RenderPool]:
    pool = RenderPool(RenderLimits(timeout_seconds=3, memory_bytes=1024**3))
    yield pool
    await pool.close()


async def test_renders_a_pdf(pool: RenderPool) -> None:
    pdf = await pool.render(PdfJob(contexts.progress_report()))
    assert pdf.startswith(b"%PDF-")


async def test_a_template_that_never_ends_hits_the_time_limit(pool: RenderPool) -> None:
    started = time.monotonic()
    with pytest.raises(RenderTimeout, match="did not finish within 3 s"):
        await pool.render(PdfJob(contexts.progress_report(), custom_template=BUSY_LOOP))
    assert time.monotonic() - started < 10
    assert (await pool.render(PdfJob(contexts.progress_report()))).startswith(b"%PDF-")


async def test_a_template_that_eats_memory_hits_the_memory_limit(pool: RenderPool) -> None:
    with pytest.raises(RenderOutOfMemory, match="more than 1024 MB"):
        await pool.render(PdfJob(contexts.progress_report(), custom_template=HUGE_STRING))
    assert (await pool.render(PdfJob(contexts.progress_report()))).startswith(b"%PDF-")


async def test_template_errors_come_back_from_the_worker(pool: RenderPool) -> None:
    with pytest.raises(DocumentError, match="not allowed in a template"):
        await pool.render(PdfJob(contexts.progress_report(), custom_template="{{ ''.__class__ }}"))


async def test_the_event_loop_keeps_running_during_a_render() -> None:
    # A pool of its own: on a busy machine this render can take longer than the shared
    # pool's short limit, which is there for the runaway-template tests.
    pool = RenderPool(RenderLimits(timeout_seconds=60, memory_bytes=1024**3))
    long_document = "{% for i in range(4000) %}<p>Line {{ i }} of a long page</p>{% endfor %}"
    job = PdfJob(contexts.progress_report(), custom_template=long_document)
    started = last = time.monotonic()
    rendering = asyncio.create_task(pool.render(job))
    longest_gap = 0.0
    while not rendering.done():
        await asyncio.sleep(0.01)
        now = time.monotonic()
        longest_gap, last = max(longest_gap, now - last), now
    await rendering
    await pool.close()
    assert time.monotonic() - started > 1  # long enough that a blocked loop would show
    assert longest_gap < 0.5

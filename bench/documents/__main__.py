"""Document rendering benchmark: `.venv/bin/python -m bench.documents [--sizes 12,120,1200]`.

Prints one table:
- the 12-session progress report as a PDF through the service (worker pool, templates,
  charts) against raw WeasyPrint on the same HTML in this same run: overhead target ≤ 10 %;
- the same report as DOCX (target ≤ 150 ms), JSON and CSV (≤ 20 ms);
- scaling rows for each size: time and peak memory (PSS of the whole process tree, render
  workers included), each measured in a fresh process. Long PDFs are split into volumes
  (see core/documents/volumes.py); the row says how many.
Contexts are built from the AnnoMI conversations (bench/documents/sample.py).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from bench.documents import sample
from bench.documents.memory import PeakMemory
from bench.documents.scaling import measure_in_child
from core.documents.paths import ASSET_BASE_URL
from core.documents.pool import RenderLimits, RenderPool
from core.documents.service import render_document
from core.documents.templating import render_html

ROUNDS = 7
MEMORY_TARGET_BYTES = 1536 * 1024 * 1024
SCALING_CASES = [
    ("progress_report", "pdf"),
    ("full_record", "pdf"),
    ("full_record", "docx"),
    ("full_record", "json"),
    ("full_record", "csv"),
]


@dataclass
class Row:
    case: str
    sessions: int
    fmt: str
    seconds: float
    peak_bytes: int | None = None
    note: str = ""


async def _timed(render: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        result = render()
        if asyncio.iscoroutine(result):
            await result
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def same_run_rows() -> list[Row]:
    context = sample.progress_report(12)
    html = render_html(context)
    fonts = FontConfiguration()
    pool = RenderPool(RenderLimits())
    candidates: dict[str, Callable[[], object]] = {
        "raw": lambda: HTML(string=html, base_url=ASSET_BASE_URL).write_pdf(),
        # What each render worker does: one FontConfiguration, reused.
        "raw_fonts": lambda: HTML(string=html, base_url=ASSET_BASE_URL).write_pdf(
            font_config=fonts
        ),
        "service": lambda: render_document(context, "pdf", pool=pool),
    }
    try:
        times: dict[str, list[float]] = {name: [] for name in candidates}
        for _ in range(ROUNDS + 1):  # interleaved, so drift on a shared machine hits all alike
            for name, render in candidates.items():
                times[name].append(await _timed(render, 1))
        # The first round warms the worker and this process up; it is left out.
        raw, raw_fonts, service = (statistics.median(times[name][1:]) for name in candidates)
        rows = [
            Row("progress report — raw WeasyPrint, same HTML (baseline)", 12, "pdf", raw),
            Row("progress report — raw WeasyPrint, reused fonts", 12, "pdf", raw_fonts),
            Row(
                "progress report — render_document",
                12,
                "pdf",
                service,
                note=f"overhead {_percent(service, raw)} vs baseline, "
                f"{_percent(service, raw_fonts)} vs reused fonts (target ≤ 10%)",
            ),
        ]
        for fmt, target in (("docx", 0.150), ("json", 0.020), ("csv", 0.020)):
            seconds = await _timed(lambda fmt=fmt: render_document(context, fmt, pool=pool), 20)
            verdict = "ok" if seconds <= target else "OVER"
            rows.append(
                Row(
                    "progress report — render_document",
                    12,
                    fmt,
                    seconds,
                    note=f"target ≤ {target * 1000:.0f} ms: {verdict}",
                )
            )
        return rows
    finally:
        await pool.close()


def _percent(value: float, baseline: float) -> str:
    return f"{(value - baseline) / baseline * 100:+.1f}%"


def scaling_row(export_type: str, fmt: str, sessions: int) -> Row:
    spawn = multiprocessing.get_context("spawn")
    receiver, sender = spawn.Pipe(duplex=False)
    child = spawn.Process(target=measure_in_child, args=(export_type, fmt, sessions, sender))
    child.start()
    assert child.pid is not None
    with PeakMemory(child.pid) as peak:
        while not receiver.poll(0.5):
            if not child.is_alive():
                raise RuntimeError(f"{export_type} {fmt} x{sessions}: exit code {child.exitcode}")
        seconds, volumes = receiver.recv()
        child.join()
    note = f"{volumes} volumes (ZIP)" if volumes > 1 else ""
    if export_type == "full_record" and sessions >= 1200:
        verdict = "under" if peak.bytes < MEMORY_TARGET_BYTES else "OVER"
        note = f"{note}; {verdict} 1.5 GB".lstrip("; ")
    return Row(export_type.replace("_", " "), sessions, fmt, seconds, peak.bytes, note)


def print_table(rows: list[Row]) -> None:
    header = ("case", "sessions", "format", "time", "peak memory", "note")
    lines = [
        (
            row.case,
            f"{row.sessions:,}",
            row.fmt,
            f"{row.seconds * 1000:,.1f} ms" if row.seconds < 1 else f"{row.seconds:,.2f} s",
            f"{row.peak_bytes / 2**20:,.0f} MB" if row.peak_bytes else "",
            row.note,
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    for number, line in enumerate([header, *lines]):
        print(" | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if number == 0:
            print("-+-".join("-" * width for width in widths))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.documents")
    parser.add_argument("--sizes", default="12,120,1200", help="session counts to scale over")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    rows = asyncio.run(same_run_rows())
    for sessions in sizes:
        for export_type, fmt in SCALING_CASES:
            rows.append(scaling_row(export_type, fmt, sessions))
    print_table(rows)


if __name__ == "__main__":
    main()

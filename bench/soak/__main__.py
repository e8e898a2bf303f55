"""Soak: sessions and exports pushed through a running system (web + workers) for minutes.

    .venv/bin/python -m bench.soak [--sessions 200] [--exports 1000] [--minutes 2.5]

Recordings (the 5-second fixture clips, every accepted format) are uploaded and exports
(mostly JSON and CSV, one in twenty PDF and one DOCX) requested through the JSON API by many
therapists, spread evenly over the run. Reports what was submitted, completed, failed,
duplicated and left unfinished; latency and throughput; and the workers' memory. Same-run
baselines: the first tenth of each kind's jobs against the last tenth (a system that slows
down as it runs shows here), and the workers' memory before the load, half way and at the end.
Exits 1 if anything was lost or done twice.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx

from bench.report import print_table
from bench.soak.clinic import make_clinic
from bench.soak.ledger import Outcome, export_outcome, finished, session_outcome
from bench.soak.memory import Sample, nearest, sample, worker_processes
from bench.soak.traffic import request_exports, upload_sessions
from bench.stack import Stack, running_stack

TIME_LIMIT_SECONDS = 15 * 60
SAMPLE_EVERY_SECONDS = 2


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def tenths(values: list[float]) -> tuple[list[float], list[float]]:
    share = max(1, len(values) // 10)
    return values[:share], values[-share:]


async def watch(
    stack: Stack, since: datetime, total: int, submitting: asyncio.Task[object]
) -> list[Sample]:
    """Memory samples until every submitted item is finished (or the time limit is reached)."""
    workers = worker_processes()
    samples = [sample(workers, 0.0)]
    connection = await asyncpg.connect(stack.database_url)
    deadline = time.monotonic() + TIME_LIMIT_SECONDS
    try:
        while time.monotonic() < deadline:
            done = await finished(connection, since)
            samples.append(sample(workers, done / total))
            print(f"\r{done}/{total} finished", end="", file=sys.stderr, flush=True)
            if done == total and submitting.done():
                break
            await asyncio.sleep(SAMPLE_EVERY_SECONDS)
    finally:
        await connection.close()
        print(file=sys.stderr)
    return samples


def outcome_row(kind: str, outcome: Outcome) -> list[object]:
    wall = outcome.last_completion - outcome.first_request
    return [
        kind,
        outcome.submitted,
        outcome.completed,
        outcome.failed,
        outcome.duplicated,
        outcome.unfinished,
        f"{wall:.0f} s",
        f"{outcome.completed / wall * 60:.0f}/min" if wall > 0 else "-",
    ]


def latency_row(kind: str, latencies: list[float]) -> list[object]:
    first, last = tenths(latencies)
    cells = [f"{percentile(part, q):.1f} s" for part in (first, last) for q in (0.5, 0.95)]
    drift = percentile(last, 0.5) / percentile(first, 0.5) if first else float("nan")
    return [kind, *cells, f"{percentile(latencies, 0.5):.1f} s", f"× {drift:.2f}"]


def memory_rows(samples: list[Sample]) -> list[list[object]]:
    start, middle, end = samples[0], nearest(samples, 0.5), samples[-1]
    rows: list[list[object]] = []
    for index in range(len(start.worker_mb)):
        for label, field in (("", "worker_mb"), (" render pool", "render_mb")):
            values = [getattr(mark, field)[index] for mark in (start, middle, end)]
            peak = max(getattr(s, field)[index] for s in samples)
            rows.append(
                [
                    f"worker {index + 1}{label}",
                    *(f"{v:.0f} MB" for v in values),
                    f"{peak:.0f} MB",
                    f"{values[2] - values[1]:+.0f} MB",
                ]
            )
    return rows


async def soak(stack: Stack, sessions: int, exports: int, therapists: int, minutes: float) -> bool:
    clinic = await make_clinic(stack, therapists)
    since = datetime.now(UTC)
    started = time.monotonic()
    limits = httpx.Limits(max_connections=therapists + 8)
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=300, limits=limits) as client:
        seconds = minutes * 60
        submitting = asyncio.gather(
            upload_sessions(client, clinic, sessions, seconds),
            request_exports(client, clinic, exports, seconds),
        )
        samples, (uploaded, requested) = await asyncio.gather(
            watch(stack, since, sessions + exports, submitting), submitting
        )
    elapsed = time.monotonic() - started

    connection = await asyncpg.connect(stack.database_url)
    try:
        session_result = await session_outcome(connection, [s.id for s in uploaded])
        export_result, audit_rows, files = await export_outcome(
            connection, [e.id for e in requested], Path(stack.env["DATA_DIR"]) / "files/exports"
        )
    finally:
        await connection.close()

    print_table(
        f"Soak: {sessions} sessions and {exports} exports requested over {minutes:g} min by "
        f"{therapists} therapists; web + {len(samples[0].worker_mb)} workers; "
        f"all done after {elapsed:.0f} s",
        ["kind", "submitted", "completed", "failed", "duplicated", "unfinished", "wall", "rate"],
        [outcome_row("sessions", session_result), outcome_row("exports", export_result)],
    )
    print_table(
        "Request → done, first tenth of the jobs (baseline) against the last tenth",
        ["kind", "first p50", "first p95", "last p50", "last p95", "all p50", "last/first"],
        [
            latency_row("sessions", session_result.latencies),
            latency_row("exports", export_result.latencies),
        ],
    )
    print_table(
        "Exactly once, per export job",
        ["evidence", "jobs by count"],
        [
            ["completion audit rows", audit_rows],
            ["files on disk", files],
            ["429s waited out", sum(job.refused for job in requested)],
        ],
    )
    print_table(
        "Worker memory (RSS): before the load (baseline), half way, at the end",
        ["process", "start", "middle", "end", "peak", "end - middle"],
        memory_rows(samples),
    )
    results = (session_result, export_result)
    return all(r.duplicated == 0 and r.unfinished == 0 for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--exports", type=int, default=1000)
    parser.add_argument("--therapists", type=int, default=25)
    parser.add_argument("--minutes", type=float, default=2.5, help="submissions spread over")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with running_stack(workers=args.workers) as stack:
        clean = asyncio.run(soak(stack, args.sessions, args.exports, args.therapists, args.minutes))
    if not clean:
        sys.exit("work was lost or done twice: see the tables above")


if __name__ == "__main__":
    main()

"""Export jobs under load: 100 mixed requests at once through a running system.

    .venv/bin/python -m bench.exports [--requests 100] [--workers 2]

Reports request→completed p50/p95, throughput, duplicates, the same run's raw render time
(the floor: what rendering alone costs), and the job status endpoint's p95 at 50 concurrent
clients next to /health under the same load (the baseline).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from itertools import cycle
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import httpx
from redis.asyncio import Redis

from bench.load import load_generator, measure, percentile
from bench.report import print_table
from bench.stack import Stack, running_stack, tb

TYPES = ("progress_report", "session_notes", "treatment_summary", "full_record")
FORMATS = ("pdf", "docx", "json", "csv")
THERAPIST = "maya.rivera"


async def _clinic(stack: Stack) -> tuple[str, dict[str, list[str]]]:
    connection = await asyncpg.connect(stack.database_url)
    try:
        therapist = await connection.fetchval("SELECT id FROM users WHERE handle = $1", THERAPIST)
        rows = await connection.fetch(
            "SELECT patient_id, id FROM therapy_sessions WHERE therapist_id = $1 "
            "AND status = 'processed' ORDER BY session_date",
            therapist,
        )
    finally:
        await connection.close()
    sessions: dict[str, list[str]] = {}
    for row in rows:
        sessions.setdefault(str(row["patient_id"]), []).append(str(row["id"]))
    return str(therapist), sessions


def _bodies(count: int, sessions: dict[str, list[str]]) -> list[tuple[str, dict[str, Any]]]:
    combos = cycle([(t, f) for t in TYPES for f in FORMATS])
    patients = cycle(sessions)
    bodies = []
    for _ in range(count):
        export_type, fmt = next(combos)
        patient = next(patients)
        body: dict[str, Any] = {"format": fmt}
        if export_type == "session_notes":
            body["session_ids"] = sessions[patient][-2:]
        else:
            body["patient_id"] = patient
        if export_type == "progress_report":
            body |= {"start_date": "2000-01-01", "end_date": "2100-12-31"}
        bodies.append((export_type, body))
    return bodies


async def _submit_and_wait(
    stack: Stack, token: str, therapist: str, bodies: list[tuple[str, dict[str, Any]]]
) -> dict[str, Any]:
    redis = Redis.from_url(stack.redis_url)
    pubsub = redis.pubsub()
    await pubsub.subscribe(f"tb:user:{therapist}")
    finished: dict[str, tuple[float, str]] = {}
    submitted: dict[str, float] = {}
    headers = {"Authorization": f"Bearer {token}"}

    async def listen() -> None:
        while len(finished) < len(bodies):
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
            if not message:
                continue
            event = json.loads(message["data"])
            status = event["data"].get("status")
            if event["type"] in ("export.completed", "export.status") and status in (
                "completed",
                "failed",
            ):
                finished.setdefault(event["data"]["job_id"], (time.perf_counter(), status))

    listener = asyncio.create_task(listen())
    limits = httpx.Limits(max_connections=len(bodies))
    async with httpx.AsyncClient(
        base_url=stack.base_url, headers=headers, limits=limits, timeout=60
    ) as client:

        async def submit(export_type: str, body: dict[str, Any]) -> None:
            started = time.perf_counter()
            response = await client.post(
                f"/api/v1/export/{export_type.replace('_', '-')}", json=body
            )
            response.raise_for_status()
            submitted[response.json()["id"]] = started

        began = time.perf_counter()
        await asyncio.gather(*(submit(t, b) for t, b in bodies))
        await asyncio.wait_for(listener, timeout=900)
    await pubsub.aclose()
    await redis.aclose()
    latencies = [finished[job][0] - submitted[job] for job in submitted]
    wall = max(at for at, _ in finished.values()) - began
    return {
        "job_ids": list(submitted),
        "latencies": latencies,
        "failed": sum(1 for _, status in finished.values() if status == "failed"),
        "wall": wall,
    }


async def _duplicates(stack: Stack, job_ids: list[str]) -> tuple[int, int, int]:
    connection = await asyncpg.connect(stack.database_url)
    try:
        completed = await connection.fetchval(
            "SELECT count(*) FROM export_jobs WHERE status = 'completed' AND id = ANY($1::uuid[])",
            job_ids,
        )
        completions = await connection.fetchval(
            "SELECT count(*) FROM export_audit_log WHERE action = 'created' "
            "AND action_metadata->>'stage' = 'completed' AND export_job_id = ANY($1::uuid[])",
            job_ids,
        )
    finally:
        await connection.close()
    files = len(list((Path(stack.env["DATA_DIR"]) / "files" / "exports").glob("*.tbe")))
    return completed, completions, files


async def _raw_render_floor(stack: Stack, bodies: list[tuple[str, dict[str, Any]]]) -> float:
    """Mean seconds to gather and render one document in-process, no queue, no web."""
    os.environ.update(stack.env)
    from core.documents.gather import gather_context
    from core.documents.service import render_document
    from core.exports.requests import ExportRequest
    from core.settings import get_settings
    from core.tables import User

    get_settings.cache_clear()
    engine = User._meta.db
    await engine.start_connection_pool(min_size=1, max_size=2)
    timings = []
    try:
        for export_type, body in bodies[: len(TYPES) * len(FORMATS)]:
            request = ExportRequest(export_type=export_type, **body)
            started = time.perf_counter()
            context = await gather_context(request)
            await render_document(context, request.format, pdf_variant=request.pdf_variant)
            timings.append(time.perf_counter() - started)
    finally:
        await engine.close_connection_pool()
    return statistics.mean(timings)


async def _endpoint_p95(
    stack: Stack, token: str, path: str, clients: int = 50, requests: int = 1000
) -> tuple[float, float]:
    headers = {"Authorization": f"Bearer {token}"}
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as http:
        p50, p95, _ = await measure(http, f"{stack.base_url}{path}", clients, requests, headers)
    return p50 / 1000, p95 / 1000


async def run(stack: Stack, count: int, workers: int, web_processes: int) -> None:
    therapist, sessions = await _clinic(stack)
    token = tb(stack.env, "token", "create", "--user", THERAPIST, "--name", "bench").stdout.strip()
    bodies = _bodies(count, sessions)
    result = await _submit_and_wait(stack, token, therapist, bodies)
    completed, completions, files = await _duplicates(stack, result["job_ids"])
    floor = await _raw_render_floor(stack, bodies)
    job = f"/api/v1/export/jobs/{result['job_ids'][0]}"
    status_p50, status_p95 = await _endpoint_p95(stack, token, job)
    health_p50, health_p95 = await _endpoint_p95(stack, token, "/health")
    latencies = result["latencies"]
    print_table(
        f"Exports: {count} mixed requests at once ({len(TYPES)} types × {len(FORMATS)} formats)",
        ["measure", "value"],
        [
            ["request → completed p50", f"{percentile(latencies, 0.5):.2f} s"],
            ["request → completed p95", f"{percentile(latencies, 0.95):.2f} s"],
            ["throughput", f"{count / result['wall'] * 60:.0f} exports/min"],
            ["completed / failed", f"{completed} / {result['failed']}"],
            ["completion audit rows (1 per job)", completions],
            ["files on disk (1 per job)", files],
            ["raw gather+render, mean (floor)", f"{floor * 1000:.0f} ms"],
            [
                "floor × jobs ÷ workers",
                f"{floor * count / workers:.1f} s",
            ],
        ],
    )
    print_table(
        f"Job status endpoint, 50 concurrent clients, {web_processes} web processes "
        f"(load from {load_generator()})",
        ["endpoint", "p50", "p95"],
        [
            [
                "GET /api/v1/export/jobs/{id}",
                f"{status_p50 * 1000:.1f} ms",
                f"{status_p95 * 1000:.1f} ms",
            ],
            [
                "GET /health (baseline)",
                f"{health_p50 * 1000:.1f} ms",
                f"{health_p95 * 1000:.1f} ms",
            ],
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--web-processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    # One therapist sends every request: lift the per-user rate limit for the measurement.
    os.environ["EXPORT_RATE_LIMIT_PER_MINUTE"] = str(10 * args.requests)
    with running_stack(workers=args.workers, web_processes=args.web_processes) as stack:
        asyncio.run(run(stack, args.requests, args.workers, args.web_processes))


if __name__ == "__main__":
    main()

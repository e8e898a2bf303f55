"""The dashboard under load: a large clinic, 50 concurrent clients, and live-event latency.

    .venv/bin/python -m bench.web [--clients 50] [--requests 1500] [--web-processes 2]

Seeds one therapist with 1,000 patients, 10,000 sessions (with draft notes and some risk
flags) and 10,000 export jobs by bulk COPY, serves the app as `tb serve --workers N` does (by
default one process per core), signs in through the real form and measures with wrk when
installed (bench/load.py), at `--clients` concurrent clients:
- /health (the same run's baseline: no session, no template, two pings),
- the home, patient and exports pages (full pages, as a browser loads them);
then the time from an event's publication on Redis to its arrival on the page's SSE stream,
next to a bare Redis pub/sub subscriber (the floor).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

import aiohttp
import asyncpg
from redis.asyncio import Redis

from bench.load import load_generator, measure, percentile
from bench.report import print_table
from bench.stack import Stack, running_stack
from core.events import EventPublisher, user_channel
from core.passwords import hash_password

PATIENTS = 1_000
SESSIONS = 10_000
JOBS = 10_000
EMAIL = "bench.therapist@clinic.example"
PASSWORD = "bench-password-1"
EVENTS = 100


async def seed(database_url: str) -> tuple[uuid.UUID, uuid.UUID]:
    """The clinic, written with COPY; returns the therapist's and one patient's ids."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    therapist = uuid.uuid4()
    patients = [uuid.uuid4() for _ in range(PATIENTS)]
    users = [
        (
            therapist,
            "therapist",
            "Bench Therapist",
            EMAIL,
            "bench.therapist",
            hash_password(PASSWORD),
        )
    ] + [
        (p, "patient", f"Patient {n:04d} Example", f"p{n}@bench.example", f"p{n}", None)
        for n, p in enumerate(patients)
    ]
    sessions = []
    notes = []
    flag = json.dumps(
        [{"type": "self_harm", "severity": "medium", "evidence": "I hurt myself last week.",
          "segment_index": 0, "context": ""}]
    )  # fmt: skip
    for n in range(SESSIONS):
        session_id = uuid.uuid4()
        when = now - timedelta(days=rng.randint(0, 700), minutes=rng.randint(0, 600))
        if n < 8:
            when = now.replace(hour=9 + n, minute=0)  # a few sessions today
        sessions.append(
            (session_id, patients[n % PATIENTS], therapist, when, "processed", 100, 3000,
             f"T: Session {n}.", flag if n % 50 == 0 else "[]", when)
        )  # fmt: skip
        if n % 5 == 0:
            notes.append((uuid.uuid4(), session_id, therapist, "soap", "draft"))
    statuses = ["completed"] * 8 + ["pending", "failed"]
    jobs = [
        (uuid.uuid4(), therapist, patients[n % PATIENTS], "progress_report", "pdf",
         rng.choice(statuses), now - timedelta(minutes=n), now + timedelta(days=7), 48_000)
        for n in range(JOBS)
    ]  # fmt: skip
    connection = await asyncpg.connect(database_url)
    try:
        await connection.copy_records_to_table(
            "users",
            records=users,
            columns=["id", "role", "full_name", "email", "handle", "password_hash"],
        )
        await connection.copy_records_to_table(
            "therapist_patients",
            records=[(uuid.uuid4(), therapist, p, "primary") for p in patients],
            columns=["id", "therapist_id", "patient_id", "relationship_type"],
        )
        await connection.copy_records_to_table(
            "therapy_sessions",
            records=sessions,
            columns=["id", "patient_id", "therapist_id", "session_date", "status", "progress",
                     "duration_seconds", "transcript_text", "risk_flags", "processed_at"],
        )  # fmt: skip
        await connection.copy_records_to_table(
            "clinical_notes",
            records=notes,
            columns=["id", "session_id", "author_id", "template", "status"],
        )
        await connection.copy_records_to_table(
            "export_jobs",
            records=jobs,
            columns=["id", "user_id", "patient_id", "export_type", "format", "status",
                     "created_at", "expires_at", "file_size_bytes"],
        )  # fmt: skip
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return therapist, patients[0]


async def sign_in(http: aiohttp.ClientSession, base_url: str) -> None:
    async with http.get(f"{base_url}/sign-in") as form:
        await form.read()
    token = next(c.value for c in http.cookie_jar if c.key == "tb_csrf")
    data = {"email": EMAIL, "password": PASSWORD, "next": "/", "_csrf_token": token}
    async with http.post(f"{base_url}/sign-in", data=data, allow_redirects=False) as answer:
        if answer.status != 303:
            raise RuntimeError(f"sign-in failed: {answer.status}")


async def event_latency(
    http: aiohttp.ClientSession, base_url: str, redis: Redis, therapist: uuid.UUID
) -> tuple[list[float], list[float]]:
    """Publish → SSE line on the page's stream, and → a bare Redis subscriber (the floor)."""
    publisher = EventPublisher(redis)
    page: list[float] = []
    bare: list[float] = []
    pubsub = redis.pubsub()
    await pubsub.subscribe(user_channel(therapist))
    async with http.get(f"{base_url}/events", timeout=aiohttp.ClientTimeout(total=None)) as stream:
        await asyncio.sleep(0.3)  # the stream's subscription reaches Redis
        for number in range(EVENTS):
            job = f"bench-{number}"
            sent = time.perf_counter()
            await publisher.publish("export.status", user_id=therapist, job_id=job, status="x")
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5)
                if message is not None:
                    bare.append(time.perf_counter() - sent)
                    break
            async for raw in stream.content:
                if raw.decode().strip() == f"event: export-{job}":
                    page.append(time.perf_counter() - sent)
                    break
            await asyncio.sleep(0.02)
    await pubsub.aclose()
    return page, bare


async def run(stack: Stack, clients: int, requests: int, web_processes: int) -> None:
    started = time.perf_counter()
    therapist, patient = await seed(stack.database_url)
    print(f"seeded {PATIENTS} patients, {SESSIONS} sessions, {JOBS} jobs in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    connector = aiohttp.TCPConnector(limit=clients)
    # unsafe=True: keep cookies from an IP address host (127.0.0.1).
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=jar) as http:
        await sign_in(http, stack.base_url)
        pages = [
            ("/health (baseline)", "/health"),
            ("home", "/"),
            ("patient", f"/patients/{patient}"),
            ("exports", "/exports"),
        ]
        cookie = "; ".join(f"{c.key}={c.value}" for c in jar)
        rows = []
        for label, path in pages:
            url = f"{stack.base_url}{path}"
            p50, p95, rate = await measure(http, url, clients, requests, {"Cookie": cookie})
            rows.append([label, f"{p50:.1f}", f"{p95:.1f}", f"{rate:.0f}"])
        print_table(
            f"Pages at {clients} concurrent clients, {web_processes} web processes "
            f"(load from {load_generator()})",
            ["page", "p50 ms", "p95 ms", "requests/s"],
            rows,
        )
        redis = Redis.from_url(stack.redis_url)
        try:
            page, bare = await event_latency(http, stack.base_url, redis, therapist)
        finally:
            await redis.aclose()
    print_table(
        f"Event published → received ({EVENTS} events)",
        ["receiver", "p50 ms", "p95 ms", "max ms"],
        [
            [name, f"{statistics.median(v) * 1000:.1f}", f"{percentile(v, 0.95) * 1000:.1f}",
             f"{max(v) * 1000:.1f}"]
            for name, v in (("bare Redis subscriber (floor)", bare), ("page's SSE stream", page))
        ],
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1500, help="per page, without wrk")
    parser.add_argument("--web-processes", type=int, default=os.cpu_count() or 1)
    arguments = parser.parse_args()
    processes = arguments.web_processes
    with running_stack(workers=0, seed=False, web_processes=processes) as stack:
        asyncio.run(run(stack, arguments.clients, arguments.requests, processes))


if __name__ == "__main__":
    main()

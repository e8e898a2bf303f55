"""The soak's load: recordings uploaded and exports requested through the JSON API, spread
evenly over the run so the system is measured in a steady state rather than a burst.

Export creation is rate limited per user (core.exports.jobs.RATE_LIMIT_PER_MINUTE): the load
comes from many therapists at once, as in a clinic, each well under the limit.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from typing import Any

import httpx

from bench.soak.clinic import Therapist

CLIPS = sorted(Path("tests/fixtures/audio").glob("clip.*"))  # 5 s, every accepted format
EXPORT_TYPES = ("full-record", "treatment-summary", "progress-report")
PDF_EVERY = 20  # one export in 20 is a PDF and one a DOCX; the rest JSON and CSV


@dataclass(frozen=True)
class Submitted:
    id: str
    detail: str  # format or clip name
    refused: int  # 429 answers waited out before it was accepted


def export_plan(count: int) -> list[tuple[str, str]]:
    """(export type, format) for each export, in submission order."""
    plan = []
    types = cycle(EXPORT_TYPES)
    for number in range(count):
        if number % PDF_EVERY == 0:
            fmt = "pdf"
        elif number % PDF_EVERY == PDF_EVERY // 2:
            fmt = "docx"
        else:
            fmt = ("json", "csv")[number % 2]
        plan.append((next(types), fmt))
    return plan


async def paced(
    count: int, seconds: float, send: Callable[[int], Awaitable[Submitted]]
) -> list[Submitted]:
    """`send(0)` … `send(count - 1)`, started evenly over `seconds`."""
    start = time.monotonic()

    async def on_time(number: int) -> Submitted:
        await asyncio.sleep(max(0.0, start + number * seconds / count - time.monotonic()))
        return await send(number)

    return list(await asyncio.gather(*(on_time(number) for number in range(count))))


async def _accepted(client: httpx.AsyncClient, path: str, **request: Any) -> tuple[str, int]:
    """POST until accepted; a 429 waits for the next minute's allowance. (id, 429s)"""
    refused = 0
    while True:
        response = await client.post(path, **request)
        if response.status_code != 429:
            response.raise_for_status()
            return response.json()["id"], refused
        refused += 1
        await asyncio.sleep(60 - time.time() % 60 + 0.5)


async def upload_sessions(
    client: httpx.AsyncClient, clinic: list[Therapist], count: int, seconds: float
) -> list[Submitted]:
    clips = [(clip.name, clip.read_bytes()) for clip in CLIPS]

    async def upload(number: int) -> Submitted:
        therapist = clinic[number % len(clinic)]
        name, audio = clips[number % len(clips)]
        session_id, refused = await _accepted(
            client,
            f"/api/v1/sessions/upload?patient_id={therapist.patient_id}",
            content=audio,
            headers={"Authorization": f"Bearer {therapist.token}"},
        )
        return Submitted(session_id, name, refused)

    return await paced(count, seconds, upload)


async def request_exports(
    client: httpx.AsyncClient, clinic: list[Therapist], count: int, seconds: float
) -> list[Submitted]:
    plan = export_plan(count)

    async def request(number: int) -> Submitted:
        therapist = clinic[number % len(clinic)]
        export_type, fmt = plan[number]
        body: dict[str, Any] = {"patient_id": therapist.patient_id, "format": fmt}
        if export_type == "progress-report":
            body |= {"start_date": "2000-01-01", "end_date": "2100-12-31"}
        job_id, refused = await _accepted(
            client,
            f"/api/v1/export/{export_type}",
            json=body,
            headers={"Authorization": f"Bearer {therapist.token}"},
        )
        return Submitted(job_id, fmt, refused)

    return await paced(count, seconds, request)

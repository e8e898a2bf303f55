"""Closed-loop HTTP load and percentiles, shared by the benchmarks.

`measure` drives the load with wrk when it is installed (`apt-get install wrk`): written in C,
it leaves the two cores to the system under test, where a Python client would take a good part
of one. Without wrk it falls back to `load`, an aiohttp client in this process.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

import aiohttp


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def load(
    http: aiohttp.ClientSession, urls: str | Sequence[str], clients: int, requests: int
) -> tuple[float, float, float]:
    """p50 and p95 in ms and requests per second: `requests` GETs (cycling over `urls`)
    spread over `clients` concurrent clients, each sending its next request on the answer."""
    targets = [urls] if isinstance(urls, str) else list(urls)
    timings: list[float] = []
    remaining = iter(range(requests))

    async def client() -> None:
        for number in remaining:
            url = targets[number % len(targets)]
            started = time.perf_counter()
            async with http.get(url, allow_redirects=False) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"{url}: {response.status}")
            timings.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    return (
        statistics.median(timings) * 1000,
        percentile(timings, 0.95) * 1000,
        len(timings) / elapsed,
    )


WRK_REPORT = Path(__file__).with_name("wrk_percentiles.lua")
WRK_SECONDS = 10


def load_generator() -> str:
    return "wrk" if shutil.which("wrk") else "aiohttp"


def wrk(
    url: str, clients: int, headers: dict[str, str], seconds: int = WRK_SECONDS
) -> tuple[float, float, float]:
    """p50 and p95 in ms and requests per second of `clients` connections for `seconds`."""
    command = ["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "-s", str(WRK_REPORT), url]
    for name, value in headers.items():
        command[1:1] = ["-H", f"{name}: {value}"]
    report = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    fields = dict(item.split("=") for item in report.strip().splitlines()[-1].split())
    if int(fields["failed"]):
        raise RuntimeError(f"{url}: {fields['failed']} requests failed or were not 2xx")
    return float(fields["p50"]), float(fields["p95"]), float(fields["rps"])


async def measure(
    http: aiohttp.ClientSession, url: str, clients: int, requests: int, headers: dict[str, str]
) -> tuple[float, float, float]:
    """p50 and p95 in ms and requests per second at `clients` concurrent clients, after a
    warm-up: with wrk for WRK_SECONDS, otherwise `requests` requests through `http`."""
    await load(http, url, clients, clients)  # warm up
    if load_generator() == "wrk":
        return await asyncio.to_thread(wrk, url, clients, headers)
    return await load(http, url, clients, requests)

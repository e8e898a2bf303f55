"""Closed-loop HTTP load and percentiles, shared by the benchmarks."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Sequence

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

"""Slack ack latency: signed slash commands, 20 at once, against `tb serve` (uvicorn).

    .venv/bin/python -m bench.slack [--rounds 5] [--concurrency 20] [--workers 0]

The stack is the real one (bench.stack: fresh database, demo clinic, `tb serve` on 127.0.0.1),
its Slack Web API a local fake (tests/fakes/slack_server.py) on its own thread. Each round
sends `concurrency` commands at once — exports, `status`, `sessions` — from the two demo
therapists' linked Slack accounts, then waits until every command's ephemeral reply has
reached its response URL. Reported: ack latency p50/p99 (Slack's hard limit is 3 s; the target
p99 is 300 ms), command → reply, and GET /health at the same concurrency as the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import threading
import time
from collections.abc import Awaitable
from itertools import cycle
from typing import TypeVar
from urllib.parse import urlencode

import asyncpg
import httpx
from slack_sdk.signature import SignatureVerifier

from bench.load import percentile
from bench.report import print_table
from bench.stack import Stack, running_stack
from tests.fakes.slack_server import RESPONSE_URL, FakeSlack

SIGNING_SECRET = "bench-signing-secret"
THERAPISTS = {"maya.rivera": "U0MAYA", "daniel.okafor": "U0DANIEL"}
COMMANDS = (
    "export progress-report @{patient} last 90d",
    "status",
    "export session-notes @{patient} latest docx",
    "sessions @{patient}",
    "export treatment-summary @{patient}",
)
T = TypeVar("T")


class FakeSlackThread:
    """The fake Slack on an event loop of its own, so serving it never delays our timings."""

    def __init__(self) -> None:
        self.slack = FakeSlack()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def _run(self, coroutine: Awaitable[T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()  # type: ignore[arg-type]

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        self._run(self.slack.start())
        return self.slack

    def __exit__(self, *exc_info: object) -> None:
        self._run(self.slack.stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()


async def _link_therapists(stack: Stack) -> dict[str, list[str]]:
    """Link each demo therapist to a Slack user; their patients' handles by Slack user."""
    connection = await asyncpg.connect(stack.database_url)
    try:
        patients: dict[str, list[str]] = {}
        for handle, slack_user in THERAPISTS.items():
            await connection.execute(
                "UPDATE users SET slack_user_id = $1 WHERE handle = $2", slack_user, handle
            )
            rows = await connection.fetch(
                "SELECT p.handle FROM users p JOIN therapist_patients tp ON tp.patient_id = p.id "
                "JOIN users t ON t.id = tp.therapist_id WHERE t.handle = $1 ORDER BY p.handle",
                handle,
            )
            patients[slack_user] = [row["handle"] for row in rows]
    finally:
        await connection.close()
    return patients


def _signed(text: str, slack_user: str, response_url: str) -> tuple[str, dict[str, str]]:
    body = urlencode(
        {
            "team_id": FakeSlack.TEAM_ID,
            "channel_id": "D" + slack_user.removeprefix("U"),
            "channel_name": "directmessage",
            "user_id": slack_user,
            "command": "/tb",
            "text": text,
            "response_url": response_url,
        }
    )
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=timestamp, body=body)
    return body, {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": signature or "",
    }


async def _timed(request: Awaitable[httpx.Response]) -> tuple[float, float]:
    """(sent at, seconds until the response) for one request that must answer 200; the
    request is a coroutine, so it is sent only when awaited here."""
    started = time.perf_counter()
    response = await request
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
    return started, elapsed


async def _command_round(
    client: httpx.AsyncClient,
    slack: FakeSlack,
    patients: dict[str, list[str]],
    round_number: int,
    concurrency: int,
) -> tuple[list[float], list[float]]:
    users = cycle(patients)
    commands = cycle(COMMANDS)
    requests = []
    for index in range(concurrency):
        slack_user = next(users)
        patient = patients[slack_user][index % len(patients[slack_user])]
        url = slack.response_url(f"r{round_number}-{index}")
        requests.append(_signed(next(commands).format(patient=patient), slack_user, url))
    replies_before = len(slack.calls_to(RESPONSE_URL))
    sent = await asyncio.gather(
        *(
            _timed(client.post("/slack/events", content=body, headers=headers))
            for body, headers in requests
        )
    )
    await slack.wait_for(RESPONSE_URL, replies_before + concurrency, timeout=60)
    arrived = {
        call.path.rsplit("/", 1)[-1]: call.received_at
        for call in slack.calls_to(RESPONSE_URL)[replies_before:]
    }
    acks = [elapsed for _, elapsed in sent]
    replies = [arrived[f"r{round_number}-{i}"] - sent[i][0] for i in range(concurrency)]
    return acks, replies


async def _health_round(client: httpx.AsyncClient, concurrency: int) -> list[float]:
    sent = await asyncio.gather(*(_timed(client.get("/health")) for _ in range(concurrency)))
    return [elapsed for _, elapsed in sent]


async def run(stack: Stack, slack: FakeSlack, rounds: int, concurrency: int) -> None:
    patients = await _link_therapists(stack)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=stack.base_url, limits=limits, timeout=30) as client:
        await _command_round(client, slack, patients, -1, concurrency)  # warm-up, not counted
        await _health_round(client, concurrency)
        acks: list[float] = []
        replies: list[float] = []
        health: list[float] = []
        for number in range(rounds):
            round_acks, round_replies = await _command_round(
                client, slack, patients, number, concurrency
            )
            acks += round_acks
            replies += round_replies
            health += await _health_round(client, concurrency)

    def row(name: str, values: list[float]) -> list[object]:
        return [
            name,
            len(values),
            f"{statistics.median(values) * 1000:.1f} ms",
            f"{percentile(values, 0.99) * 1000:.1f} ms",
            f"{max(values) * 1000:.1f} ms",
        ]

    print_table(
        f"Slack: {rounds} rounds of {concurrency} signed slash commands at once, uvicorn on "
        "127.0.0.1 (target: ack p99 < 300 ms; Slack's limit 3 s)",
        ["measure", "n", "p50", "p99", "max"],
        [
            row("POST /slack/events → ack", acks),
            row("command → ephemeral reply posted", replies),
            row(f"GET /health, {concurrency} at once (baseline)", health),
        ],
    )
    answers = [call.text for call in slack.calls_to(RESPONSE_URL)]
    print_table(
        "Replies",
        ["kind", "count"],
        [
            ["export queued", sum("update this message" in text for text in answers)],
            ["export refused: 30 a minute per user", sum("Not now" in text for text in answers)],
            [
                "status / sessions listing",
                sum(
                    "*Recent sessions" in text or "*Your recent exports" in text for text in answers
                ),
            ],
            [
                "something went wrong (must be 0)",
                sum("Something went wrong" in text for text in answers),
            ],
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=0, help="arq workers running meanwhile")
    args = parser.parse_args()
    with FakeSlackThread() as slack:
        os.environ.update(
            SLACK_BOT_TOKEN=FakeSlack.TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=slack.api_url,
            SLACK_PHI_LEVEL="minimal",
        )
        with running_stack(workers=args.workers) as stack:
            asyncio.run(run(stack, slack, args.rounds, args.concurrency))


if __name__ == "__main__":
    main()

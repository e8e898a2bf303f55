"""The live event stream: events become page events, and a user hears only their own."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from uuid import uuid4

import httpx
import pytest
import uvicorn

from core.enums import Role
from core.events import EventPublisher, encode_event
from tests.factories import make_user
from tests.web.pages.conftest import sign_in
from web.app import create_app
from web.live import page_events


def names(event_type: str, **data: str) -> list[str]:
    return [m.event or "" for m in page_events(encode_event(event_type, uuid4(), data))]


def test_domain_events_become_page_events() -> None:
    assert names("session.status", session_id="s1", status="transcribing") == [
        "session-s1",
        "session-stage",
    ]
    assert names("session.progress", session_id="s1", progress="40") == ["session-s1"]
    assert names("session.risk_flagged", session_id="s1") == ["session-s1", "risk"]
    assert names("export.status", job_id="j1", status="pending") == [
        "export-j1",
        "export-stage",
        "export-created",
    ]
    assert names("export.completed", job_id="j1", status="completed") == [
        "export-j1",
        "export-stage",
    ]
    assert names("something.else") == []


def test_page_events_carry_ids_and_states_only() -> None:
    [message, *_] = page_events(
        encode_event("session.progress", uuid4(), {"session_id": "s1", "progress": 40})
    )
    assert json.loads(str(message.data)) == {"session_id": "s1", "progress": 40}
    assert message.id  # every event moves the browser's Last-Event-ID on


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def server(db: None, redis: object) -> AsyncIterator[str]:
    """The app served over real HTTP on this loop (ASGITransport cannot stream a response)."""
    port = free_port()
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    task = asyncio.create_task(running.serve())
    while not running.started:
        await asyncio.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    await task


async def read_events(response: httpx.Response, until: str) -> list[str]:
    seen = []
    async for line in response.aiter_lines():
        if line.startswith("event: "):
            seen.append(line.removeprefix("event: "))
            if seen[-1] == until:
                return seen
    return seen


async def test_a_user_hears_only_their_own_events(server: str, redis: object) -> None:
    me = await make_user(Role.therapist, email="me@clinic.test")
    other = await make_user(Role.therapist)
    publisher = EventPublisher(redis)  # type: ignore[arg-type]
    async with httpx.AsyncClient(base_url=server, timeout=10) as client:
        await sign_in(client, "me@clinic.test")
        async with client.stream("GET", "/events") as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            await asyncio.sleep(0.2)  # let the subscription reach Redis
            await publisher.publish("export.status", user_id=other, job_id="theirs")
            await publisher.publish("export.status", user_id=me, job_id="mine")
            seen = await asyncio.wait_for(read_events(stream, "export-stage"), 5)
    assert seen == ["export-mine", "export-stage"]


async def test_a_reconnect_is_told_to_resync(server: str) -> None:
    await make_user(Role.therapist, email="me@clinic.test")
    async with httpx.AsyncClient(base_url=server, timeout=10) as client:
        await sign_in(client, "me@clinic.test")
        headers = {"Last-Event-ID": "1700000000.000"}
        async with client.stream("GET", "/events", headers=headers) as stream:
            assert await asyncio.wait_for(read_events(stream, "resync"), 5) == ["resync"]


async def test_the_stream_needs_a_signed_in_user(server: str) -> None:
    async with httpx.AsyncClient(base_url=server, timeout=10) as client:
        response = await client.get("/events", headers={"Accept": "text/event-stream"})
    assert response.status_code == 401

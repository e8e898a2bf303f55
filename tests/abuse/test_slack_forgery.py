"""Forged and replayed Slack requests: refused (401) or processed once, and nothing else changes.

The plain cases (wrong secret, no signature, stale, replay to the same process) are in
tests/bot/test_endpoint.py; these are what an attacker holding one captured request tries next.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from uuid import UUID

import httpx
import pytest
from arq.connections import ArqRedis
from litestar import Litestar

from core.settings import Settings
from core.tables import ExportJob
from tests.abuse.state import system_state
from tests.bot.conftest import (
    command_body,
    fake_slack,
    http,
    signed_headers,
    slack_app,
    slack_settings,
    therapist,
)
from tests.fakes.slack_server import RESPONSE_URL, FakeSlack
from web.app import create_app
from web.state import serve_runtime

__all__ = ["fake_slack", "http", "slack_app", "slack_settings", "therapist"]


Request = tuple[str, dict[str, str]]  # body, headers
FORGERIES: dict[str, Callable[[str], Request]] = {}


def forgery(name: str) -> Callable[[Callable[[str], Request]], Callable[[str], Request]]:
    def register(make: Callable[[str], Request]) -> Callable[[str], Request]:
        FORGERIES[name] = make
        return make

    return register


def export_command(response_url: str) -> str:
    return command_body("export full-record @river", response_url)


def captured(response_url: str, age_seconds: int = 0) -> Request:
    """A harmless request Slack really signed, as an eavesdropper could have kept it."""
    body = command_body("help", response_url)
    return body, signed_headers(body, timestamp=int(time.time()) - age_seconds)


@forgery("body swapped under the signature")
def swapped_body(response_url: str) -> Request:
    _, headers = captured(response_url)
    return export_command(response_url), headers


@forgery("stale signature under a fresh timestamp")
def refreshed_timestamp(response_url: str) -> Request:
    body, headers = captured(response_url, age_seconds=10 * 60)
    return body, {**headers, "x-slack-request-timestamp": str(int(time.time()))}


@forgery("timestamp padded to dodge the replay memory")
def padded_timestamp(response_url: str) -> Request:
    body, headers = captured(response_url)
    return body, {
        **headers,
        "x-slack-request-timestamp": " " + headers["x-slack-request-timestamp"],
    }


@forgery("signature in capitals")
def capitals(response_url: str) -> Request:
    body, headers = captured(response_url)
    signature = headers["x-slack-signature"]
    return body, {**headers, "x-slack-signature": "v0=" + signature[3:].upper()}


@forgery("another scheme version")
def other_version(response_url: str) -> Request:
    body, headers = captured(response_url)
    return body, {**headers, "x-slack-signature": "v1" + headers["x-slack-signature"][2:]}


@forgery("signature truncated")
def truncated(response_url: str) -> Request:
    body, headers = captured(response_url)
    return body, {**headers, "x-slack-signature": headers["x-slack-signature"][:-8]}


@pytest.mark.parametrize("name", FORGERIES)
async def test_a_forgery_is_refused_and_changes_nothing(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID, queue: ArqRedis, name: str
) -> None:
    body, headers = FORGERIES[name](fake_slack.response_url())
    before = await system_state(queue)
    response = await http.post("/slack/events", content=body, headers=headers)
    assert response.status_code == 401
    assert response.text == "invalid or stale request signature"
    await asyncio.sleep(0.2)  # room for any (wrong) background work to show
    assert await system_state(queue) == before
    assert fake_slack.calls == []


@pytest.fixture
async def second_web_process(db: None, slack_settings: Settings) -> AsyncIterator[Litestar]:
    """Another instance of the web app on the same database and Redis, as behind a balancer."""
    application = create_app(slack_settings)
    async with serve_runtime(application):
        yield application


async def test_a_replay_to_another_web_process_is_processed_once(
    http: httpx.AsyncClient,
    second_web_process: Litestar,
    fake_slack: FakeSlack,
    therapist: UUID,
) -> None:
    body = export_command(fake_slack.response_url())
    headers = signed_headers(body)
    transport = httpx.ASGITransport(app=second_web_process)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        answers = await asyncio.gather(
            http.post("/slack/events", content=body, headers=headers),
            other.post("/slack/events", content=body, headers=headers),
        )
    assert [answer.status_code for answer in answers] == [200, 200]
    await fake_slack.wait_for(RESPONSE_URL)
    await asyncio.sleep(0.3)  # room for a second (wrong) run to show
    assert await ExportJob.count() == 1
    assert len(fake_slack.calls_to(RESPONSE_URL)) == 1

"""`POST /slack/events`: signatures, staleness, replays, and an ack that never waits."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from urllib.parse import urlencode
from uuid import UUID

import httpx
import pytest
from litestar import Litestar

from bot import handlers
from core.access import Actor
from core.settings import Settings
from core.tables import ExportJob
from tests.bot.conftest import SIGNING_SECRET, command_body, post_signed, signed_headers
from tests.fakes.slack_server import RESPONSE_URL, FakeSlack
from web.app import create_app
from web.state import serve_runtime


async def test_a_forged_signature_is_refused_and_not_logged(
    http: httpx.AsyncClient,
    fake_slack: FakeSlack,
    therapist: UUID,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    body = command_body("export full-record @river", fake_slack.response_url())
    response = await post_signed(http, body, secret="not-the-signing-secret")
    assert response.status_code == 401
    assert await ExportJob.count() == 0
    assert fake_slack.calls == []
    assert "river" not in caplog.text


async def test_a_handled_command_leaves_no_patient_data_in_the_logs(
    http: httpx.AsyncClient,
    fake_slack: FakeSlack,
    therapist: UUID,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await post_signed(http, command_body("export full-record @river", fake_slack.response_url()))
    [reply] = await fake_slack.wait_for(RESPONSE_URL)
    assert "@river" in reply.text
    assert "river" not in caplog.text.lower()


async def test_a_request_without_signature_is_refused(http: httpx.AsyncClient) -> None:
    response = await http.post("/slack/events", content=b"command=%2Ftb&text=help")
    assert response.status_code == 401


async def test_a_stale_timestamp_is_refused(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID
) -> None:
    body = command_body("export full-record @river", fake_slack.response_url())
    six_minutes_ago = int(time.time()) - 6 * 60
    response = await post_signed(http, body, timestamp=six_minutes_ago)
    assert response.status_code == 401
    assert await ExportJob.count() == 0


async def test_a_replayed_command_makes_one_job(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID
) -> None:
    body = command_body("export full-record @river", fake_slack.response_url())
    headers = signed_headers(body)
    first = await http.post("/slack/events", content=body, headers=headers)
    second = await http.post("/slack/events", content=body, headers=headers)
    assert (first.status_code, second.status_code) == (200, 200)
    await fake_slack.wait_for(RESPONSE_URL)
    await asyncio.sleep(0.2)  # room for a second (wrong) run to show up
    assert await ExportJob.count() == 1
    assert len(fake_slack.calls_to(RESPONSE_URL)) == 1


async def test_the_ack_does_not_wait_for_the_database(
    http: httpx.AsyncClient,
    fake_slack: FakeSlack,
    therapist: UUID,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The identity lookup is held until the HTTP answer has arrived: if the ack waited for
    it, the request would never complete."""
    database_answers = asyncio.Event()
    real_lookup = handlers.actor_for_slack_user

    async def slow_lookup(slack_user_id: str) -> Actor | None:
        await database_answers.wait()
        return await real_lookup(slack_user_id)

    monkeypatch.setattr(handlers, "actor_for_slack_user", slow_lookup)
    body = command_body("export full-record @river", fake_slack.response_url())
    response = await asyncio.wait_for(post_signed(http, body), timeout=3)
    assert response.status_code == 200
    assert response.content == b""  # an empty ack: the answer follows on the response URL
    assert await ExportJob.count() == 0
    database_answers.set()
    await fake_slack.wait_for(RESPONSE_URL)
    assert await ExportJob.count() == 1


async def test_malformed_arguments_are_answered_in_the_ack(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID
) -> None:
    body = command_body("export progress-report @river last fortnight", fake_slack.response_url())
    response = await post_signed(http, body)
    assert response.status_code == 200
    assert "is not a period" in response.json()["text"]
    assert await ExportJob.count() == 0


async def test_help_is_the_ack(http: httpx.AsyncClient, fake_slack: FakeSlack) -> None:
    response = await post_signed(http, command_body("help", fake_slack.response_url()))
    assert "/tb export progress-report" in json.dumps(response.json()["blocks"])


async def test_url_verification_is_answered(http: httpx.AsyncClient) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    response = await http.post(
        "/slack/events",
        content=body,
        headers={**signed_headers(body), "content-type": "application/json"},
    )
    assert response.status_code == 200
    assert response.json() == {"challenge": "abc123"}


@pytest.fixture
async def app_without_slack(db: None, redis: object, settings: Settings) -> AsyncIterator[Litestar]:
    application = create_app(settings.model_copy(update={"slack_bot_token": None}))
    async with serve_runtime(application):
        yield application


async def test_without_a_token_slack_is_off(app_without_slack: Litestar) -> None:
    transport = httpx.ASGITransport(app=app_without_slack)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        body = urlencode({"command": "/tb", "text": "help"})
        response = await client.post(
            "/slack/events", content=body, headers=signed_headers(body, secret=SIGNING_SECRET)
        )
    assert response.status_code == 503
    assert "SLACK_BOT_TOKEN" in response.text

"""Slack tests: a fake Slack Web API, settings pointing at it, and requests signed as Slack does."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

import httpx
import pytest
from litestar import Litestar
from slack_sdk.signature import SignatureVerifier

from core.enums import Role
from core.settings import Settings
from core.tables import User
from tests.factories import make_patient_of, make_user
from tests.fakes.slack_server import FakeSlack
from web.app import create_app
from web.state import serve_runtime

SIGNING_SECRET = "fake-signing-secret"
SLACK_USER = "U0THERAPIST"
DM_CHANNEL = "D0THERAPIST"
TEAM_CHANNEL = "C0CLINIC"


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        yield server


def settings_for(settings: Settings, fake_slack: FakeSlack) -> Settings:
    """Slack on, talking to the fake."""
    return settings.model_copy(
        update={
            "slack_bot_token": FakeSlack.TOKEN,
            "slack_signing_secret": SIGNING_SECRET,
            "slack_api_url": fake_slack.api_url,
            "public_url": "https://tb.example.org",
        }
    )


@pytest.fixture
def slack_settings(settings: Settings, fake_slack: FakeSlack) -> Settings:
    return settings_for(settings, fake_slack)


@pytest.fixture
async def slack_app(db: None, redis: object, slack_settings: Settings) -> AsyncIterator[Litestar]:
    application = create_app(slack_settings)
    async with serve_runtime(application):
        yield application


@pytest.fixture
async def http(slack_app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=slack_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def link_slack(user_id: UUID, slack_user_id: str = SLACK_USER) -> None:
    await User.update({User.slack_user_id: slack_user_id}).where(User.id == user_id)


async def make_linked_therapist() -> UUID:
    """A therapist linked to SLACK_USER, with one patient `@river`."""
    therapist_id = await make_user(Role.therapist, full_name="Dr Ada Stone")
    await make_patient_of(therapist_id, handle="river", full_name="River Song")
    await link_slack(therapist_id)
    return therapist_id


@pytest.fixture
async def therapist(db: None) -> UUID:
    return await make_linked_therapist()


def signed_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """The headers Slack sends: `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    assert signature is not None
    return {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": stamp,
        "x-slack-signature": signature,
    }


def command_body(
    text: str,
    response_url: str,
    *,
    user_id: str = SLACK_USER,
    channel_id: str = DM_CHANNEL,
) -> str:
    """A slash command as Slack posts it: a URL-encoded form."""
    fields: dict[str, Any] = {
        "token": "deprecated-verification-token",
        "team_id": FakeSlack.TEAM_ID,
        "team_domain": "fake-clinic",
        "channel_id": channel_id,
        "channel_name": "directmessage" if channel_id.startswith("D") else "clinic",
        "user_id": user_id,
        "user_name": "ada",
        "command": "/tb",
        "text": text,
        "api_app_id": "A0TB",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": "1.2.3",
    }
    return urlencode(fields)


async def post_signed(http: httpx.AsyncClient, body: str, **sign: Any) -> httpx.Response:
    return await http.post("/slack/events", content=body, headers=signed_headers(body, **sign))

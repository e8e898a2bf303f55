"""`/tb` conversations end to end: signed request in, ephemeral reply on the response URL."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

import httpx
import pytest

from bot import app as bot_app
from core.enums import ExportType, Role, SessionStatus
from core.slack_link import create_link_code
from core.tables import ExportJob, User
from tests.bot.conftest import (
    DM_CHANNEL,
    SLACK_USER,
    command_body,
    post_signed,
    signed_headers,
)
from tests.factories import make_patient_of, make_session, make_user
from tests.fakes.slack_server import RESPONSE_URL, FakeSlack, SlackCall


async def run(http: httpx.AsyncClient, slack: FakeSlack, text: str, **fields: str) -> SlackCall:
    """Send `/tb text` and return the reply posted to its response URL."""
    before = len(slack.calls_to(RESPONSE_URL))
    response = await post_signed(http, command_body(text, slack.response_url(), **fields))
    assert response.status_code == 200
    replies = await slack.wait_for(RESPONSE_URL, before + 1)
    return replies[before]


async def test_an_unlinked_user_is_told_how_to_link(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID
) -> None:
    reply = await run(http, fake_slack, "export full-record @river", user_id="U0STRANGER")
    assert reply.params["response_type"] == "ephemeral"
    assert "not linked" in reply.params["text"]
    assert "/tb link CODE" in reply.params["text"]
    assert await ExportJob.count() == 0


async def test_another_therapists_patient_is_not_found_nor_suggested(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID
) -> None:
    colleague = await make_user(Role.therapist)
    await make_patient_of(colleague, handle="riven")
    await make_patient_of(colleague, handle="sky")
    reply = await run(http, fake_slack, "export full-record @sky")
    assert "None of your patients has the handle `@sky`" in reply.params["text"]
    reply = await run(http, fake_slack, "export full-record @rive")
    assert "@river" in reply.text
    assert "riven" not in reply.text
    assert await ExportJob.count() == 0


def _button_click(call: SlackCall, response_url: str) -> str:
    button = call.params["blocks"][1]["elements"][0]
    payload: dict[str, Any] = {
        "type": "block_actions",
        "token": "deprecated-verification-token",
        "api_app_id": "A0TB",
        "team": {"id": FakeSlack.TEAM_ID},
        "user": {"id": SLACK_USER},
        "channel": {"id": DM_CHANNEL},
        "container": {"type": "message", "channel_id": DM_CHANNEL, "is_ephemeral": True},
        "response_url": response_url,
        "trigger_id": "1.2.3",
        "actions": [{**button, "block_id": "suggestions", "action_ts": "1700000000.1"}],
    }
    return urlencode({"payload": json.dumps(payload)})


async def test_a_suggestion_button_makes_the_export(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID
) -> None:
    suggestion = await run(http, fake_slack, "export treatment-summary @rivr docx")
    assert await ExportJob.count() == 0
    click_url = fake_slack.response_url("click")
    response = await post_signed(http, _button_click(suggestion, click_url))
    assert response.status_code == 200
    reply = (await fake_slack.wait_for(RESPONSE_URL, 2))[1]
    assert reply.path == "/hooks/click" and reply.params["replace_original"] is True
    job = await ExportJob.select().output(load_json=True).first()
    assert (job["export_type"], job["format"]) == (ExportType.treatment_summary, "docx")
    assert f"job `{str(job['id'])[:8]}`" in reply.params["text"]


async def test_an_export_request_records_where_to_deliver(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID
) -> None:
    reply = await run(http, fake_slack, "export progress-report @river 2025-01-01..2025-03-31")
    job = await ExportJob.select().output(load_json=True).first()
    assert job["parameters"]["start_date"] == "2025-01-01"
    assert job["delivery"] == {
        "slack": {
            "user_id": SLACK_USER,
            "channel_id": DM_CHANNEL,
            "team_id": FakeSlack.TEAM_ID,
            "response_url": fake_slack.response_url(),
        }
    }
    assert "Progress report (pdf) for @river — pending" in reply.params["text"]


async def test_session_notes_need_a_processed_session(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID
) -> None:
    reply = await run(http, fake_slack, "export session-notes @river")
    assert "`@river` has no processed sessions yet" in reply.params["text"]
    assert await ExportJob.count() == 0

    river = await User.select(User.id).where(User.handle == "river").first()
    older = await make_session(
        therapist,
        river["id"],
        SessionStatus.processed,
        session_date=datetime(2025, 3, 4, tzinfo=UTC),
    )
    await make_session(therapist, river["id"], SessionStatus.processed)
    await run(http, fake_slack, "export session-notes @river 2025-03-04")
    job = await ExportJob.select().output(load_json=True).first()
    assert job["parameters"]["session_ids"] == [str(older)]


async def test_link_code_links_the_slack_user(
    http: httpx.AsyncClient, fake_slack: FakeSlack, db: None
) -> None:
    therapist = await make_user(Role.therapist, full_name="Dr Ben Okafor")
    code = await create_link_code(therapist)
    reply = await run(http, fake_slack, f"link {code.lower()}", user_id="U0NEWCOMER")
    assert "Dr Ben Okafor" in reply.params["text"]
    row = await User.select(User.slack_user_id).where(User.id == therapist).first()
    assert row["slack_user_id"] == "U0NEWCOMER"
    reply = await run(http, fake_slack, f"link {code}", user_id="U0SOMEONE")
    assert "unknown, already used or expired" in reply.params["text"]


async def test_status_lists_jobs_and_finds_one_by_its_short_id(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID
) -> None:
    await run(http, fake_slack, "export full-record @river")
    await run(http, fake_slack, "export treatment-summary @river")
    listing = await run(http, fake_slack, "status")
    assert "Full record (pdf) for @river — pending" in listing.text
    assert "Treatment summary (pdf) for @river — pending" in listing.text
    job = await ExportJob.select(ExportJob.id).where(ExportJob.export_type == "full_record").first()
    one = await run(http, fake_slack, f"status {str(job['id'])[:8]}")
    assert "Full record" in one.text and "Treatment summary" not in one.text
    missing = await run(http, fake_slack, "status 0000beef")
    assert "None of your exports has the id `0000beef`" in missing.params["text"]


async def test_sessions_lists_recent_sessions_with_links(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID
) -> None:
    river = await User.select(User.id).where(User.handle == "river").first()
    session = await make_session(therapist, river["id"], SessionStatus.processed)
    reply = await run(http, fake_slack, "sessions @river")
    assert f"https://tb.example.org/sessions/{session}" in reply.text
    assert "@river" in reply.text


@pytest.mark.parametrize("linked", [True, False])
async def test_app_home_lists_work_without_naming_patients(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID, linked: bool
) -> None:
    river = await User.select(User.id).where(User.handle == "river").first()
    session = await make_session(therapist, river["id"], SessionStatus.processed)
    user = SLACK_USER if linked else "U0STRANGER"
    event = {
        "token": "deprecated-verification-token",
        "team_id": FakeSlack.TEAM_ID,
        "api_app_id": "A0TB",
        "type": "event_callback",
        "event_id": "Ev0HOME",
        "event_time": 1_700_000_000,
        "event": {
            "type": "app_home_opened",
            "user": user,
            "channel": DM_CHANNEL,
            "tab": "home",
            "event_ts": "1700000000.1",
        },
    }
    body = json.dumps(event)
    headers = {**signed_headers(body), "content-type": "application/json"}
    response = await http.post("/slack/events", content=body, headers=headers)
    assert response.status_code == 200
    [published] = await fake_slack.wait_for("views.publish")
    assert published.params["user_id"] == user
    view = json.dumps(published.params["view"])
    assert "river" not in view.lower()
    assert (f"/sessions/{session}" in view) is linked


async def test_a_failing_listener_is_logged_without_its_message(
    http: httpx.AsyncClient,
    therapist: UUID,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(*args: object) -> None:
        raise RuntimeError("Jordan Ellis's record")  # what an exception may quote

    monkeypatch.setattr(bot_app, "publish_home", broken)
    event = {
        "token": "deprecated-verification-token",
        "team_id": FakeSlack.TEAM_ID,
        "api_app_id": "A0TB",
        "type": "event_callback",
        "event_id": "Ev0BROKEN",
        "event_time": 1_700_000_000,
        "event": {"type": "app_home_opened", "user": SLACK_USER, "tab": "home"},
    }
    body = json.dumps(event)
    headers = {**signed_headers(body), "content-type": "application/json"}
    with caplog.at_level(logging.INFO):
        assert (await http.post("/slack/events", content=body, headers=headers)).status_code == 200
        for _ in range(100):  # the listener runs after the acknowledgement
            if "a Slack listener failed" in caplog.text:
                break
            await asyncio.sleep(0.05)
    assert "a Slack listener failed: RuntimeError" in caplog.text
    assert "Jordan Ellis" not in caplog.text

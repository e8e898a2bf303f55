"""What messages say at each SLACK_PHI_LEVEL: pure, no database."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest

from bot import blocks
from bot.patients import NoSuchPatient
from bot.phi import is_direct_message, may_upload_document, patient_label
from core.extracted_notes import RiskFlag, RiskType, Severity
from core.settings import Settings

FLAGS = [
    RiskFlag(type=RiskType.self_harm, severity=Severity.medium, evidence="I cut myself last week"),
    RiskFlag(
        type=RiskType.suicidal_ideation_active,
        severity=Severity.high,
        evidence="I have a plan <for> it",
    ),
]


def test_patient_labels_follow_the_level() -> None:
    assert patient_label("none", "river", "River Song") == "one of your patients"
    assert patient_label("minimal", "river", "River Song") == "@river"
    assert patient_label("full", "river", "River Song") == "River Song (@river)"


def test_the_risk_alert_is_urgent_and_orders_by_severity() -> None:
    message = blocks.risk_alert_message(uuid4(), "@river", FLAGS, Settings(), quote=False)
    text = json.dumps(message)
    assert "Urgent" in message["text"]
    assert text.index("Suicidal ideation active") < text.index("Self harm")
    assert "severity *high*" in text
    assert "I have a plan" not in text and "I cut myself" not in text


def test_the_risk_alert_quotes_only_when_allowed_and_escaped() -> None:
    message = blocks.risk_alert_message(uuid4(), "@river", FLAGS, Settings(), quote=True)
    text = json.dumps(message)
    assert "I have a plan &lt;for&gt; it" in text


def test_session_notice_links_to_the_dashboard() -> None:
    session_id = uuid4()
    settings = Settings(public_url="https://tb.example.org/")
    message = blocks.session_processed_message(session_id, "@river", settings)
    assert f"https://tb.example.org/sessions/{session_id}" in json.dumps(message)


def test_suggestion_buttons_carry_the_command_for_each_handle() -> None:
    message = blocks.choose_patient_message(
        NoSuchPatient("jo", ["joan", "john"]), lambda handle: f"sessions @{handle}"
    )
    buttons = message["blocks"][1]["elements"]
    assert [b["value"] for b in buttons] == ["sessions @joan", "sessions @john"]
    assert len({b["action_id"] for b in buttons}) == 2  # unique within the block, as Slack requires


def test_no_suggestions_no_buttons() -> None:
    message = blocks.choose_patient_message(NoSuchPatient("zed", []), str)
    assert [block["type"] for block in message["blocks"]] == ["section"]


@pytest.mark.parametrize(
    ("level", "files_in_channels", "channel", "allowed"),
    [
        ("minimal", False, "D0DM", True),
        ("minimal", False, "C0CHANNEL", False),
        ("minimal", True, "C0CHANNEL", True),
        ("full", False, "G0PRIVATE", False),
        ("none", True, "D0DM", False),
    ],
)
def test_where_documents_may_go(
    level: str, files_in_channels: bool, channel: str, allowed: bool
) -> None:
    settings = Settings(slack_phi_level=level, slack_files_in_channels=files_in_channels)
    assert may_upload_document(settings, channel) is allowed
    assert is_direct_message(channel) is channel.startswith("D")

"""How much patient data may go to Slack: the one place SLACK_PHI_LEVEL is interpreted.

- `none`: no patient identifiers and no documents; messages say what happened and link to
  the dashboard.
- `minimal`: the patient's handle; documents go to the requester's direct messages, and to
  channels only when SLACK_FILES_IN_CHANNELS allows it.
- `full`: also the patient's name, and the patient's words behind a risk flag.
"""

from __future__ import annotations

from typing import Literal

from bot.blocks import escape
from core.settings import Settings

PhiLevel = Literal["none", "minimal", "full"]
UNNAMED = "one of your patients"


def patient_label(level: PhiLevel, handle: str, full_name: str = "") -> str:
    """How messages name the patient (mrkdwn-safe)."""
    if level == "none":
        return UNNAMED
    if level == "full" and full_name:
        return f"{escape(full_name)} (@{handle})"
    return f"@{handle}"


def may_quote_patient(level: PhiLevel) -> bool:
    return level == "full"


def is_direct_message(channel_id: str) -> bool:
    """Slack's ids say the kind of conversation: D… is a direct message."""
    return channel_id.startswith("D")


def may_upload_document(settings: Settings, channel_id: str) -> bool:
    if settings.slack_phi_level == "none":
        return False
    return is_direct_message(channel_id) or settings.slack_files_in_channels

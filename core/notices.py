"""Where work is announced when it ends: the typed delivery an export job keeps, and the
notifier protocol the worker calls. The dashboard needs neither (it shows every job and follows
events); a notifier is one more channel, today Slack's (bot/notifier.py).

An export job's `delivery` column holds `Delivery.model_dump()`: `{}` for the dashboard only,
or `{"slack": {"user_id", "channel_id", "team_id", "response_url"}}` to answer in Slack — the
requester's channel (a slash command) or a schedule's.
"""

from __future__ import annotations

from typing import Any, Protocol
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class SlackDelivery(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: str  # who asked, as Slack knows them: the reply and any DM go to them
    channel_id: str  # where the document goes if the app may post there
    team_id: str = ""
    response_url: str | None = None  # the slash command's reply, updated in place


class Delivery(BaseModel):
    model_config = ConfigDict(frozen=True)

    slack: SlackDelivery | None = None

    @classmethod
    def of(cls, stored: dict[str, Any] | None) -> Delivery:
        return cls.model_validate(stored or {})

    def stored(self) -> dict[str, Any]:
        """The column's value: `{}` for the dashboard only, else the channels named."""
        return {"slack": self.slack.model_dump()} if self.slack else {}


class Notifier(Protocol):
    """Announces finished work somewhere; safe to call twice (it remembers what it sent)."""

    async def session_processed(self, session_id: UUID) -> None: ...

    async def export_finished(self, job_id: UUID) -> None: ...

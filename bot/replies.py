"""Who asked, and answering them through the command's response URL within Slack's limits.

A response URL takes at most 5 posts within 30 minutes. The count lives in Redis so the web
process (the command's replies) and the worker (the job's outcome) share it. When the posts
are spent or Slack refuses the URL, the caller falls back to a direct message.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass
from typing import Any

import aiohttp
from redis.asyncio import Redis

from bot.blocks import Message
from bot.client import webhook_client
from core.audit import RequestOrigin
from core.notices import Delivery, SlackDelivery

logger = logging.getLogger(__name__)

RESPONSE_URL_POSTS = 5
RESPONSE_URL_LIFETIME_SECONDS = 30 * 60


@dataclass(frozen=True)
class Requester:
    """The Slack user behind a command, and where it was typed. Ids only, no PHI."""

    user_id: str
    channel_id: str
    team_id: str
    response_url: str | None

    @classmethod
    def from_command(cls, body: dict[str, Any]) -> Requester:
        return cls(
            body["user_id"], body["channel_id"], body.get("team_id", ""), body.get("response_url")
        )

    @classmethod
    def from_action(cls, body: dict[str, Any]) -> Requester:
        channel = (body.get("channel") or {}).get("id") or body["container"]["channel_id"]
        team = (body.get("team") or {}).get("id", "")
        return cls(body["user"]["id"], channel, team, body.get("response_url"))

    @classmethod
    def from_delivery(cls, delivery: Delivery) -> Requester | None:
        """From an export job's delivery; None when the job is not for Slack."""
        slack = delivery.slack
        if slack is None:
            return None
        return cls(slack.user_id, slack.channel_id, slack.team_id, slack.response_url)

    def delivery(self) -> Delivery:
        """What an export job keeps to deliver its document here."""
        return Delivery(slack=SlackDelivery(**asdict(self)))

    @property
    def origin(self) -> RequestOrigin:
        return RequestOrigin(ip_address=None, user_agent=f"slack:{self.team_id}/{self.user_id}")


def _counter_key(response_url: str) -> str:
    return f"tb:slack:response-url:{hashlib.sha256(response_url.encode()).hexdigest()}"


async def reply(redis: Redis, requester: Requester, message: Message, *, replace: bool) -> bool:
    """Post an ephemeral reply (or replace the last one); False when it could not be posted."""
    if requester.response_url is None:
        return False
    key = _counter_key(requester.response_url)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.set(key, 0, ex=RESPONSE_URL_LIFETIME_SECONDS, nx=True)
        pipe.incr(key)
        _, posts = await pipe.execute()
    if posts > RESPONSE_URL_POSTS:
        return False
    body = {"response_type": "ephemeral", "replace_original": replace, **message}
    try:
        response = await webhook_client(requester.response_url).send_dict(body)
    except (aiohttp.ClientError, TimeoutError) as error:
        logger.warning("response_url post failed: %s", type(error).__name__)
        return False
    if response.status_code != 200:
        logger.warning("response_url refused the post (HTTP %s)", response.status_code)
    return response.status_code == 200

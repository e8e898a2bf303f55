"""Who a Slack user is in TherapyBridge: the account they linked with `/tb link CODE`."""

from __future__ import annotations

from core.access import Actor, load_actor
from core.tables import User


async def actor_for(slack_user_id: str) -> Actor | None:
    """The linked, active account; None when the Slack user has not linked one."""
    row = await User.select(User.id).where(User.slack_user_id == slack_user_id).first()
    return await load_actor(row["id"]) if row else None

"""Linking a Slack account to a TherapyBridge user with a one-time code.

The dashboard shows a short code once; the user types `/tb link CODE` in Slack within
CODE_TTL_MINUTES. Only the code's SHA-256 is stored, a code works once, and making a new code
cancels the user's unused ones. A Slack account belongs to one user at a time: linking it to a
new user unlinks it from the previous one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from uuid import UUID

from core.access import Actor, load_actor
from core.tables import SlackLinkCode, User

CODE_TTL_MINUTES = 10
# No 0/O or 1/I: the code is read off a screen and typed.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def normalise_code(code: str) -> str:
    """What the user typed, as it was issued: case, spaces and the dash do not matter."""
    return "".join(code.split()).replace("-", "").upper()


def _digest(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


async def create_link_code(user_id: UUID) -> str:
    """A new code for the user, shown as `ABCD-EFGH`; the plaintext exists only in the answer."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    async with SlackLinkCode._meta.db.transaction():
        await SlackLinkCode.delete().where(
            (SlackLinkCode.user_id == user_id) & SlackLinkCode.used_at.is_null()
        )
        await SlackLinkCode(
            user_id=user_id,
            code_hash=_digest(raw),
            expires_at=datetime.now(UTC) + timedelta(minutes=CODE_TTL_MINUTES),
        ).save()
    half = CODE_LENGTH // 2
    return f"{raw[:half]}-{raw[half:]}"


async def consume_link_code(code: str, slack_user_id: str) -> UUID | None:
    """Link the Slack account to the code's user; None if the code is unknown, used or expired."""
    now = datetime.now(UTC)
    async with SlackLinkCode._meta.db.transaction():
        used = (
            await SlackLinkCode.update({SlackLinkCode.used_at: now})
            .where(
                (SlackLinkCode.code_hash == _digest(code))
                & SlackLinkCode.used_at.is_null()
                & (SlackLinkCode.expires_at > now)
            )
            .returning(SlackLinkCode.user_id)
        )
        if not used:
            return None
        user_id: UUID = used[0]["user_id"]
        await User.update({User.slack_user_id: None}).where(
            (User.slack_user_id == slack_user_id) & (User.id != user_id)
        )
        await User.update({User.slack_user_id: slack_user_id, User.updated_at: now}).where(
            User.id == user_id
        )
    return user_id


async def linked_slack_user(user_id: UUID) -> str | None:
    row = await User.select(User.slack_user_id).where(User.id == user_id).first()
    return row["slack_user_id"] if row else None


async def unlink_slack(user_id: UUID) -> None:
    await User.update({User.slack_user_id: None, User.updated_at: datetime.now(UTC)}).where(
        User.id == user_id
    )


async def actor_for_slack_user(slack_user_id: str) -> Actor | None:
    """The linked, active account; None when the Slack user has not linked one."""
    row = await User.select(User.id).where(User.slack_user_id == slack_user_id).first()
    return await load_actor(row["id"]) if row else None

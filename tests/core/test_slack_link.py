"""Slack link codes: shown once, stored hashed, single use, short-lived."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.enums import Role
from core.slack_link import (
    consume_link_code,
    create_link_code,
    linked_slack_user,
    normalise_code,
    unlink_slack,
)
from core.tables import SlackLinkCode
from tests.factories import make_user


def test_codes_are_read_forgivingly() -> None:
    assert normalise_code(" abcd-efgh ") == "ABCDEFGH"


async def test_a_code_links_once(db: None) -> None:
    user = await make_user(Role.therapist)
    code = await create_link_code(user)
    assert len(code) == 9 and code[4] == "-"
    stored = await SlackLinkCode.select(SlackLinkCode.code_hash).first()
    assert code.replace("-", "") not in stored["code_hash"]
    assert await consume_link_code(code.lower(), "U1") == user
    assert await linked_slack_user(user) == "U1"
    assert await consume_link_code(code, "U2") is None  # used
    await unlink_slack(user)
    assert await linked_slack_user(user) is None


async def test_expired_and_replaced_codes_do_not_link(db: None) -> None:
    user = await make_user(Role.therapist)
    first = await create_link_code(user)
    second = await create_link_code(user)
    assert await consume_link_code(first, "U1") is None  # a new code cancels the old one
    await SlackLinkCode.update(
        {SlackLinkCode.expires_at: datetime.now(UTC) - timedelta(seconds=1)}
    ).where(SlackLinkCode.user_id == user)
    assert await consume_link_code(second, "U1") is None
    assert await linked_slack_user(user) is None


async def test_a_slack_account_moves_to_the_newest_link(db: None) -> None:
    first, second = await make_user(Role.therapist), await make_user(Role.therapist)
    await consume_link_code(await create_link_code(first), "U1")
    await consume_link_code(await create_link_code(second), "U1")
    assert await linked_slack_user(first) is None
    assert await linked_slack_user(second) == "U1"

"""RequestGuard: Slack's signature scheme, its five-minute window, and single use."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis
from slack_sdk.signature import SignatureVerifier

from bot.verification import MAX_AGE_SECONDS, RequestGuard, Verdict

SECRET = "guard-secret"
NOW = 1_750_000_000.0
BODY = b"command=%2Ftb&text=help"


def headers(timestamp: str, body: bytes = BODY, secret: str = SECRET) -> dict[str, str]:
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    return {"x-slack-request-timestamp": timestamp, "x-slack-signature": signature or ""}


@pytest.fixture
def guard(redis: Redis) -> RequestGuard:
    return RequestGuard(SECRET, redis, clock=lambda: NOW)


async def test_accepted_once_then_a_replay(guard: RequestGuard) -> None:
    signed = headers(str(int(NOW)))
    assert await guard.check(BODY, signed) is Verdict.accept
    assert await guard.check(BODY, signed) is Verdict.replay


@pytest.mark.parametrize(
    "sent",
    [
        pytest.param(headers(str(int(NOW - MAX_AGE_SECONDS - 1))), id="too old"),
        pytest.param(headers(str(int(NOW + MAX_AGE_SECONDS + 1))), id="from the future"),
        pytest.param(headers(str(int(NOW)), secret="other"), id="another secret"),
        pytest.param(headers(str(int(NOW)), body=b"text=other"), id="another body"),
        pytest.param({"x-slack-request-timestamp": "soon", "x-slack-signature": "v0=0"}, id="junk"),
        pytest.param({}, id="unsigned"),
    ],
)
async def test_refused(guard: RequestGuard, sent: dict[str, str]) -> None:
    assert await guard.check(BODY, sent) is Verdict.refuse


async def test_a_refused_request_leaves_no_mark(guard: RequestGuard, redis: Redis) -> None:
    await guard.check(BODY, headers(str(int(NOW)), secret="other"))
    assert await redis.keys("tb:slack:seen:*") == []


async def test_a_body_that_is_not_utf8_is_refused(guard: RequestGuard) -> None:
    assert await guard.check(b"\xff\xfe", headers(str(int(NOW)))) is Verdict.refuse

"""Personal API tokens: shown once, stored as a hash, revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from core.access import Actor
from core.enums import Role
from core.errors import Invalid
from core.tables import ApiToken

LAST_USED_PRECISION = timedelta(minutes=1)  # a write per minute of use, not per request
TOKEN_PREFIX = "tb_"  # noqa: S105 - a marker, not a secret


@dataclass(frozen=True)
class IssuedToken:
    id: UUID
    name: str
    token: str  # the only time the plaintext exists


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(user_id: UUID, name: str) -> IssuedToken:
    name = name.strip()
    if not name or len(name) > 100:
        raise Invalid("a token needs a name of 1-100 characters")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user_id, name=name, token_hash=_digest(token), prefix=token[:10])
    await row.save()
    return IssuedToken(row.id, name, token)


# Every API request runs this, so it is fixed SQL (prepared once per connection by asyncpg)
# rather than a query piccolo would build anew each time.
_OWNER_BY_DIGEST = """
    SELECT t.id, t.last_used_at, u.id AS user_id, u.role, u.full_name, u.handle
    FROM api_tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = {} AND t.revoked_at IS NULL AND u.active
"""


async def authenticate(token: str) -> Actor | None:
    """The active user behind a live token (one query; `last_used_at` kept to the minute)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    rows = await ApiToken.raw(_OWNER_BY_DIGEST, _digest(token))
    if not rows:
        return None
    row = rows[0]
    now = datetime.now(UTC)
    if row["last_used_at"] is None or now - row["last_used_at"] > LAST_USED_PRECISION:
        await ApiToken.update({ApiToken.last_used_at: now}).where(ApiToken.id == row["id"])
    return Actor(row["user_id"], Role(row["role"]), row["full_name"], row["handle"])


async def revoke_token(user_id: UUID, token_id: UUID) -> bool:
    rows = (
        await ApiToken.update({ApiToken.revoked_at: datetime.now(UTC)})
        .where(
            (ApiToken.id == token_id)
            & (ApiToken.user_id == user_id)
            & ApiToken.revoked_at.is_null()
        )
        .returning(ApiToken.id)
    )
    return bool(rows)


async def list_tokens(user_id: UUID) -> list[dict[str, object]]:
    return (
        await ApiToken.select(
            ApiToken.id,
            ApiToken.name,
            ApiToken.prefix,
            ApiToken.created_at,
            ApiToken.last_used_at,
            ApiToken.revoked_at,
        )
        .where(ApiToken.user_id == user_id)
        .order_by(ApiToken.created_at, ascending=False)
    )

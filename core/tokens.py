"""Personal API tokens: shown once, stored as a hash, revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from core.access import Actor, load_actor
from core.tables import ApiToken

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
        raise ValueError("a token needs a name of 1-100 characters")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user_id, name=name, token_hash=_digest(token), prefix=token[:10])
    await row.save()
    return IssuedToken(row.id, name, token)


async def authenticate(token: str) -> Actor | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = (
        await ApiToken.select(ApiToken.id, ApiToken.user_id)
        .where((ApiToken.token_hash == _digest(token)) & ApiToken.revoked_at.is_null())
        .first()
    )
    if row is None:
        return None
    await ApiToken.update({ApiToken.last_used_at: datetime.now(UTC)}).where(
        ApiToken.id == row["id"]
    )
    return await load_actor(row["user_id"])


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

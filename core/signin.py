"""Signing in to the dashboard: a password check, and a lockout after repeated failures.

Failures are counted per email address in Redis whether or not an account has that address,
and a missing account costs the same argon2 verification as a wrong password, so neither the
answer, its timing nor the lockout tells anyone which addresses exist. The lockout lasts
LOCKOUT_MINUTES from the failure that reached MAX_FAILURES; attempts while locked are not
checked at all, so a correct password does not open a locked account early.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from functools import cache

from redis.asyncio import Redis

from core.access import Actor
from core.enums import Role
from core.passwords import hash_password, needs_rehash, verify_password
from core.tables import User
from core.users import find_user_by_email

MAX_FAILURES = 5
LOCKOUT_MINUTES = 15
DASHBOARD_ROLES = frozenset({Role.therapist, Role.admin})
MAX_PASSWORD_CHARS = 1024  # argon2 hashes anything, but nobody types more


class SignInError(Exception):
    """Why signing in failed; the message is fit to show and never says which field is wrong."""


class WrongCredentials(SignInError):
    def __init__(self) -> None:
        super().__init__("The email or password is not correct.")


class LockedOut(SignInError):
    def __init__(self) -> None:
        super().__init__(
            f"Too many failed sign-in attempts. Try again in {LOCKOUT_MINUTES} minutes."
        )


@cache
def _decoy_hash() -> str:
    """A hash to verify against when no account matches, so both cases take as long."""
    return hash_password(secrets.token_urlsafe(24))


def failures_key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"tb:signin:failures:{digest}"


async def sign_in(redis: Redis, email: str, password: str) -> Actor:
    """The account behind a correct email and password; raises WrongCredentials or LockedOut."""
    key = failures_key(email)
    if int(await redis.get(key) or 0) >= MAX_FAILURES:
        raise LockedOut
    user = await find_user_by_email(email)
    stored_hash = (user or {}).get("password_hash") or _decoy_hash()
    # argon2 is deliberately slow: keep it off the event loop.
    valid = len(password) <= MAX_PASSWORD_CHARS and await asyncio.to_thread(
        verify_password, stored_hash, password
    )
    if not valid or user is None or not user["active"] or user["role"] not in DASHBOARD_ROLES:
        await _count_failure(redis, key)
        raise WrongCredentials
    await redis.delete(key)
    if needs_rehash(stored_hash):
        await User.update({User.password_hash: hash_password(password)}).where(
            User.id == user["id"]
        )
    return Actor(user["id"], Role(user["role"]), user["full_name"], user["handle"])


async def _count_failure(redis: Redis, key: str) -> None:
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, LOCKOUT_MINUTES * 60)
        failures, _ = await pipe.execute()
    if failures >= MAX_FAILURES:
        raise LockedOut

"""Signing in: argon2 check, one answer for every failure, lockout per email address."""

from __future__ import annotations

import pytest

from core.enums import Role
from core.signin import MAX_FAILURES, LockedOut, WrongCredentials, failures_key, sign_in
from core.tables import User
from tests.factories import PASSWORD, make_user


async def test_right_password_signs_in(db: None, redis: object) -> None:
    user_id = await make_user(Role.therapist, email="ana@clinic.test")
    actor = await sign_in(redis, " Ana@Clinic.test ", PASSWORD)  # type: ignore[arg-type]
    assert actor.id == user_id and actor.role == Role.therapist


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("ana@clinic.test", "wrong password"),
        ("nobody@clinic.test", PASSWORD),
        ("patient@clinic.test", PASSWORD),  # patients have no dashboard
        ("ana@clinic.test", "x" * 5000),
    ],
)
async def test_failures_all_read_the_same(
    db: None, redis: object, email: str, password: str
) -> None:
    await make_user(Role.therapist, email="ana@clinic.test")
    await make_user(Role.patient, email="patient@clinic.test", password=PASSWORD)
    with pytest.raises(WrongCredentials, match=r"The email or password is not correct\."):
        await sign_in(redis, email, password)  # type: ignore[arg-type]


async def test_inactive_accounts_cannot_sign_in(db: None, redis: object) -> None:
    user_id = await make_user(Role.therapist, email="ana@clinic.test")
    await User.update({User.active: False}).where(User.id == user_id)
    with pytest.raises(WrongCredentials):
        await sign_in(redis, "ana@clinic.test", PASSWORD)  # type: ignore[arg-type]


async def test_lockout_expires(db: None, redis) -> None:  # type: ignore[no-untyped-def]
    await make_user(Role.therapist, email="ana@clinic.test")
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(WrongCredentials):
            await sign_in(redis, "ana@clinic.test", "wrong password")
    with pytest.raises(LockedOut):
        await sign_in(redis, "ana@clinic.test", "wrong password")
    with pytest.raises(LockedOut):
        await sign_in(redis, "ana@clinic.test", PASSWORD)
    assert 0 < await redis.ttl(failures_key("ana@clinic.test")) <= 15 * 60
    await redis.delete(failures_key("ana@clinic.test"))  # as when the lockout time has passed
    assert (await sign_in(redis, "ana@clinic.test", PASSWORD)).role == Role.therapist

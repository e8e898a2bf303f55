import pytest

from core.enums import Role
from core.passwords import verify_password
from core.tables import TherapistPatient, User
from core.users import NewUser, UserAlreadyExists, UserError, assign_patient, create_user
from tests.factories import make_user


async def test_create_user_hashes_the_password(db: None) -> None:
    user_id = await create_user(
        NewUser(Role.therapist, "Dana Scully", "Dana@Example.org", "dana", "long-password-1")
    )
    row = await User.select().where(User.id == user_id).first()
    assert row["email"] == "dana@example.org"
    assert (row["first_name"], row["last_name"]) == ("Dana", "Scully")
    assert row["password_hash"].startswith("$argon2id$")
    assert verify_password(row["password_hash"], "long-password-1")
    assert not verify_password(row["password_hash"], "wrong")


@pytest.mark.parametrize("field", ["email", "handle"])
async def test_duplicates_are_refused_and_nothing_written(db: None, field: str) -> None:
    await make_user(Role.therapist, email="a@example.org", handle="alpha")
    clash = {
        "email": "b@example.org",
        "handle": "beta",
        field: {"email": "A@example.org", "handle": "alpha"}[field],
    }
    with pytest.raises(UserAlreadyExists, match=field):
        await make_user(Role.therapist, **clash)
    assert await User.count() == 1


@pytest.mark.parametrize(
    ("email", "handle", "message"),
    [("not-an-email", "ok", "email"), ("x@example.org", "Bad Handle!", "handle")],
)
async def test_invalid_input(db: None, email: str, handle: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        await create_user(NewUser(Role.patient, "Pat", email, handle))


async def test_assign_patient_checks_roles_and_is_idempotent(db: None) -> None:
    therapist = await make_user(Role.therapist)
    patient = await make_user(Role.patient)
    await assign_patient(therapist, patient)
    await assign_patient(therapist, patient)
    assert await TherapistPatient.count() == 1
    with pytest.raises(UserError, match="not a therapist"):
        await assign_patient(patient, therapist)

"""Accounts: creating, listing and deactivating users, and linking therapists to patients.

Listing and deactivating are an admin's work; admins see account fields only, never PHI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from core.access import Actor, require_role
from core.enums import Relationship, Role
from core.errors import Conflict, Invalid, NotFound
from core.events import EventPublisher
from core.passwords import hash_password
from core.tables import TherapistPatient, User

HANDLE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10
ACCOUNT_FIELDS = (
    User.id,
    User.role,
    User.full_name,
    User.email,
    User.handle,
    User.active,
    User.created_at,
)


class UserError(Invalid):
    """A user cannot be created or changed as asked; the message is fit for the requester."""


class UserAlreadyExists(UserError):
    status = Conflict.status


@dataclass(frozen=True)
class NewUser:
    role: Role
    full_name: str
    email: str
    handle: str
    password: str | None = None
    first_name: str = ""
    last_name: str = ""
    dob: date | None = None
    phone: str | None = None
    license: str | None = None


def _validate(new: NewUser) -> None:
    if not new.full_name.strip():
        raise UserError("full name is required")
    if not EMAIL_PATTERN.match(new.email):
        raise UserError(f"not a valid email address: {new.email!r}")
    if not HANDLE_PATTERN.match(new.handle):
        raise UserError(
            "handle must be 2-63 characters of a-z, 0-9, '.', '_' or '-', starting with a "
            "letter or digit"
        )
    if new.password is not None and len(new.password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")


async def create_user(new: NewUser, *, therapist_id: UUID | None = None) -> UUID:
    """Create the account; a patient with `therapist_id` is assigned to them, both or neither."""
    async with User._meta.db.transaction():
        user_id = await _insert_user(new)
        if therapist_id is not None:
            await assign_patient(therapist_id, user_id)
    return user_id


async def _insert_user(new: NewUser) -> UUID:
    _validate(new)
    email, handle = new.email.strip().lower(), new.handle.strip().lower()
    taken = await User.select(User.email, User.handle).where(
        (User.email == email) | (User.handle == handle)
    )
    for row in taken:
        field = "email" if row["email"] == email else "handle"
        raise UserAlreadyExists(f"a user with this {field} already exists")
    first, _, last = new.full_name.strip().partition(" ")
    user = User(
        role=new.role,
        full_name=new.full_name.strip(),
        first_name=new.first_name or first,
        last_name=new.last_name or last,
        email=email,
        handle=handle,
        dob=new.dob,
        phone=new.phone,
        license=new.license,
        password_hash=hash_password(new.password) if new.password else None,
    )
    try:
        await user.save()
    except asyncpg.UniqueViolationError:
        # Lost a race with a concurrent insert of the same email or handle.
        raise UserAlreadyExists("a user with this email or handle already exists") from None
    return user.id


async def assign_patient(
    therapist_id: UUID, patient_id: UUID, relationship: Relationship = Relationship.primary
) -> None:
    roles = {
        row["id"]: row["role"]
        for row in await User.select(User.id, User.role).where(
            User.id.is_in([therapist_id, patient_id])
        )
    }
    if roles.get(therapist_id) != Role.therapist:
        raise UserError("the therapist does not exist or is not a therapist")
    if roles.get(patient_id) != Role.patient:
        raise UserError("the patient does not exist or is not a patient")
    await TherapistPatient.insert(
        TherapistPatient(
            therapist_id=therapist_id, patient_id=patient_id, relationship_type=relationship
        )
    ).on_conflict(action="DO NOTHING")


async def find_user_by_email(email: str) -> dict[str, Any] | None:
    return await User.select().where(User.email == email.strip().lower()).first()


async def account(user_id: UUID) -> dict[str, Any]:
    row = await User.select(*ACCOUNT_FIELDS).where(User.id == user_id).first()
    if row is None:
        raise NotFound("user")
    return row


async def list_accounts(
    admin: Actor, *, role: Role | None = None, page: int = 1, per_page: int = 50
) -> list[dict[str, Any]]:
    require_role(admin, Role.admin)
    query = User.select(*ACCOUNT_FIELDS).order_by(User.created_at)
    if role is not None:
        query = query.where(User.role == role)
    return await query.limit(per_page).offset((page - 1) * per_page)


async def deactivate_user(admin: Actor, user_id: UUID, events: EventPublisher) -> dict[str, Any]:
    """Switch an account off. Its tokens stop working at once, and so do its open dashboard
    sessions: their user's data version moves, so the dashboard loads the account again."""
    require_role(admin, Role.admin)
    if user_id == admin.id:
        raise UserError("you cannot deactivate your own account")
    rows = (
        await User.update({User.active: False}).where(User.id == user_id).returning(*ACCOUNT_FIELDS)
    )
    if not rows:
        raise NotFound("user")
    await events.mark_changed(user_id)
    return dict(rows[0])

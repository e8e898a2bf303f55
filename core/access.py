"""Who may reach which patient's data.

A therapist reaches the patients assigned to them (primary or secondary). Admins manage
accounts but reach PHI only through an active break-glass grant. Anything a requester may not
reach is reported as not found — never as forbidden — so ids cannot be probed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from core.enums import Role
from core.errors import Forbidden, NotFound
from core.tables import BreakGlassGrant, TherapistPatient, TherapySession, User


@dataclass(frozen=True)
class Actor:
    id: UUID
    role: Role
    full_name: str
    handle: str

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin


# Every dashboard request loads its actor: fixed SQL, prepared once per connection.
_ACTIVE_USER = "SELECT id, role, full_name, handle FROM users WHERE id = {} AND active"


async def load_actor(user_id: UUID) -> Actor | None:
    rows = await User.raw(_ACTIVE_USER, user_id)
    if not rows:
        return None
    row = rows[0]
    return Actor(row["id"], Role(row["role"]), row["full_name"], row["handle"])


# Asked on nearly every request that touches a patient: fixed SQL, prepared once per connection.
_ASSIGNED = "SELECT 1 FROM therapist_patients WHERE therapist_id = {} AND patient_id = {}"
_GRANTED = (
    "SELECT 1 FROM break_glass_grants WHERE admin_id = {} AND patient_id = {} AND expires_at > {}"
)


# The app only ever adds assignments (core.users.assign_patient), so a therapist's confirmed
# one is remembered for a few seconds: most requests about a patient come in runs. Removing an
# assignment by hand takes effect after that long. Break-glass grants expire: never remembered.
ASSIGNMENT_MEMORY_SECONDS = 5.0
_MEMORY_LIMIT = 10_000
_confirmed: dict[tuple[UUID, UUID], float] = {}


async def can_reach_patient(actor: Actor, patient_id: UUID) -> bool:
    if actor.role == Role.therapist:
        return await _is_assigned(actor.id, patient_id)
    if actor.role == Role.admin:
        now = datetime.now(UTC)
        return bool(await BreakGlassGrant.raw(_GRANTED, actor.id, patient_id, now))
    return False


async def _is_assigned(therapist_id: UUID, patient_id: UUID) -> bool:
    pair, now = (therapist_id, patient_id), time.monotonic()
    if now - _confirmed.get(pair, -ASSIGNMENT_MEMORY_SECONDS) < ASSIGNMENT_MEMORY_SECONDS:
        return True
    assigned = bool(await TherapistPatient.raw(_ASSIGNED, therapist_id, patient_id))
    if assigned:
        if len(_confirmed) >= _MEMORY_LIMIT:
            _confirmed.clear()
        _confirmed[pair] = now
    return assigned


async def require_patient(actor: Actor, patient_id: UUID) -> None:
    if not await can_reach_patient(actor, patient_id):
        raise NotFound("patient")


async def patient_ids_of(actor: Actor) -> list[UUID]:
    """Every patient the actor may reach right now."""
    if actor.role == Role.therapist:
        rows = await TherapistPatient.select(TherapistPatient.patient_id).where(
            TherapistPatient.therapist_id == actor.id
        )
        return [row["patient_id"] for row in rows]
    if actor.role == Role.admin:
        rows = await BreakGlassGrant.select(BreakGlassGrant.patient_id).where(
            (BreakGlassGrant.admin_id == actor.id)
            & (BreakGlassGrant.expires_at > datetime.now(UTC))
        )
        return [row["patient_id"] for row in rows]
    return []


async def require_session(actor: Actor, session_id: UUID) -> dict[str, Any]:
    """The session row, if the actor may reach its patient."""
    row = await TherapySession.select().where(TherapySession.id == session_id).first()
    if row is None or not await can_reach_patient(actor, row["patient_id"]):
        raise NotFound("session")
    return row


def require_role(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise Forbidden(f"this action needs the {' or '.join(r.value for r in roles)} role")

"""Break-glass access: an admin reaches one patient's record for a limited time, on record.

The reason is kept on the grant row (it may itself be sensitive), the grant is audited, and
every access made through it is audited like any other.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from core import audit
from core.access import Actor, require_role
from core.audit import RequestOrigin
from core.enums import AuditAction, Role
from core.errors import Invalid, NotFound
from core.tables import BreakGlassGrant, User

MAX_MINUTES = 240
MIN_REASON_LENGTH = 15


async def grant_break_glass(
    actor: Actor, patient_id: UUID, reason: str, minutes: int, origin: RequestOrigin
) -> datetime:
    """Open access for `minutes`; returns when it ends."""
    require_role(actor, Role.admin)
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise Invalid(f"give a reason of at least {MIN_REASON_LENGTH} characters")
    if not 1 <= minutes <= MAX_MINUTES:
        raise Invalid(f"access lasts between 1 and {MAX_MINUTES} minutes")
    if not await User.exists().where((User.id == patient_id) & (User.role == Role.patient)):
        raise NotFound("patient")
    expires_at = datetime.now(UTC) + timedelta(minutes=minutes)
    grant = BreakGlassGrant(
        admin_id=actor.id, patient_id=patient_id, reason=reason, expires_at=expires_at
    )
    await grant.save()
    await audit.record(
        AuditAction.break_glass,
        user_id=actor.id,
        patient_id=patient_id,
        origin=origin,
        resource_type="break_glass",
        resource_id=grant.id,
        metadata={"minutes": minutes},
    )
    return expires_at

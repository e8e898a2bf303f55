"""Small helpers that create rows for tests through the real services."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from uuid import UUID

from core.enums import Role, SessionStatus
from core.tables import TherapySession
from core.users import NewUser, assign_patient, create_user

_counter = itertools.count(1)
PASSWORD = "correct horse battery"


async def make_user(role: Role = Role.therapist, **fields: object) -> UUID:
    number = next(_counter)
    new = NewUser(
        role=role,
        full_name=str(fields.pop("full_name", f"{role.value.title()} Number{number}")),
        email=str(fields.pop("email", f"{role.value}{number}@example.org")),
        handle=str(fields.pop("handle", f"{role.value}{number}")),
        password=fields.pop("password", PASSWORD if role != Role.patient else None),  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )
    return await create_user(new)


async def make_patient_of(therapist_id: UUID, **fields: object) -> UUID:
    patient_id = await make_user(Role.patient, **fields)
    await assign_patient(therapist_id, patient_id)
    return patient_id


async def make_session(
    therapist_id: UUID,
    patient_id: UUID,
    status: SessionStatus = SessionStatus.uploading,
    **fields: object,
) -> UUID:
    session = TherapySession(
        therapist_id=therapist_id,
        patient_id=patient_id,
        status=status,
        session_date=fields.pop("session_date", datetime.now(UTC)),
        **fields,
    )
    await session.save()
    return session.id

"""The soak's clinic: therapists with a patient each and an API token, made in the stack's own
database through the real services (setup is not what the soak measures)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from bench.stack import Stack


@dataclass(frozen=True)
class Therapist:
    handle: str
    patient_id: str
    token: str


async def make_clinic(stack: Stack, therapists: int) -> list[Therapist]:
    # The application reads its settings (and builds its database engine) on first import.
    os.environ.update(stack.env)
    from core.enums import Role
    from core.settings import get_settings
    from core.tables import User
    from core.tokens import issue_token
    from core.users import NewUser, assign_patient, create_user

    get_settings.cache_clear()
    engine = User._meta.db
    await engine.start_connection_pool(min_size=1, max_size=2)
    clinic = []
    try:
        for number in range(1, therapists + 1):
            handle = f"soak.therapist{number}"
            therapist = await create_user(
                NewUser(Role.therapist, f"Soak Therapist {number}", f"{handle}@soak.test", handle)
            )
            patient = await create_user(
                NewUser(
                    Role.patient,
                    f"Soak Patient {number}",
                    f"soak.patient{number}@soak.test",
                    f"soak.patient{number}",
                )
            )
            await assign_patient(therapist, patient)
            token = await issue_token(therapist, "soak")
            clinic.append(Therapist(handle, str(patient), token.token))
    finally:
        await engine.close_connection_pool()
    return clinic

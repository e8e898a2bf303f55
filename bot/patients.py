"""Finding `@patient` among the requester's own patients.

Resolution and suggestions only ever look at the patients the requester may reach, so a
reply can never reveal that some other therapist's patient has a given handle.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from uuid import UUID

from core.access import Actor, patient_ids_of
from core.tables import User

MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class Patient:
    id: UUID
    handle: str
    full_name: str


@dataclass(frozen=True)
class NoSuchPatient:
    handle: str
    suggestions: list[str]  # handles of the requester's own patients


async def own_patients(actor: Actor) -> list[Patient]:
    ids = await patient_ids_of(actor)
    if not ids:
        return []
    rows = (
        await User.select(User.id, User.handle, User.full_name)
        .where(User.id.is_in(ids))
        .order_by(User.handle)
    )
    return [Patient(row["id"], row["handle"], row["full_name"]) for row in rows]


def find_patient(handle: str, patients: list[Patient]) -> Patient | NoSuchPatient:
    """The patient with exactly this handle; otherwise the close ones to choose from.

    A prefix that fits one patient is still not taken as theirs: exporting someone's record
    on a guess is worse than one more click.
    """
    for patient in patients:
        if patient.handle == handle:
            return patient
    return NoSuchPatient(handle, suggest(handle, [p.handle for p in patients]))


def suggest(handle: str, handles: list[str], limit: int = MAX_SUGGESTIONS) -> list[str]:
    starting = [h for h in handles if h.startswith(handle) or handle.startswith(h)]
    similar = difflib.get_close_matches(handle, handles, n=limit, cutoff=0.6)
    return list(dict.fromkeys([*starting, *similar]))[:limit]


async def patients_by_id(ids: set[UUID]) -> dict[UUID, Patient]:
    """Patients the caller has already reached through an authorised row (a job, a session)."""
    if not ids:
        return {}
    rows = await User.select(User.id, User.handle, User.full_name).where(User.id.is_in(list(ids)))
    return {row["id"]: Patient(row["id"], row["handle"], row["full_name"]) for row in rows}

"""Who may reach a patient: assigned therapists, admins under a live break-glass grant."""

import pytest

from core import access
from core.access import Actor, require_patient
from core.enums import Relationship, Role
from core.errors import NotFound
from core.tables import TherapistPatient
from core.users import assign_patient
from tests.factories import make_patient_of, make_user


def _therapist(user_id: object) -> Actor:
    return Actor(user_id, Role.therapist, "T", "t")  # type: ignore[arg-type]


async def test_a_new_assignment_counts_at_once(db: None) -> None:
    therapist, other = await make_user(Role.therapist), await make_user(Role.therapist)
    patient = await make_patient_of(other)
    with pytest.raises(NotFound):
        await require_patient(_therapist(therapist), patient)
    await assign_patient(therapist, patient, Relationship.secondary)
    await require_patient(_therapist(therapist), patient)  # a refusal is never remembered


async def test_a_confirmed_assignment_is_remembered_briefly(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    therapist = await make_user(Role.therapist)
    patient = await make_patient_of(therapist)
    await require_patient(_therapist(therapist), patient)
    await TherapistPatient.delete().where(TherapistPatient.patient_id == patient)  # by hand
    await require_patient(_therapist(therapist), patient)  # within the memory
    monkeypatch.setattr(access, "ASSIGNMENT_MEMORY_SECONDS", 0.0)
    with pytest.raises(NotFound):
        await require_patient(_therapist(therapist), patient)


async def test_an_admin_needs_a_live_grant(db: None) -> None:
    admin = Actor(await make_user(Role.admin), Role.admin, "A", "a")
    patient = await make_patient_of(await make_user(Role.therapist))
    with pytest.raises(NotFound):
        await require_patient(admin, patient)

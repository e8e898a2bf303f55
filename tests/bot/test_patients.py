"""Finding `@patient` among one's own patients: pure, no database."""

from __future__ import annotations

from uuid import uuid4

from bot.patients import NoSuchPatient, find_patient, suggest
from core.patients import PatientRef

PATIENTS = [
    PatientRef(uuid4(), handle, handle.title()) for handle in ("joan", "john", "jonah", "sky")
]


def test_an_exact_handle_is_the_patient() -> None:
    assert find_patient("john", PATIENTS) == PATIENTS[1]


def test_a_prefix_is_not_taken_even_when_one_patient_fits() -> None:
    assert find_patient("sk", PATIENTS) == NoSuchPatient("sk", ["sky"])


def test_an_ambiguous_handle_offers_every_close_one() -> None:
    missing = find_patient("jo", PATIENTS)
    assert isinstance(missing, NoSuchPatient)
    assert set(missing.suggestions) == {"joan", "john", "jonah"}


def test_a_typo_is_suggested_and_nothing_far_away() -> None:
    assert set(suggest("jonh", ["joan", "john", "jonah", "sky"])) == {"john", "joan", "jonah"}
    assert suggest("river", ["joan", "john", "sky"]) == []


def test_suggestions_are_capped() -> None:
    handles = [f"ann{i}" for i in range(10)]
    assert len(suggest("ann", handles)) == 5

"""Finding `@patient` among the requester's own patients.

Resolution and suggestions only ever look at the patients the requester may reach, so a
reply can never reveal that some other therapist's patient has a given handle.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from core.patients import PatientRef

MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class NoSuchPatient:
    handle: str
    suggestions: list[str]  # handles of the requester's own patients


def find_patient(handle: str, patients: list[PatientRef]) -> PatientRef | NoSuchPatient:
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

"""Demo transcripts: an AnnoMI conversation told about the demo patient and therapist.

The dataset's counsellors call their clients by name ("Hi, Laura"); a demo session of Jordan
Ellis must say "Hi, Jordan". Only the names a conversation uses for its client and counsellor
are replaced; everyone else the client talks about keeps their name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from core.demo.model import Patient, Visit
from core.extracted_notes import TranscriptSegment


def people_of(patient: Patient) -> dict[str, str]:
    """What a visit's name templates may say."""
    return {
        "first": patient.first_name,
        "last": patient.last_name,
        "therapist_first": patient.therapist.first_name,
        "therapist_last": patient.therapist.last_name,
    }


def replacements(patient: Patient, visit: Visit) -> dict[str, str]:
    """Each dataset name of the visit's conversation and the demo name it becomes."""
    people = people_of(patient)
    return {name: template.format_map(people) for name, template in visit.names.items()}


def rename(
    segments: Iterable[TranscriptSegment], names: Mapping[str, str]
) -> list[TranscriptSegment]:
    """The segments with each name (a whole word or phrase) replaced as `names` says."""
    if not names:
        return list(segments)
    # Longest first, so "Ricky" is never read as "Rick" followed by "y".
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{alternatives})\b")
    return [
        segment.model_copy(update={"text": pattern.sub(lambda m: names[m[0]], segment.text)})
        for segment in segments
    ]

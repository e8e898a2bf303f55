"""Reading the bundled AnnoMI conversations (see data/annomi/README.md for attribution)."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.extracted_notes import Speaker, TranscriptSegment

ANNOMI_CSV = Path(__file__).resolve().parent.parent / "data" / "annomi" / "AnnoMI-simple.csv"


@dataclass(frozen=True)
class Conversation:
    transcript_id: int
    topic: str
    mi_quality: str
    segments: tuple[TranscriptSegment, ...]

    @property
    def duration_seconds(self) -> int:
        return int(self.segments[-1].end) if self.segments else 0


def _seconds(timestamp: str) -> float:
    hours, minutes, seconds = (int(part) for part in timestamp.split(":"))
    return hours * 3600 + minutes * 60 + seconds


@lru_cache(maxsize=1)
def load_conversations() -> dict[int, Conversation]:
    rows: dict[int, list[dict[str, str]]] = defaultdict(list)
    with ANNOMI_CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows[int(row["transcript_id"])].append(row)
    conversations = {}
    for transcript_id, utterances in rows.items():
        utterances.sort(key=lambda row: int(row["utterance_id"]))
        starts = [_seconds(row["timestamp"]) for row in utterances]
        segments = []
        for index, row in enumerate(utterances):
            start = starts[index]
            # An utterance lasts until the next one starts; the last gets a few seconds.
            end = starts[index + 1] if index + 1 < len(starts) else start + 5
            speaker = Speaker.therapist if row["interlocutor"] == "therapist" else Speaker.patient
            segments.append(
                TranscriptSegment(
                    start=start, end=max(end, start), text=row["utterance_text"], speaker=speaker
                )
            )
        first = utterances[0]
        conversations[transcript_id] = Conversation(
            transcript_id=transcript_id,
            topic=first["topic"].strip(),
            mi_quality=first["mi_quality"],
            segments=tuple(segments),
        )
    return conversations

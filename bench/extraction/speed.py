"""Local extraction time for a 55-minute session against simply tokenising the same text."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable

from core.annomi import load_conversations
from core.extracted_notes import TranscriptSegment
from core.extraction.local import extract_notes

TARGET_WORDS = 8_000  # about 55 minutes of two-person talk
ROUNDS = 30
_WORD = re.compile(r"\w+")


def long_session() -> list[TranscriptSegment]:
    """AnnoMI conversations one after another, re-timed as one session, up to TARGET_WORDS."""
    segments: list[TranscriptSegment] = []
    words, offset = 0, 0.0
    for conversation in load_conversations().values():
        for segment in conversation.segments:
            segments.append(
                segment.model_copy(
                    update={"start": segment.start + offset, "end": segment.end + offset}
                )
            )
            words += len(segment.text.split())
            if words >= TARGET_WORDS:
                return segments
        offset = segments[-1].end
    return segments


def _tokenise(segments: list[TranscriptSegment]) -> list[list[str]]:
    return [_WORD.findall(segment.text.lower()) for segment in segments]


def _milliseconds(
    work: Callable[[list[TranscriptSegment]], object], segments: list[TranscriptSegment]
) -> list[float]:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        work(segments)
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def run() -> tuple[list[str], list[list[object]], str]:
    segments = long_session()
    extract_notes(segments)  # warm up: compiled patterns, imports
    rows: list[list[object]] = []
    for name, work in (
        ("baseline: tokenise the text", _tokenise),
        ("local extraction", extract_notes),
    ):
        times = _milliseconds(work, segments)
        p95 = times[round(len(times) * 0.95) - 1]
        rows.append([name, f"{statistics.median(times):.1f}", f"{p95:.1f}"])
    words = sum(len(s.text.split()) for s in segments)
    minutes = (segments[-1].end - segments[0].start) / 60
    note = (
        f"{words} words in {len(segments)} segments ({minutes:.0f} min of AnnoMI speech), "
        "target ≤ 200 ms"
    )
    return ["work", "median ms", "p95 ms"], rows, note

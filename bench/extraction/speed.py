"""Local extraction time for a 55-minute session against simply tokenising the same text.

The embedding model is loaded before timing starts (its load time and memory are in table (d));
memory is the growth of this process's resident set over the timed rounds."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from core.annomi import load_conversations
from core.extracted_notes import TranscriptSegment
from core.extraction.embedding import get_encoder
from core.extraction.local import extract_notes

TARGET_WORDS = 8_000  # about 55 minutes of two-person talk
ROUNDS = 5
TARGET_SECONDS = 2.0  # issue 14, model loading excluded
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


def rss_mb(field: str = "VmRSS") -> float:
    """This process's resident set (or, with "VmHWM", its peak) in MB."""
    status = Path("/proc/self/status").read_text()
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith(field))
    return int(kilobytes) / 1024


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
    get_encoder()
    extract_notes(segments)  # warm up: compiled patterns, imports, the model's first batches
    before = rss_mb()
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
        f"target ≤ {TARGET_SECONDS:.0f} s; memory growth over the rounds "
        f"{rss_mb() - before:+.0f} MB (target ≤ 300 MB)"
    )
    return ["work", "median ms", "p95 ms"], rows, note

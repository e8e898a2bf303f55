"""How good a transcript is against a known script: word error rate and speaker accuracy."""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.extracted_notes import Speaker, TranscriptSegment


def normalise_words(text: str) -> list[str]:
    """Lower-case words without punctuation, so only wording counts."""
    return re.sub(r"[^a-z0-9\s]", "", text.lower().replace("-", " ")).split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, by word-level edit distance."""
    expected, heard = normalise_words(reference), normalise_words(hypothesis)
    if not expected:
        return float(bool(heard))
    previous = list(range(len(heard) + 1))
    for i, word in enumerate(expected, start=1):
        current = [i]
        for j, other in enumerate(heard, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
            )
        previous = current
    return previous[-1] / len(expected)


def speaker_accuracy(
    segments: Sequence[TranscriptSegment], turns: Sequence[tuple[float, float, Speaker]]
) -> float:
    """Share of segments labelled with the speaker whose turn overlaps them most."""
    if not segments:
        return 0.0

    def true_speaker(segment: TranscriptSegment) -> Speaker:
        def overlap(turn: tuple[float, float, Speaker]) -> float:
            return min(segment.end, turn[1]) - max(segment.start, turn[0])

        return max(turns, key=overlap)[2]

    return sum(s.speaker == true_speaker(s) for s in segments) / len(segments)

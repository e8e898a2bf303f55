"""Who said what: split a session's segments between two speakers, then name the therapist.

Stereo recordings (one microphone per person) are split by channel: per segment, the louder
channel is the speaker. Mono recordings, and stereo ones whose channels carry the same mix, are
split by clustering each segment's voice fingerprint into two groups. Which group is the
therapist is read from what they say: therapists ask and reflect ("how…", "what…", "it sounds
like…", "?") far more often than patients; when the text cannot tell, whoever opens the session.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from core.audio import SAMPLE_RATE, mono_float
from core.extracted_notes import Speaker, TranscriptSegment
from core.transcription.voice_features import voice_fingerprint

# A channel decides a segment when it carries more than twice the other's energy (3 dB).
_DECISIVE_ENERGY_RATIO = 2.0
# Channels separate the speakers when they decide at least this share of the segments.
_MIN_DECISIVE_SHARE = 0.5
_KMEANS_ROUNDS = 100
_MIN_ANCHOR_SECONDS = 1.0

_THERAPIST_CUES = re.compile(
    r"\?|\b(?:how|what|why|tell me|can you|could you|do you|would you|sounds like|"
    r"you feel|you're feeling|you are feeling|you seem|so you)\b",
    re.IGNORECASE,
)


def label_speakers(
    segments: Sequence[TranscriptSegment], samples: np.ndarray
) -> list[TranscriptSegment]:
    """Copies of `segments` with `speaker` set, from int16 samples shaped (channels, n)."""
    if not segments:
        return []
    groups = _groups_by_channel(segments, samples) if samples.shape[0] == 2 else None
    if groups is None:
        groups = _groups_by_voice(segments, samples)
    therapist = therapist_group(segments, groups)
    return [
        segment.model_copy(
            update={"speaker": Speaker.therapist if group == therapist else Speaker.patient}
        )
        for segment, group in zip(segments, groups, strict=True)
    ]


def _span(segment: TranscriptSegment) -> slice:
    return slice(int(segment.start * SAMPLE_RATE), max(int(segment.end * SAMPLE_RATE), 1))


def _groups_by_channel(
    segments: Sequence[TranscriptSegment], samples: np.ndarray
) -> np.ndarray | None:
    """0 (left) or 1 (right) per segment; None when the channels do not separate the speakers."""
    energy = np.array(
        [np.square(samples[:, _span(s)], dtype=np.float64).sum(axis=1) for s in segments]
    )
    louder, quieter = energy.max(axis=1), energy.min(axis=1)
    decisive = louder > _DECISIVE_ENERGY_RATIO * quieter
    groups = energy.argmax(axis=1)
    if decisive.mean() < _MIN_DECISIVE_SHARE or len(set(groups[decisive])) < 2:
        return None
    return np.asarray(groups)


def _groups_by_voice(segments: Sequence[TranscriptSegment], samples: np.ndarray) -> np.ndarray:
    """0 or 1 per segment: the nearer of two voices found by clustering the segments' fingerprints.

    Only segments long enough for a steady fingerprint shape the two voices; short ones ("Yes.",
    "Hi.") and their loose timestamps would otherwise pull a cluster of their own.
    """
    fingerprints = [voice_fingerprint(mono_float(samples[:, _span(s)])) for s in segments]
    anchors = [
        fingerprint
        for segment, fingerprint in zip(segments, fingerprints, strict=True)
        if fingerprint is not None and segment.end - segment.start >= _MIN_ANCHOR_SECONDS
    ]
    groups = np.zeros(len(segments), dtype=int)
    if len(anchors) < 2:
        return groups
    features = np.array(anchors)
    centre, spread = features.mean(axis=0), features.std(axis=0)
    spread[spread == 0] = 1.0
    centres = two_means((features - centre) / spread)
    for index, fingerprint in enumerate(fingerprints):
        if fingerprint is None:  # too short to hear: most likely the speaker before goes on
            groups[index] = groups[index - 1] if index else 0
        else:
            distances = np.linalg.norm((fingerprint - centre) / spread - centres, axis=1)
            groups[index] = int(distances.argmin())
    return groups


def two_means(points: np.ndarray) -> np.ndarray:
    """The two centres (shape (2, features)) of k-means with k=2 and a deterministic start.

    The start is the point farthest from the middle and then the point farthest from that one:
    the two most different voices.
    """
    first = points[np.argmax(np.linalg.norm(points, axis=1))]
    second = points[np.argmax(np.linalg.norm(points - first, axis=1))]
    centres = np.stack([first, second])
    groups = np.full(len(points), -1)
    for _ in range(_KMEANS_ROUNDS):
        distances = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=2)
        new_groups = distances.argmin(axis=1)
        if np.array_equal(new_groups, groups):
            break
        groups = new_groups
        for cluster in (0, 1):
            if (groups == cluster).any():
                centres[cluster] = points[groups == cluster].mean(axis=0)
    return centres


def therapist_group(segments: Sequence[TranscriptSegment], groups: np.ndarray) -> int:
    """The group with the most questions and reflections per segment; ties go to the opener."""
    opener = int(groups[0])

    def score(group: int) -> tuple[float, bool]:
        texts = [s.text for s, g in zip(segments, groups, strict=True) if g == group]
        cues = sum(len(_THERAPIST_CUES.findall(text)) for text in texts)
        return (cues / len(texts) if texts else 0.0, group == opener)

    return max((0, 1), key=score)

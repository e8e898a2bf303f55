"""Mood and emotional themes from the patient's own words.

Each emotion word has a valence (+1, -1, or 0 for a theme without one, like ambivalence) and a
theme. A negator among the three words before it ("not happy", "never anxious") flips its
valence and drops its theme. The session mood is the balance of positive and negative words
over all patient speech; the trajectory compares the first third of it with the last third.
Without emotion words there is no evidence, and the mood stays None.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from core.extracted_notes import MoodLevel, MoodTrajectory
from core.extraction.text import Sentence

_LEXICON: dict[str, tuple[int, str]] = {}
for _theme, _valence, _words in (
    (
        "anxiety",
        -1,
        "anxious anxiety worried worry worrying nervous panic panicky panicking tense "
        "uneasy restless scared afraid frightened terrified fearful",
    ),
    (
        "sadness",
        -1,
        "sad unhappy depressed miserable crying cried tearful heartbroken gloomy "
        "down-hearted grieving",
    ),
    ("anger", -1, "angry furious annoyed irritated irritable resentful pissed rage livid"),
    ("frustration", -1, "frustrated frustrating stuck fed-up"),
    ("guilt", -1, "guilty guilt regret regrets"),
    ("shame", -1, "ashamed embarrassed embarrassing humiliated shame"),
    ("loneliness", -1, "lonely isolated loneliness"),
    ("hopelessness", -1, "hopeless pointless helpless useless worthless"),
    ("overwhelm", -1, "overwhelmed overwhelming exhausted drained stressed stressful struggling"),
    ("distress", -1, "awful terrible horrible bad worse upset hate hurt hurting"),
    ("hope", 1, "hopeful optimistic encouraged"),
    ("motivation", 1, "motivated determined committed excited eager"),
    ("confidence", 1, "confident proud capable"),
    ("relief", 1, "relieved relief calm calmer relaxed peaceful better helped helpful"),
    (
        "contentment",
        1,
        "happy glad good great enjoy enjoyed enjoying fun pleased grateful thankful content",
    ),
    ("ambivalence", 0, "torn ambivalent unsure conflicted"),
):
    for _word in _words.split():
        _LEXICON[_word] = (_valence, _theme)

_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_NEGATORS = frozenset({"not", "no", "never", "nothing", "hardly", "without"})
_NEGATION_REACH = 3
_TRAJECTORY_STEP = 0.4  # change in balance between first and last third that counts as a trend
_FLUCTUATION_STEP = 0.6


@dataclass(frozen=True)
class MoodReading:
    mood: MoodLevel | None
    trajectory: MoodTrajectory | None
    themes: list[str]  # most frequent first


def read_mood(patient_sentences: list[Sentence]) -> MoodReading:
    scored = [_emotion_words(sentence.norm) for sentence in patient_sentences]
    valences = [[-v if negated else v for v, _, negated in words] for words in scored]
    themes = Counter(theme for words in scored for _, theme, negated in words if not negated)
    overall = _balance([v for sentence in valences for v in sentence])
    return MoodReading(
        mood=None if overall is None else _level(overall),
        trajectory=_trajectory(valences),
        themes=[theme for theme, _ in themes.most_common()],
    )


def _emotion_words(norm: str) -> list[tuple[int, str, bool]]:
    """(valence, theme, negated) of each emotion word."""
    words = _WORD.findall(norm.lower())
    found = []
    for position, word in enumerate(words):
        if word in _LEXICON:
            valence, theme = _LEXICON[word]
            before = words[max(0, position - _NEGATION_REACH) : position]
            found.append((valence, theme, any(w in _NEGATORS for w in before)))
    return found


def _balance(valences: list[int]) -> float | None:
    """From -1 (all negative) to +1 (all positive); None without evidence."""
    signed = [v for v in valences if v]
    return sum(signed) / len(signed) if signed else None


def _level(balance: float) -> MoodLevel:
    if balance <= -0.6:
        return MoodLevel.very_low
    if balance <= -0.2:
        return MoodLevel.low
    if balance < 0.2:
        return MoodLevel.neutral
    if balance < 0.6:
        return MoodLevel.positive
    return MoodLevel.very_positive


def _trajectory(valences: list[list[int]]) -> MoodTrajectory | None:
    third = len(valences) // 3
    if third == 0:
        return None
    thirds = [valences[:third], valences[third:-third], valences[-third:]]
    first, middle, last = (_balance([v for s in part for v in s]) for part in thirds)
    if first is None or last is None:
        return None
    if last - first >= _TRAJECTORY_STEP:
        return MoodTrajectory.improving
    if first - last >= _TRAJECTORY_STEP:
        return MoodTrajectory.declining
    if middle is not None and min(abs(middle - first), abs(middle - last)) >= _FLUCTUATION_STEP:
        return MoodTrajectory.fluctuating
    return MoodTrajectory.stable


def count_emotion_words(norm: str) -> int:
    """How many emotion words a sentence uses, negated ones left out."""
    return sum(1 for _, _, negated in _emotion_words(norm) if not negated)

"""Mood and emotional themes from the patient's own words, kept consistent with the risk screen.

Two signals, one balance:

- the lexicon: each emotion word has a valence (+1, -1, or 0 for a theme without one, like
  ambivalence) and a theme. A negator among the three words before it ("not happy", "never
  anxious") flips its valence, halves it and drops its theme. Words that are not about the
  speaker's mood here ("better off without me", "good night", "it would be a relief") do not
  count.
- meaning: each patient sentence is compared with plain descriptions of the five mood levels
  (core.extraction.session_vectors). A sentence that comes close enough to one of them
  ("what's the point, nothing is going to change" without a single emotion word) counts with
  that level's valence, from -1 (very low) to +1 (very positive).

The session mood is the balance of all of it over the patient's speech, drawn towards neutral
when there is little evidence (`PRIOR`); the trajectory compares the first third of it with the
last third. Without evidence the mood stays None.

`consistent_with_risk` makes the reading agree with the session's risk flags: a session with
suicidal ideation (passive or active) or self-harm is never positive, and its themes carry no
positive feelings ("relief" about dying is not relief). extract_notes applies it with the
flags of the session's risk screen.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from core.extracted_notes import MoodLevel, MoodTrajectory, RiskFlag, RiskType
from core.extraction.session_vectors import best_per_label, label_vectors
from core.extraction.text import Sentence

_LEXICON: dict[str, tuple[int, str]] = {}
for _theme, _valence, _words in (
    (
        "anxiety",
        -1,
        "anxious anxiety worried worry worrying nervous panic panicky panicking tense "
        "uneasy restless scared afraid frightened terrified fearful petrified dread dreading "
        "jittery on-edge",
    ),
    (
        "sadness",
        -1,
        "sad unhappy depressed miserable crying cried tearful heartbroken gloomy "
        "down-hearted grieving gutted empty numb low",
    ),
    ("anger", -1, "angry furious annoyed irritated irritable resentful pissed rage livid fuming"),
    ("frustration", -1, "frustrated frustrating stuck fed-up"),
    ("guilt", -1, "guilty guilt regret regrets"),
    ("shame", -1, "ashamed embarrassed embarrassing humiliated shame mortified disgusting"),
    ("loneliness", -1, "lonely isolated loneliness alone"),
    ("hopelessness", -1, "hopeless pointless helpless useless worthless failure burden"),
    (
        "overwhelm",
        -1,
        "overwhelmed overwhelming exhausted drained stressed stressful struggling shattered "
        "knackered desperate",
    ),
    (
        "distress",
        -1,
        "awful terrible horrible bad worse upset hate hurt hurting dreadful rubbish rough",
    ),
    ("hope", 1, "hopeful optimistic encouraged"),
    ("motivation", 1, "motivated determined committed excited eager"),
    ("confidence", 1, "confident proud capable"),
    ("relief", 1, "relieved relief calm calmer relaxed peaceful better helped helpful lighter"),
    (
        "contentment",
        1,
        "happy glad good great enjoy enjoyed enjoying fun pleased grateful thankful content "
        "lovely brilliant",
    ),
    ("ambivalence", 0, "torn ambivalent unsure conflicted"),
):
    for _word in _words.split():
        _LEXICON[_word] = (_valence, _theme)

POSITIVE_THEMES = frozenset(theme for valence, theme in _LEXICON.values() if valence > 0)

_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_NEGATORS = frozenset({"not", "no", "never", "nothing", "hardly", "without"})
_NEGATION_REACH = 3
# An emotion word that says nothing of the speaker's mood here.
_NOT_A_FEELING = re.compile(
    r"\b(?:better|worse) off\b|\bgood (?:night|morning|afternoon|evening|bye)\b|"
    r"\b(?:better|worse) than\b|\bbad (?:sign|idea|habit)\b|"
    r"\b(?:would|could|might) (?:have )?(?:be|been|feel|felt) (?:such )?(?:a )?(?:real |bit of a )?"
    r"(?:relief|relieved|happy|happier|better|good|great|calm|peaceful|glad)\b|"
    r"\bfeel (?:bad|awful|terrible) for (?:thinking|saying)\b|\b(?:alone|low) (?:at|on|in) "
    r"(?:night|the)\b|\bon (?:my|his|her) own\b|\bas good as\b|\bgood at\b|\bno good\b",
    re.IGNORECASE,
)
_TRAJECTORY_STEP = 0.4  # change in balance between first and last third that counts as a trend
_FLUCTUATION_STEP = 0.6

# The five levels as a patient might put them (the zero-shot signal), and each level's valence.
MOOD_DESCRIPTIONS: dict[MoodLevel, tuple[str, ...]] = {
    MoodLevel.very_low: (
        "I feel hopeless and I can't go on like this.",
        "What's the point, nothing is ever going to change.",
        "I feel like a burden; everyone would be better off without me.",
        "I've hit rock bottom.",
    ),
    MoodLevel.low: (
        "I've been feeling down and worn out lately.",
        "I feel awful, I've been crying all week.",
        "I'm so anxious and stressed I can't cope.",
        "I feel ashamed and useless.",
    ),
    MoodLevel.neutral: (
        "Things are okay, nothing much has changed.",
        "It's been an ordinary sort of week.",
    ),
    MoodLevel.positive: (
        "I'm feeling a bit better this week.",
        "Things are looking up and I'm coping well.",
        "I feel calm and a bit more hopeful.",
    ),
    MoodLevel.very_positive: (
        "I feel great, really happy and proud of myself.",
        "This has been the best week in ages; I'm full of energy.",
    ),
}
_LEVEL_VALENCE = {
    MoodLevel.very_low: -1.0,
    MoodLevel.low: -0.5,
    MoodLevel.neutral: 0.0,
    MoodLevel.positive: 0.5,
    MoodLevel.very_positive: 1.0,
}

# Tuned on the development part of bench/extraction/corpus (sessions only).
MEANING_NEAR = 0.50  # a patient sentence this close to a level's description speaks of it
MEANING_WEIGHT = 1.0  # …and weighs this much against one emotion word
MIN_WORDS = 3
NEGATED_WEIGHT = 0.5  # "not bad" is less than "good", "not happy" less than "sad"
PRIOR = 3.0  # evidence-free weight at neutral: a few words do not make a very positive session
# Balance → very_low | low | neutral | positive | very_positive (each edge in the lower level):
# one positive word alone (1 / (1 + PRIOR)) is not a positive session.
_LEVEL_EDGES = (-0.5, -0.25, 0.25, 0.5)

# Risk types that rule out a positive session, and the best mood each leaves.
_RISK_CEILING = {
    RiskType.suicidal_ideation_passive: MoodLevel.neutral,
    RiskType.suicidal_ideation_active: MoodLevel.neutral,
    RiskType.self_harm: MoodLevel.neutral,
}
_ORDER = list(MoodLevel)


@dataclass(frozen=True)
class MoodReading:
    mood: MoodLevel | None
    trajectory: MoodTrajectory | None
    themes: list[str]  # most frequent first


def read_mood(patient_sentences: list[Sentence], vectors: np.ndarray | None = None) -> MoodReading:
    """The mood of the patient's speech. `vectors`: the sentences' embeddings, row for row
    (session_vectors); without them only the lexicon is read."""
    scored = [_emotion_words(sentence.norm) for sentence in patient_sentences]
    valences: list[list[float]] = [
        [-NEGATED_WEIGHT * v if negated else float(v) for v, _, negated in words if v]
        for words in scored
    ]
    if vectors is not None and len(patient_sentences):
        for row, valence in _meaning(patient_sentences, vectors):
            valences[row].append(valence)
    themes = Counter(theme for words in scored for _, theme, negated in words if not negated)
    overall = _balance([v for sentence in valences for v in sentence])
    return MoodReading(
        mood=None if overall is None else _level(overall),
        trajectory=_trajectory(valences),
        themes=[theme for theme, _ in themes.most_common()],
    )


def consistent_with_risk(reading: MoodReading, flags: Iterable[RiskFlag]) -> MoodReading:
    """`reading` made consistent with the session's risk flags: with suicidal ideation (passive
    or active) or self-harm flagged, the mood is at best neutral and positive themes ("relief",
    "contentment") are dropped. Other flags, and a reading without mood, change nothing else."""
    ceilings = [_RISK_CEILING[flag.type] for flag in flags if flag.type in _RISK_CEILING]
    if not ceilings:
        return reading
    ceiling = min(ceilings, key=_ORDER.index)
    mood = reading.mood
    if mood is not None and _ORDER.index(mood) > _ORDER.index(ceiling):
        mood = ceiling
    themes = [theme for theme in reading.themes if theme not in POSITIVE_THEMES]
    return replace(reading, mood=mood, themes=themes)


def _meaning(patient_sentences: list[Sentence], vectors: np.ndarray) -> list[tuple[int, float]]:
    """(row, valence) of each patient sentence close to one of the levels' descriptions."""
    rows = [r for r, s in enumerate(patient_sentences) if len(s.text.split()) >= MIN_WORDS]
    if not rows:
        return []
    levels, owner, described = label_vectors(
        {level.value: texts for level, texts in MOOD_DESCRIPTIONS.items()}
    )
    scores = best_per_label(vectors[rows] @ described.T, owner, len(levels))
    found = []
    for index, row in enumerate(rows):
        column = int(scores[index].argmax())
        if scores[index, column] >= MEANING_NEAR:
            found.append((row, MEANING_WEIGHT * _LEVEL_VALENCE[MoodLevel(levels[column])]))
    return found


def _emotion_words(norm: str) -> list[tuple[int, str, bool]]:
    """(valence, theme, negated) of each emotion word."""
    text = _NOT_A_FEELING.sub(" ", norm.lower())
    words = _WORD.findall(text)
    found = []
    for position, word in enumerate(words):
        if word in _LEXICON:
            valence, theme = _LEXICON[word]
            before = words[max(0, position - _NEGATION_REACH) : position]
            found.append((valence, theme, any(w in _NEGATORS for w in before)))
    return found


def _balance(valences: list[float], prior: float | None = None) -> float | None:
    """From -1 (all negative) to +1 (all positive), drawn towards 0 by `prior` neutral
    evidence; None without evidence. A 0 is evidence of a neutral mood."""
    if not valences:
        return None
    return sum(valences) / (len(valences) + (PRIOR if prior is None else prior))


def _level(balance: float) -> MoodLevel:
    for level, edge in zip(_ORDER, _LEVEL_EDGES, strict=False):
        if balance <= edge:
            return level
    return MoodLevel.very_positive


def _trajectory(valences: list[list[float]]) -> MoodTrajectory | None:
    third = len(valences) // 3
    if third == 0:
        return None
    thirds = [valences[:third], valences[third:-third], valences[-third:]]
    first, middle, last = (_balance([v for s in part for v in s], prior=0) for part in thirds)
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

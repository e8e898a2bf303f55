"""Mood from the patient's words and their meaning, never positive beside ideation or self-harm."""

from __future__ import annotations

import pytest

from core.extracted_notes import MoodLevel, RiskFlag, RiskType, Severity
from core.extraction.local import extract_notes
from core.extraction.mood import (
    POSITIVE_THEMES,
    MoodReading,
    consistent_with_risk,
    read_mood,
)
from core.extraction.session_vectors import sentence_vectors
from core.extraction.text import split_sentences
from core.extraction.transcript import parse_transcript


def flag(kind: RiskType) -> RiskFlag:
    return RiskFlag(type=kind, severity=Severity.medium, evidence="words", segment_index=0)


CHEERFUL = MoodReading(
    mood=MoodLevel.very_positive, trajectory=None, themes=["relief", "anxiety", "contentment"]
)


@pytest.mark.parametrize(
    "kind",
    [RiskType.suicidal_ideation_passive, RiskType.suicidal_ideation_active, RiskType.self_harm],
)
def test_ideation_or_self_harm_caps_the_mood_and_drops_positive_themes(kind: RiskType) -> None:
    reading = consistent_with_risk(CHEERFUL, [flag(RiskType.abuse_neglect), flag(kind)])

    assert reading.mood is MoodLevel.neutral
    assert reading.themes == ["anxiety"]


def test_other_risks_and_low_moods_are_left_alone() -> None:
    low = MoodReading(mood=MoodLevel.very_low, trajectory=None, themes=["hopelessness", "hope"])

    assert consistent_with_risk(CHEERFUL, [flag(RiskType.harm_to_others)]) == CHEERFUL
    assert consistent_with_risk(CHEERFUL, []) == CHEERFUL
    assert consistent_with_risk(low, [flag(RiskType.suicidal_ideation_active)]).mood is (
        MoodLevel.very_low
    )
    unknown = MoodReading(mood=None, trajectory=None, themes=[])
    assert consistent_with_risk(unknown, [flag(RiskType.self_harm)]).mood is None


def test_a_session_about_ideation_is_never_positive() -> None:
    notes = extract_notes(
        parse_transcript(
            "T: How have things been?\n"
            "P: Good, actually, great. I'm glad the job's sorted. Happy about that.\n"
            "P: But I've been thinking about killing myself most nights.\n"
            "P: It would be a relief, honestly. I'd feel calm. Good, even."
        )
    )

    assert notes.risk_flags
    assert notes.session_mood not in (MoodLevel.positive, MoodLevel.very_positive)
    assert not set(notes.emotional_themes) & POSITIVE_THEMES


def test_words_that_are_not_feelings_do_not_count() -> None:
    sentences = split_sentences(
        parse_transcript("P: They'd be better off without me. Good night then.")
    )

    assert read_mood(sentences.all).mood is None


def test_a_few_words_do_not_make_an_extreme_mood() -> None:
    def mood(said: str) -> MoodLevel | None:
        return read_mood(split_sentences(parse_transcript(f"P: {said}")).all).mood

    assert mood("It was good.") is MoodLevel.neutral
    assert mood("It was good, really good. I'm happy.") is MoodLevel.positive
    assert mood("Good. Great. Happy. Calm. Proud. Relieved.") is MoodLevel.very_positive


def test_meaning_counts_where_no_emotion_word_is_said() -> None:
    sentences = split_sentences(
        parse_transcript(
            "P: What's the point of any of it. Nothing is ever going to change for me."
        )
    )

    assert read_mood(sentences.all).mood is None  # no emotion word
    with_meaning = read_mood(sentences.all, sentence_vectors(sentences))
    assert with_meaning.mood in (MoodLevel.low, MoodLevel.very_low)

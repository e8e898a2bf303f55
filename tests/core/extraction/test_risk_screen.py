"""The meaning-based risk screen: its rules, its examples and what it does with a session.

How well it finds risk in words it has never seen is measured on the blind corpus by
bench/extraction/risk_corpus.py, not here; these tests pin the behaviour each layer promises.
"""

from __future__ import annotations

import pytest

from bench.extraction.train_risk import all_examples, sources_sha256
from core.extracted_notes import RiskCategory, RiskType, Severity, Speaker, TranscriptSegment
from core.extraction.risk.context import set_aside, set_aside_turn
from core.extraction.risk.means import within_reach
from core.extraction.risk.neighbours import GROUPS, load_neighbours
from core.extraction.risk.rules import detect_risks
from core.extraction.risk.screen import MIN_WORDS, reading_units, screen_risks, union
from core.extraction.risk.severity import severity_of
from core.extraction.text import split_sentences


def session(*turns: tuple[Speaker, str]) -> list[TranscriptSegment]:
    return [
        TranscriptSegment(start=i * 5.0, end=i * 5.0 + 4, text=text, speaker=speaker)
        for i, (speaker, text) in enumerate(turns)
    ]


T, P = Speaker.therapist, Speaker.patient


def test_the_shipped_examples_are_built_from_the_current_sources() -> None:
    examples = load_neighbours()
    assert examples.sources_sha256 == sources_sha256(all_examples()), (
        "run `.venv/bin/python -m bench.extraction.train_risk` after changing the examples"
    )
    assert examples.vectors.shape == (len(all_examples()), 384)
    assert examples.groups.shape[1] == len(GROUPS)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("This commute is killing me.", "a figure of speech"),
        ("No, I would never hurt myself.", "a denial"),
        ("If I ever felt like that I'd ring you straight away.", "a hypothetical"),
        ("My brother cut himself when we were kids.", "about someone else"),
        ("The film ends with him jumping off the bridge.", "quoted or fiction"),
        ("I cut my thumb chopping onions.", "an accident"),
    ],
)
def test_rules_set_aside_what_is_not_the_patients_current_risk(text: str, reason: str) -> None:
    assert set_aside(text) == reason


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to be here anymore.",  # the negation is the risk
        "No. Well, actually, last night I counted out the pills.",  # a denial taken back
        "My dad shot himself, and I've been thinking of doing the same.",
        "My stepdad hits me when he's been drinking.",  # someone else does it to the patient
    ],
)
def test_rules_never_set_aside_a_disclosure(text: str) -> None:
    assert set_aside_turn(text) is None


def test_a_past_that_is_over_is_set_aside_across_sentences() -> None:
    turn = "Years ago I used to cut. I haven't in a decade and don't feel the urge."
    assert set_aside_turn(turn) == "in the past and over"


def test_means_within_reach() -> None:
    assert within_reach("There's a loaded shotgun in the house.")
    assert within_reach("I've got my dad's old pistol in the car.")
    assert not within_reach("My uncle keeps his rifles at his own place.")


def test_severity_follows_the_cssrs_ladder() -> None:
    assert severity_of(RiskCategory.wish_to_be_dead, "") is Severity.low
    assert severity_of(RiskCategory.ideation_with_method, "") is Severity.medium
    assert severity_of(RiskCategory.ideation_with_plan, "") is Severity.high
    assert severity_of(RiskCategory.preparatory_behaviour, "") is Severity.high
    assert severity_of(RiskCategory.harm_to_others, "I'm angry at him") is Severity.medium
    assert severity_of(RiskCategory.harm_to_others, "I know where he parks") is Severity.high


def test_the_therapists_words_never_raise_a_flag() -> None:
    segments = session((T, "Have you had thoughts of killing yourself, or wishing you were dead?"))
    assert screen_risks(segments) == []


def test_a_plain_no_to_the_screening_question_raises_nothing() -> None:
    segments = session(
        (T, "Any thoughts of suicide or of hurting yourself this week?"),
        (P, "No, I'm not having any thoughts of hurting myself."),
    )
    assert screen_risks(segments) == []


def test_a_later_disclosure_stands_after_an_earlier_denial() -> None:
    segments = session(
        (T, "Any thoughts of ending your life?"),
        (P, "No."),
        (T, "Okay. How have the nights been?"),
        (P, "Bad. I've been lying awake counting the tablets I've saved up in my drawer."),
    )
    flags = screen_risks(segments)
    assert flags, "the disclosure in segment 3 must be flagged"
    assert all(flag.segment_index == 3 for flag in flags)
    flag = max(flags, key=lambda f: f.score or 0)
    assert "tablets I've saved up" in flag.evidence  # the words that carry it, as said
    assert flag.reason and flag.score is not None


def test_each_flag_says_why_and_keeps_its_evidence() -> None:
    segments = session((P, "Honestly everyone would be better off if I just wasn't around."))
    [flag] = screen_risks(segments)
    assert flag.type is RiskType.suicidal_ideation_passive
    assert flag.category in (RiskCategory.passive_ideation, RiskCategory.wish_to_be_dead)
    assert (flag.segment_index, flag.evidence) == (0, segments[0].text)
    assert "closest examples" in flag.reason


def test_a_flag_from_either_screen_stands() -> None:
    segments = session((P, "I want to kill myself."))
    rules = union(detect_risks(split_sentences(segments)))
    assert union(rules, []) == rules == union([], rules)
    assert [f.category for f in rules] == [RiskCategory.active_ideation]


def test_fragments_are_read_only_with_the_question_they_answer() -> None:
    """A fragment is near nothing in meaning, and its nearest examples then vote at random."""
    segments = session(
        (P, "Eight Thursday."),
        (T, "Have you thought about how you would do it?"),
        (P, "The bridge."),
    )
    readings = [(unit.segment_index, unit.text) for unit in reading_units(segments)]
    assert readings == [(2, "Have you thought about how you would do it? The bridge.")]
    assert all(len(text.split()) >= MIN_WORDS for _, text in readings)


def test_a_reading_needs_a_close_example_as_well_as_the_vote() -> None:
    examples = load_neighbours()
    assert 0.3 <= examples.floor <= 0.9, "train_risk chooses a floor by cross-validation"
    mundane = session((P, "I had a sandwich at lunch and then watched the football."))
    assert screen_risks(mundane) == []

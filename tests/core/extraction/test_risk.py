import json
from pathlib import Path

import pytest

from core.extracted_notes import RiskFlag, RiskType, Severity, Speaker, TranscriptSegment
from core.extraction.risk.rules import detect_risks
from core.extraction.text import split_sentences
from core.extraction.transcript import parse_transcript

SCENARIOS = Path(__file__).parents[3] / "data" / "risk_scenarios" / "scenarios.jsonl"
NO_RISK_CATEGORIES = {
    "negated",
    "hypothetical",
    "third_party",
    "idiom",
    "screening_negative",
    "therapist_only",
}


def flags_in(transcript: str) -> list[RiskFlag]:
    return detect_risks(split_sentences(parse_transcript(transcript)))


@pytest.mark.parametrize(
    ("statement", "risk_type", "severity"),
    [
        ("I wish I could just not wake up.", RiskType.suicidal_ideation_passive, Severity.medium),
        (
            "Everyone would be better off without me.",
            RiskType.suicidal_ideation_passive,
            Severity.medium,
        ),
        ("I've thought about killing myself.", RiskType.suicidal_ideation_active, Severity.high),
        ("I've been looking at pills.", RiskType.suicidal_ideation_active, Severity.high),
        ("I cut myself on Friday.", RiskType.self_harm, Severity.medium),
        ("I keep burning my arm.", RiskType.self_harm, Severity.medium),
        ("I want to hurt him.", RiskType.harm_to_others, Severity.high),
        ("I could kill her.", RiskType.harm_to_others, Severity.high),
        ("He hits me.", RiskType.abuse_neglect, Severity.high),
        ("No one feeds the kids.", RiskType.abuse_neglect, Severity.high),
    ],
)
def test_patient_risk_statements_raise_a_flag_with_their_words(
    statement: str, risk_type: RiskType, severity: Severity
) -> None:
    flags = flags_in(f"T: What happened then?\nP: Well. {statement}")

    assert [(f.type, f.severity, f.evidence, f.segment_index) for f in flags] == [
        (risk_type, severity, statement, 1)
    ]


def test_a_plan_is_active_ideation_only_after_suicidal_talk() -> None:
    assert flags_in("P: I have a plan for the weekend.") == []

    flags = flags_in("P: Some days I want to die.\nT: Go on.\nP: I have a plan.")

    assert [(f.type, f.segment_index) for f in flags] == [
        (RiskType.suicidal_ideation_passive, 0),
        (RiskType.suicidal_ideation_active, 2),
    ]


@pytest.mark.parametrize(
    "statement",
    [
        "I am not having thoughts of hurting myself.",
        "I would never kill myself.",
        "I have never cut myself.",
        "I don't want to die.",
        "I'd never hurt him.",
        "If I ever felt like hurting myself I'd call you.",
        "My friend said she wanted to die.",
        "This traffic is killing me.",
        "I could die of embarrassment.",
        "My mum would kill me if she found out.",
        "I cut myself shaving.",
        "It really hit me that I have to stop.",
    ],
)
def test_negations_hypotheticals_other_people_and_idioms_raise_nothing(statement: str) -> None:
    assert flags_in(f"P: {statement}") == []


def test_a_negation_that_does_not_negate_the_risk_is_not_one() -> None:
    flags = flags_in("P: I can't stop thinking about killing myself.")

    assert [f.type for f in flags] == [RiskType.suicidal_ideation_active]


def test_a_conditional_threat_is_not_a_hypothetical() -> None:
    flags = flags_in("P: If she leaves me I'll kill myself.")

    assert [f.type for f in flags] == [RiskType.suicidal_ideation_active]


def test_the_therapist_asking_raises_nothing() -> None:
    assert flags_in("T: Have you had thoughts of hurting yourself?") == []


def test_an_affirmative_answer_to_a_screening_question_is_a_flag_in_its_context() -> None:
    flags = flags_in("T: Have you had thoughts of hurting yourself?\nP: Yes, sometimes.")

    assert len(flags) == 1
    assert flags[0].type is RiskType.self_harm
    assert flags[0].evidence == "Yes, sometimes."
    assert flags[0].segment_index == 1
    assert flags[0].context == 'Answer to "Have you had thoughts of hurting yourself?"'


def test_a_negative_answer_to_a_screening_question_raises_nothing() -> None:
    assert flags_in("T: Have you had thoughts of hurting yourself?\nP: No, never.") == []


def test_an_answer_later_in_the_session_is_not_an_answer_to_the_question() -> None:
    transcript = "T: Any thoughts of suicide?\nP: No.\nT: And work?\nP: Yes, sometimes."

    assert flags_in(transcript) == []


def test_not_feeling_safe_at_home_is_a_flag() -> None:
    flags = flags_in("T: Do you feel safe at home?\nP: Not really.")

    assert [f.type for f in flags] == [RiskType.abuse_neglect]
    assert flags_in("T: Do you feel safe at home?\nP: Yes, I do.") == []


def test_a_disclosure_about_the_past_is_one_level_less_severe() -> None:
    flags = flags_in("P: I used to cut myself when I was a teenager.")

    assert [(f.type, f.severity) for f in flags] == [(RiskType.self_harm, Severity.low)]


def test_an_unknown_speaker_is_screened_like_the_patient() -> None:
    segment = TranscriptSegment(start=3, end=6, text="I want to kill myself.")

    flags = detect_risks(split_sentences([segment]))

    assert [f.type for f in flags] == [RiskType.suicidal_ideation_active]


def test_the_therapist_saying_risk_words_raises_nothing() -> None:
    segment = TranscriptSegment(
        start=0, end=4, text="Some clients tell me they want to die.", speaker=Speaker.therapist
    )

    assert detect_risks(split_sentences([segment])) == []


def test_one_flag_per_concern_in_a_segment_keeps_the_most_severe() -> None:
    flags = flags_in("P: I want to die. I've thought about killing myself.")

    assert [(f.type, f.evidence) for f in flags] == [
        (RiskType.suicidal_ideation_active, "I've thought about killing myself.")
    ]


def load_scenarios() -> list[dict]:
    return [json.loads(line) for line in SCENARIOS.read_text().splitlines() if line.strip()]


def test_the_labelled_scenarios_are_all_found() -> None:
    missed = []
    for scenario in load_scenarios():
        found = {(f.type.value, f.segment_index) for f in flags_in(scenario["transcript"])}
        expected = {(f["type"], f["segment_index"]) for f in scenario["flags"]}
        missed += [(scenario["id"], flag) for flag in expected - found]

    assert missed == []


def test_the_labelled_scenarios_without_risk_raise_no_flag() -> None:
    scenarios = [s for s in load_scenarios() if s["category"] in NO_RISK_CATEGORIES]
    assert len(scenarios) >= 30

    raised = [(s["id"], flags_in(s["transcript"])) for s in scenarios]

    assert [(scenario_id, flags) for scenario_id, flags in raised if flags] == []

"""Reading a note's facts back from its text: what reports count is what was written."""

import pytest

from core.enums import NoteTemplate
from core.extracted_notes import (
    ActionItem,
    ExtractedGoal,
    ExtractedNotes,
    MoodLevel,
    RiskFlag,
    RiskType,
    Severity,
    Strategy,
    StrategyStatus,
)
from core.notes.autofill import fill_template
from core.notes.record import list_items, read_mood, read_record, read_risk, record_from_extraction
from core.notes.templates import RECORD_FIELDS, TEMPLATE_FIELDS

NOTES = ExtractedNotes(
    key_topics=["anxiety", "sleep"],
    session_mood=MoodLevel.low,
    emotional_themes=["worry"],
    strategies=[
        Strategy(name="Box breathing", category="breathing", status=StrategyStatus.practiced)
    ],
    action_items=[ActionItem(task="Walk daily", details="10 minutes")],
    follow_up_topics=["work stress"],
    risk_flags=[
        RiskFlag(type=RiskType.self_harm, severity=Severity.medium, evidence="I cut myself")
    ],
    treatment_goals=[ExtractedGoal(description="Sleep 7 hours", baseline="4 hours", current="6")],
)


@pytest.mark.parametrize("template", list(NoteTemplate))
def test_every_template_records_what_reports_aggregate(template: NoteTemplate) -> None:
    for category in ("topics", "interventions", "homework", "follow_up", "goals", "risk"):
        places = RECORD_FIELDS[template].get(category, ())
        assert places, f"{template} has no place for {category}"
        for section, field in places:
            assert field in TEMPLATE_FIELDS[template][section]


@pytest.mark.parametrize("template", list(NoteTemplate))
def test_a_draft_records_what_the_extraction_found(template: NoteTemplate) -> None:
    record = read_record(template, fill_template(NOTES, template).sections)
    assert record.topics == ["anxiety", "sleep"]
    assert record.homework == ["Walk daily — 10 minutes"]
    assert record.follow_up == ["work stress"]
    assert [(g.description, g.reading) for g in record.goals] == [("Sleep 7 hours", "6")]
    assert [(f.type, f.severity) for f in record.risk_flags] == [
        (RiskType.self_harm, Severity.medium)
    ]
    if template is not NoteTemplate.progress:  # its interventions are the strategies reviewed
        assert record.interventions == ["Box breathing"]


def test_the_clinicians_words_replace_the_extractions() -> None:
    sections = fill_template(NOTES, NoteTemplate.soap).sections
    sections["subjective"]["presenting_issues"] = "grief; anxiety"
    sections["subjective"]["mood"] = "Very low, tearful"
    sections["plan"]["homework"] = "1. Call sister\n2. Journal nightly"
    sections["assessment"]["risk_assessment"] = (
        "Self-harm: denied when asked. Safety plan reviewed."
    )
    record = read_record(NoteTemplate.soap, sections)
    assert record.topics == ["grief", "anxiety"]
    assert record.mood is MoodLevel.very_low
    assert record.homework == ["Call sister", "Journal nightly"]
    assert record.risk_flags == []  # a denial is not a flag
    assert record.risk_assessment.startswith("Self-harm: denied")
    assert "Call sister" in record.plan


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('Self-harm (high severity): "cut last week"', (RiskType.self_harm, Severity.high)),
        (
            "• Passive suicidal ideation (medium): wishes to sleep forever",
            (RiskType.suicidal_ideation_passive, Severity.medium),
        ),
        ("Suicidal ideation: plan to overdose", (None, None)),
        (
            "Harm to others (moderate): threatened coworker",
            (RiskType.harm_to_others, Severity.medium),
        ),
    ],
)
def test_risk_lines_name_their_risk(line: str, expected: tuple) -> None:
    flag = read_risk(line)
    assert flag is not None
    assert (flag.type, flag.severity) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Self-harm: denied",
        "Self-harm history reviewed; none current",
        "Suicidal ideation (low): none reported",
        "Patient denied suicidal ideation when asked (segment 4)",
        "No risk indicators",
    ],
)
def test_denials_and_prose_are_not_flags(line: str) -> None:
    assert read_risk(line) is None


def test_lists_and_moods() -> None:
    assert list_items("• a, b\n• c") == ["a, b", "c"]
    assert list_items("a, b; c", commas=True) == ["a", "b", "c"]
    assert list_items("None.") == []
    assert read_mood("neutral, guarded") is MoodLevel.neutral
    assert read_mood("euthymic") is None


def test_a_session_without_a_note_records_its_extraction() -> None:
    record = record_from_extraction(NOTES)
    assert record.interventions == ["Box breathing"]
    assert record.homework == ["Walk daily"]
    assert record.mood is MoodLevel.low

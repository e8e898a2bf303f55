import pytest

from core.enums import NoteTemplate
from core.extracted_notes import (
    ExtractedNotes,
    RiskFlag,
    RiskType,
    Severity,
    Strategy,
    StrategyStatus,
)
from core.notes.autofill import field_confidence, fill_template
from core.notes.evidence import NOT_ASSESSED
from core.notes.screening import RiskScreening, ScreeningAnswer, ScreeningTopic

# The sections and fields of section 7 of the specification, written out independently of
# core.notes.templates so a slip there is caught here; fields marked "+" are ours, so every
# template states what reports aggregate (topics, themes, follow-up, goals, risk).
SPEC_LAYOUT = {
    NoteTemplate.soap: {
        "subjective": [
            "chief_complaint",
            "mood",
            "presenting_issues",
            "patient_concerns",
            "significant_statements",
        ],
        "objective": ["presentation", "mood_affect", "emotional_themes", "triggers_identified"],
        "assessment": ["clinical_impression", "strategies_reviewed", "risk_assessment"],
        "plan": ["interventions", "homework", "follow_up_topics", "treatment_goals"],  # + goals
    },
    NoteTemplate.dap: {
        "data": ["observations", "topics_discussed", "emotional_presentation", "triggers"],
        "assessment": ["clinical_impression", "interventions_used", "risk_assessment"],
        "plan": ["homework", "next_session_focus", "treatment_goals"],  # + goals
    },
    NoteTemplate.birp: {
        "behavior": [
            "presentation",
            "topics_discussed",  # +
            "emotional_state",
            "triggers_exhibited",
            "risk_assessment",  # +
        ],
        "intervention": ["techniques", "interventions_applied"],
        "response": ["patient_response", "mood_trajectory"],
        "plan": ["next_steps", "homework", "follow_up_topics", "treatment_goals"],  # + the last two
    },
    NoteTemplate.progress: {
        "session_summary": ["overview", "topics_covered"],
        "clinical_presentation": ["mood_affect", "emotional_themes"],
        "progress": ["changes", "strategies_effectiveness"],
        "risk_assessment": ["risk_flags"],
        "plan": ["next_steps", "follow_up_topics", "treatment_goals"],  # + the last two
    },
}
RISK_PLACE = {
    NoteTemplate.soap: ("assessment", "risk_assessment"),
    NoteTemplate.dap: ("assessment", "risk_assessment"),
    NoteTemplate.birp: ("behavior", "risk_assessment"),
    NoteTemplate.progress: ("risk_assessment", "risk_flags"),
}
RISK_FIELD = {
    NoteTemplate.soap: ("assessment", "risk_assessment"),
    NoteTemplate.dap: ("assessment", "risk_assessment"),
    NoteTemplate.progress: ("risk_assessment", "risk_flags"),
}
BOX_BREATHING = "• Box breathing (breathing, practiced) — Patient used during session"
HOMEWORK = "• Practice breathing exercises — 5 minutes daily"


def strategy(name: str, status: StrategyStatus) -> Strategy:
    return Strategy(name=name, category="skills", status=status)


def flag(evidence: str = "I just wish I could disappear") -> RiskFlag:
    return RiskFlag(
        type=RiskType.suicidal_ideation_passive,
        severity=Severity.medium,
        evidence=evidence,
        segment_index=12,
    )


def screening(answer: ScreeningAnswer, answer_segment: int | None = 8) -> RiskScreening:
    return RiskScreening(
        topics=(ScreeningTopic.suicidal_ideation,),
        question_segment=7,
        answer_segment=answer_segment,
        answer=answer,
    )


@pytest.mark.parametrize("template", list(NoteTemplate))
def test_every_template_has_the_specifications_sections_and_fields(
    template: NoteTemplate, spec_notes: ExtractedNotes
) -> None:
    result = fill_template(spec_notes, template)
    layout = {section: list(fields) for section, fields in result.sections.items()}
    assert layout == SPEC_LAYOUT[template]
    assert list(result.confidence_scores) == list(SPEC_LAYOUT[template])
    assert result.metadata.template_type == template


def test_soap_from_the_specifications_example(spec_notes: ExtractedNotes) -> None:
    sections = fill_template(spec_notes, NoteTemplate.soap).sections
    assert sections["subjective"]["chief_complaint"] == "Discussed anxiety management strategies"
    assert sections["subjective"]["mood"] == "positive"
    assert sections["subjective"]["presenting_issues"] == "• anxiety\n• breathing"
    # Objective holds observations the session describes; this one describes none.
    assert sections["objective"]["presentation"] == ""
    assert sections["objective"]["emotional_themes"] == "• hopeful\n• engaged"
    assert sections["assessment"]["clinical_impression"] == (
        "Good engagement, making progress on anxiety management"
    )
    assert sections["assessment"]["strategies_reviewed"] == ""  # Box breathing was practiced
    assert sections["plan"] == {
        "interventions": BOX_BREATHING,
        "homework": HOMEWORK,
        "follow_up_topics": "",
        "treatment_goals": "",
    }


def test_dap_from_the_specifications_example(spec_notes: ExtractedNotes) -> None:
    sections = fill_template(spec_notes, NoteTemplate.dap).sections
    assert sections["data"]["observations"] == "Discussed anxiety management strategies."
    assert sections["data"]["emotional_presentation"] == "• hopeful\n• engaged"
    assert sections["assessment"]["interventions_used"] == BOX_BREATHING
    assert sections["plan"]["homework"] == HOMEWORK


def test_birp_from_the_specifications_example(spec_notes: ExtractedNotes) -> None:
    sections = fill_template(spec_notes, NoteTemplate.birp).sections
    assert sections["behavior"]["presentation"] == ""
    assert sections["intervention"]["interventions_applied"] == BOX_BREATHING
    assert sections["response"] == {
        "patient_response": BOX_BREATHING,
        "mood_trajectory": "improving",
    }
    assert sections["plan"] == {
        "next_steps": HOMEWORK,
        "homework": "",
        "follow_up_topics": "",
        "treatment_goals": "",
    }


def test_progress_note_from_the_specifications_example(spec_notes: ExtractedNotes) -> None:
    sections = fill_template(spec_notes, NoteTemplate.progress).sections
    assert sections["session_summary"] == {
        "overview": "Discussed anxiety management strategies",
        "topics_covered": "• anxiety\n• breathing",
    }
    assert sections["clinical_presentation"]["mood_affect"] == "positive"
    assert sections["progress"] == {"changes": "improving", "strategies_effectiveness": ""}
    assert sections["plan"]["next_steps"] == HOMEWORK


def test_strategies_are_filtered_by_status_where_the_specification_says() -> None:
    notes = ExtractedNotes(
        strategies=[
            strategy("Grounding", StrategyStatus.introduced),
            strategy("Box breathing", StrategyStatus.practiced),
            strategy("Sleep diary", StrategyStatus.assigned),
            strategy("Thought record", StrategyStatus.reviewed),
        ]
    )
    soap = fill_template(notes, NoteTemplate.soap).sections
    birp = fill_template(notes, NoteTemplate.birp).sections
    progress = fill_template(notes, NoteTemplate.progress).sections
    assert soap["assessment"]["strategies_reviewed"] == "• Thought record (skills, reviewed)"
    assert soap["plan"]["interventions"].count("•") == 4
    assert birp["intervention"]["interventions_applied"] == (
        "• Grounding (skills, introduced)\n• Box breathing (skills, practiced)"
    )
    assert birp["plan"]["homework"] == "• Sleep diary (skills, assigned)"
    assert progress["progress"]["strategies_effectiveness"] == (
        "• Thought record (skills, reviewed)"
    )


def test_dap_next_session_focus_keeps_the_first_three_follow_ups() -> None:
    notes = ExtractedNotes(follow_up_topics=["sleep", "work", "family", "exercise"])
    plan = fill_template(notes, NoteTemplate.dap).sections["plan"]
    assert plan["next_session_focus"] == "• sleep\n• work\n• family"


@pytest.mark.parametrize("template", list(RISK_FIELD))
def test_risk_flags_are_rendered_with_type_severity_and_evidence(
    template: NoteTemplate,
) -> None:
    section, field = RISK_FIELD[template]
    notes = ExtractedNotes(risk_flags=[flag()])
    risk = fill_template(notes, template).sections[section][field]
    assert risk == (
        '• Passive suicidal ideation (medium severity): "I just wish I could disappear" '
        "(segment 12)"
    )


@pytest.mark.parametrize("template", list(NoteTemplate))
def test_empty_notes_fabricate_nothing(template: NoteTemplate) -> None:
    result = fill_template(ExtractedNotes(), template)
    section, field = RISK_PLACE[template]
    # Only the risk field speaks: that nobody screened, never an implied all-clear.
    assert result.sections[section][field] == NOT_ASSESSED
    filled = [(s, f) for s, fields in result.sections.items() for f, text in fields.items() if text]
    assert filled == [(section, field)]
    expected = {
        s: [f for f in fields if (s, f) != (section, field)]
        for s, fields in SPEC_LAYOUT[template].items()
    }
    assert result.missing_fields == {s: fields for s, fields in expected.items() if fields}


@pytest.mark.parametrize("template", list(RISK_FIELD))
def test_no_denial_unless_the_question_was_asked(
    template: NoteTemplate, spec_notes: ExtractedNotes
) -> None:
    section, field = RISK_FIELD[template]
    result = fill_template(spec_notes, template)
    assert result.sections[section][field] == NOT_ASSESSED
    assert "denie" not in result.model_dump_json().lower()


@pytest.mark.parametrize("template", list(RISK_FIELD))
def test_a_denial_is_recorded_only_when_asked_and_plainly_answered_no(
    template: NoteTemplate, spec_notes: ExtractedNotes
) -> None:
    section, field = RISK_FIELD[template]
    result = fill_template(spec_notes, template, screening(ScreeningAnswer.negative))
    assert result.sections[section][field] == (
        "Patient denied suicidal ideation when asked (segment 8)"
    )
    assert field not in result.missing_fields.get(section, [])


def test_a_self_harm_denial_says_self_harm(spec_notes: ExtractedNotes) -> None:
    asked = RiskScreening(
        topics=(ScreeningTopic.self_harm,),
        question_segment=3,
        answer_segment=4,
        answer=ScreeningAnswer.negative,
    )
    risk = fill_template(spec_notes, NoteTemplate.soap, asked).sections["assessment"]
    assert risk["risk_assessment"] == "Patient denied self-harm when asked (segment 4)"


def test_beside_flags_the_exchange_is_stated_as_it_happened() -> None:
    notes = ExtractedNotes(risk_flags=[flag()])
    result = fill_template(notes, NoteTemplate.soap, screening(ScreeningAnswer.negative))
    risk = result.sections["assessment"]["risk_assessment"]
    assert risk.splitlines() == [
        '• Passive suicidal ideation (medium severity): "I just wish I could disappear" '
        "(segment 12)",
        "• Asked about suicidal ideation (segment 7); answered no (segment 8)",
    ]
    assert "denied" not in risk


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        (
            screening(ScreeningAnswer.affirmative),
            "Patient's answer when asked about suicidal ideation was affirmative (segment 8); "
            "clinician review required",
        ),
        (
            screening(ScreeningAnswer.unclear),
            "Patient's answer when asked about suicidal ideation was unclear (segment 8); "
            "clinician review required",
        ),
        (
            screening(ScreeningAnswer.unclear, answer_segment=None),
            "Patient was asked about suicidal ideation (segment 7) and no answer was recorded; "
            "clinician review required",
        ),
    ],
)
def test_anything_but_a_plain_no_goes_to_the_clinician(
    asked: RiskScreening, expected: str, spec_notes: ExtractedNotes
) -> None:
    risk = fill_template(spec_notes, NoteTemplate.soap, asked).sections["assessment"]
    assert risk["risk_assessment"] == expected


@pytest.mark.parametrize(
    ("evidence", "confidence"),
    [
        ("", 0.0),
        ("   ", 0.0),
        ("x" * 19, 0.5),
        ("x" * 20, 0.8),
        ("x" * 99, 0.8),
        ("x" * 100, 1.0),
        ([], 0.3),
        (["a"], 0.7),
        (["a", "b"], 0.7),
        (["a", "b", "c"], 1.0),
    ],
)
def test_field_confidence_boundaries(evidence: str | list[str], confidence: float) -> None:
    assert field_confidence(evidence) == confidence


@pytest.mark.parametrize(
    ("summary_length", "topics", "confidence"),
    [
        (0, [], 0.15),  # (0.0 + 0.3) / 2
        (19, ["a", "b"], 0.6),  # (0.5 + 0.7) / 2
        (20, ["a", "b", "c"], 0.9),  # (0.8 + 1.0) / 2
        (100, ["a", "b", "c"], 1.0),
    ],
)
def test_section_confidence_is_the_mean_of_its_fields(
    summary_length: int, topics: list[str], confidence: float
) -> None:
    notes = ExtractedNotes(topic_summary="x" * summary_length, key_topics=topics)
    result = fill_template(notes, NoteTemplate.progress)
    assert result.confidence_scores["session_summary"] == confidence


def test_a_list_rendered_as_text_is_scored_as_a_list() -> None:
    # "• anxiety" is 9 characters, a short text (0.5); as a one-item list it scores 0.7.
    notes = ExtractedNotes(topic_summary="x" * 100, key_topics=["anxiety"])
    result = fill_template(notes, NoteTemplate.progress)
    assert result.confidence_scores["session_summary"] == 0.85


def test_overall_confidence_and_mapped_fields(spec_notes: ExtractedNotes) -> None:
    result = fill_template(spec_notes, NoteTemplate.progress)
    # session_summary (0.8 + 0.7) / 2, clinical_presentation (0.5 + 0.7) / 2,
    # progress (0.5 + 0.3) / 2, risk_assessment 0.0 (not assessed), plan (0.7 + 0.3 + 0.3) / 3
    assert result.confidence_scores == {
        "session_summary": 0.75,
        "clinical_presentation": 0.6,
        "progress": 0.4,
        "risk_assessment": 0.0,
        "plan": 0.43,
    }
    assert result.metadata.overall_confidence == 0.44
    assert result.metadata.mapped_fields_count == 7
    assert result.missing_fields == {
        "progress": ["strategies_effectiveness"],
        "plan": ["follow_up_topics", "treatment_goals"],
    }


def test_the_mood_stands_in_for_a_missing_summary_as_chief_complaint() -> None:
    notes = ExtractedNotes(session_mood="very_low")
    subjective = fill_template(notes, NoteTemplate.soap).sections["subjective"]
    assert subjective["chief_complaint"] == "Session mood: very low"
    assert subjective["mood"] == "very low"


def test_objective_holds_what_was_observed() -> None:
    notes = ExtractedNotes(
        presentation=["Seemed tired (therapist's observation)", "Sighed audibly"]
    )
    objective = fill_template(notes, NoteTemplate.soap).sections["objective"]
    assert objective["presentation"] == "• Seemed tired (therapist's observation)\n• Sighed audibly"

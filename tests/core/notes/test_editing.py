import pytest

from core.enums import NoteTemplate
from core.notes.editing import MAX_FIELD_CHARS, merge_sections, missing_fields
from core.notes.errors import InvalidNoteContent
from core.notes.templates import TEMPLATE_FIELDS

DAP = NoteTemplate.dap


def _blank(template: NoteTemplate) -> dict[str, dict[str, str]]:
    return {
        section: dict.fromkeys(fields, "") for section, fields in TEMPLATE_FIELDS[template].items()
    }


def test_merge_replaces_mentioned_fields_and_keeps_the_rest() -> None:
    current = _blank(DAP)
    current["plan"]["homework"] = "Breathing practice"
    merged = merge_sections(DAP, current, {"plan": {"next_session_focus": "Sleep"}})
    assert merged["plan"] == {
        "homework": "Breathing practice",
        "next_session_focus": "Sleep",
        "treatment_goals": "",
    }
    assert merged["data"] == current["data"]
    assert current["plan"]["next_session_focus"] == ""  # the input is not changed


def test_clinician_may_add_a_field_to_a_template_section() -> None:
    merged = merge_sections(DAP, _blank(DAP), {"assessment": {"diagnosis_code": "F41.1"}})
    assert merged["assessment"]["diagnosis_code"] == "F41.1"
    assert set(TEMPLATE_FIELDS[DAP]["assessment"]) < set(merged["assessment"])


@pytest.mark.parametrize(
    "changes",
    [
        ["not", "a", "mapping"],
        {"subjective": {"mood": "low"}},  # a SOAP section, not a DAP one
        {"plan": "homework"},
        {"plan": {"homework": ["a list"]}},
        {"plan": {"homework": None}},
        {"plan": {"Home Work": "text"}},
        {"plan": {"1st": "text"}},
        {"plan": {"homework": "x" * (MAX_FIELD_CHARS + 1)}},
    ],
)
def test_malformed_changes_are_refused(changes: object) -> None:
    with pytest.raises(InvalidNoteContent):
        merge_sections(DAP, _blank(DAP), changes)


def test_refusals_do_not_repeat_what_was_sent() -> None:
    with pytest.raises(InvalidNoteContent) as refused:
        merge_sections(DAP, _blank(DAP), {"Jane Roe's history": {"x": "y"}})
    assert "Jane" not in str(refused.value)
    assert "data, assessment, plan" in str(refused.value)


def test_missing_fields_lists_empty_template_fields_only() -> None:
    sections = _blank(DAP)
    sections["data"]["observations"] = "Calm"
    sections["plan"] = {
        "homework": "  \n",
        "next_session_focus": "Sleep",
        "treatment_goals": "Walk daily",
        "extra_field": "",
    }
    missing = missing_fields(DAP, sections)
    assert missing["data"] == ["topics_discussed", "emotional_presentation", "triggers"]
    assert missing["plan"] == ["homework"]
    assert "extra_field" not in missing["plan"]


def test_a_complete_note_misses_nothing() -> None:
    full = {
        section: dict.fromkeys(fields, "text") for section, fields in TEMPLATE_FIELDS[DAP].items()
    }
    assert missing_fields(DAP, full) == {}

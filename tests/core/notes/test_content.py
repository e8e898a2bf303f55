import hashlib

from core.enums import NoteTemplate
from core.extracted_notes import ExtractedNotes
from core.notes.autofill import fill_template
from core.notes.content import canonical_json, content_sha256, render_note_text


def test_canonical_json_is_sorted_compact_utf8() -> None:
    sections = {"plan": {"homework": "Café walk", "follow_up_topics": ""}}
    expected = (
        '{"sections":{"plan":{"follow_up_topics":"","homework":"Café walk"}},"template":"soap"}'
    )
    assert canonical_json(NoteTemplate.soap, sections) == expected.encode("utf-8")
    assert content_sha256(NoteTemplate.soap, sections) == (
        hashlib.sha256(expected.encode("utf-8")).hexdigest()
    )


def test_hash_ignores_key_order_line_endings_and_surrounding_space() -> None:
    one = {"subjective": {"mood": "low", "chief_complaint": "Sleep\nWork"}}
    other = {"subjective": {"chief_complaint": "  Sleep\r\nWork\n", "mood": "low"}}
    assert content_sha256(NoteTemplate.soap, one) == content_sha256(NoteTemplate.soap, other)


def test_hash_ignores_unicode_composition() -> None:
    composed = {"data": {"observations": "caf\u00e9"}}
    decomposed = {"data": {"observations": "cafe\u0301"}}
    assert content_sha256(NoteTemplate.dap, composed) == content_sha256(
        NoteTemplate.dap, decomposed
    )


def test_hash_changes_with_content_or_template() -> None:
    sections = {"plan": {"homework": "Walk daily"}}
    signed = content_sha256(NoteTemplate.soap, sections)
    assert content_sha256(NoteTemplate.soap, {"plan": {"homework": "Walk weekly"}}) != signed
    assert content_sha256(NoteTemplate.dap, sections) != signed


def test_note_text_follows_the_template(spec_notes: ExtractedNotes) -> None:
    sections = fill_template(spec_notes, NoteTemplate.birp).sections
    text = render_note_text(NoteTemplate.birp, sections)
    assert text == (
        "BIRP NOTE\n"
        "\n"
        "BEHAVIOR\n"
        "Presentation: (not documented)\n"
        "Topics discussed:\n"
        "• anxiety\n"
        "• breathing\n"
        "Emotional state:\n"
        "• hopeful\n"
        "• engaged\n"
        "Triggers exhibited: (not documented)\n"
        "Risk assessment: Not assessed this session (no screening question found in the "
        "transcript)\n"
        "\n"
        "INTERVENTION\n"
        "Techniques:\n"
        "• Box breathing (breathing, practiced) — Patient used during session\n"
        "Interventions applied:\n"
        "• Box breathing (breathing, practiced) — Patient used during session\n"
        "\n"
        "RESPONSE\n"
        "Patient response:\n"
        "• Box breathing (breathing, practiced) — Patient used during session\n"
        "Mood trajectory: improving\n"
        "\n"
        "PLAN\n"
        "Next steps:\n"
        "• Practice breathing exercises — 5 minutes daily\n"
        "Homework: (not documented)\n"
        "Follow up topics: (not documented)\n"
        "Treatment goals: (not documented)\n"
    )


def test_note_text_keeps_the_template_order_whatever_the_key_order() -> None:
    # PostgreSQL's JSONB does not keep key order: the template decides it.
    sections = {
        "plan": {"next_steps": "Call GP"},
        "session_summary": {"topics_covered": "", "overview": "Sleep"},
        "extra": {"note": "Added by clinician"},
    }
    text = render_note_text(NoteTemplate.progress, sections)
    assert text.splitlines() == [
        "PROGRESS NOTE",
        "",
        "SESSION SUMMARY",
        "Overview: Sleep",
        "Topics covered: (not documented)",
        "",
        "PLAN",
        "Next steps: Call GP",
        "",
        "EXTRA",
        "Note: Added by clinician",
    ]

from pathlib import Path

import pytest

from core.enums import NoteTemplate
from core.errors import Invalid
from core.extraction.local import extract_notes
from core.extraction.transcript import parse_transcript
from core.notes.transcript_draft import autofill_transcript_file, draft_note

TRANSCRIPT = """\
T: How have things been since last week?
P: Work has been stressful and I have been anxious most evenings.
T: Did you try the box breathing we practiced?
P: Yes, I used it twice before meetings and it helped me calm down.
T: Have you had any thoughts of suicide or of harming yourself?
P: No.
T: For homework, keep a thought record every evening this week.
"""


@pytest.fixture
def transcript_file(tmp_path: Path) -> Path:
    path = tmp_path / "session.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    return path


@pytest.mark.parametrize("template", list(NoteTemplate))
def test_a_file_drafts_the_same_note_as_its_session_would(
    transcript_file: Path, template: NoteTemplate
) -> None:
    result = autofill_transcript_file(transcript_file, template)
    segments = parse_transcript(TRANSCRIPT)
    assert result == draft_note(extract_notes(segments), segments, template)
    assert result.metadata.template_type == template
    assert result.metadata.mapped_fields_count > 0


def test_the_screening_answer_reaches_the_risk_field(transcript_file: Path) -> None:
    result = autofill_transcript_file(transcript_file, NoteTemplate.soap)
    risk = result.sections["assessment"]["risk_assessment"]
    assert risk.startswith("Patient denied suicidal ideation and self-harm when asked")
    assert "Box breathing" in result.sections["plan"]["interventions"]


def test_unlabelled_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("We talked about work and sleep.\n", encoding="utf-8")
    with pytest.raises(Invalid, match="T:"):
        autofill_transcript_file(path, NoteTemplate.dap)

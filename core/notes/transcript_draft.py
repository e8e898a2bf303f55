"""A draft note from a transcript, without a database: for session drafts and `tb autofill`.

The extracted notes fill the template; the transcript's risk-screening exchange, when there is
one, lets the risk field record what the patient answered.
"""

from pathlib import Path

from core.enums import NoteTemplate
from core.extracted_notes import ExtractedNotes, TranscriptSegment
from core.extraction.local import extract_notes
from core.extraction.transcript import parse_transcript
from core.notes.autofill import AutofillResult, fill_template
from core.notes.screening import find_risk_screening


def draft_note(
    notes: ExtractedNotes, segments: list[TranscriptSegment], template: NoteTemplate
) -> AutofillResult:
    """The template filled from the notes, with the transcript's risk-screening exchange."""
    return fill_template(notes, template, find_risk_screening(segments))


def autofill_transcript_file(path: Path, template: NoteTemplate) -> AutofillResult:
    """Draft a note from a `T: …`/`P: …` transcript file with the offline extractor.

    Raises OSError when the file cannot be read and ValueError when it has no speaker labels.
    """
    segments = parse_transcript(path.read_text(encoding="utf-8"))
    return draft_note(extract_notes(segments), segments, template)

"""What a session row holds once it is processed: validated notes and the transcript."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.enums import SessionStatus
from core.extracted_notes import ExtractedNotes, TranscriptSegment
from core.extraction.transcript import render_transcript


def transcript_fields(segments: list[TranscriptSegment]) -> dict[str, Any]:
    return {
        "transcript_text": render_transcript(segments),
        "transcript_segments": [segment.model_dump(mode="json") for segment in segments],
    }


def notes_fields(notes: ExtractedNotes) -> dict[str, Any]:
    """Columns written from extracted notes; validated again here, whatever produced them."""
    valid = ExtractedNotes.model_validate(notes.model_dump())
    return {
        "extracted_notes": valid.model_dump(mode="json"),
        "therapist_summary": valid.therapist_notes or None,
        "patient_summary": valid.patient_summary or None,
        "risk_flags": [flag.model_dump(mode="json") for flag in valid.risk_flags],
    }


def processed_fields(segments: list[TranscriptSegment], notes: ExtractedNotes) -> dict[str, Any]:
    return {
        **transcript_fields(segments),
        **notes_fields(notes),
        "status": SessionStatus.processed,
        "progress": 100,
        "processed_at": datetime.now(UTC),
    }

"""Structured clinical notes from a session transcript.

`get_extractor(settings)` returns the configured back end; `await extractor.extract(segments)`
returns `ExtractedNotes`. Failures raise `ExtractionError`, or `TransientExtractionError` when a
retry may succeed.
"""

from core.extraction.base import (
    ExtractionError,
    Extractor,
    TransientExtractionError,
    get_extractor,
)
from core.extraction.transcript import parse_transcript, render_transcript

__all__ = [
    "ExtractionError",
    "Extractor",
    "TransientExtractionError",
    "get_extractor",
    "parse_transcript",
    "render_transcript",
]

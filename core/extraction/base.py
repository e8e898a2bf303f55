"""The extraction back-end interface, its errors, and the choice of back end from settings."""

from __future__ import annotations

from typing import Protocol

from core.extracted_notes import ExtractedNotes, TranscriptSegment
from core.settings import ConfigError, Settings


class ExtractionError(Exception):
    """Extraction failed for good: trying the same transcript again will fail the same way.

    Messages name what went wrong, never the transcript's content.
    """


class TransientExtractionError(ExtractionError):
    """Extraction failed for now (rate limit, server error, timeout): worth retrying later."""


class Extractor(Protocol):
    async def extract(self, segments: list[TranscriptSegment]) -> ExtractedNotes: ...


def get_extractor(settings: Settings) -> Extractor:
    """The back end `settings.extractor` names (EXTRACTOR=local|openai)."""
    if settings.extractor == "openai":
        if not settings.openai_api_key:
            raise ConfigError("EXTRACTOR=openai needs OPENAI_API_KEY")
        # Imported here so that the local back end never loads the OpenAI client.
        from core.extraction.openai import OpenAIExtractor

        return OpenAIExtractor.from_settings(settings)
    from core.extraction.local import LocalExtractor

    return LocalExtractor()

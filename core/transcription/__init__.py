"""Speech to text for session recordings, with the speakers labelled.

`get_transcriber(settings).transcribe(audio, on_progress=...)` returns a `Transcript`; back ends:
local faster-whisper (default, offline) and the OpenAI audio API (`TRANSCRIBER=openai`).
"""

from __future__ import annotations

from core.settings import Settings
from core.transcription.base import (
    ProgressCallback,
    Transcriber,
    Transcript,
    TranscriptionError,
    TransientTranscriptionError,
)

__all__ = [
    "ProgressCallback",
    "Transcriber",
    "Transcript",
    "TranscriptionError",
    "TransientTranscriptionError",
    "get_transcriber",
]


def get_transcriber(settings: Settings) -> Transcriber:
    # Imported here so processes that never transcribe (web) skip loading CTranslate2 and openai.
    if settings.transcriber == "openai":
        from core.transcription.openai import OpenAITranscriber

        return OpenAITranscriber.from_settings(settings)
    from core.transcription.local import LocalTranscriber

    return LocalTranscriber.from_settings(settings)

"""What every transcription back end promises: the Transcript it returns and the errors it raises."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import BinaryIO, Protocol

import numpy as np
from pydantic import BaseModel, Field

from core.audio import SAMPLE_RATE
from core.extracted_notes import TranscriptSegment
from core.extraction.transcript import render_transcript
from core.transcription.speakers import label_speakers

ProgressCallback = Callable[[float], Awaitable[None]]


class TranscriptionError(Exception):
    """Transcription failed for good (bad audio, refused request); the message is safe to show."""


class TransientTranscriptionError(TranscriptionError):
    """Transcription failed for now (rate limit, outage): worth trying again later."""


class Transcript(BaseModel):
    text: str = Field(description="`T: …` / `P: …` lines, one per turn")
    segments: list[TranscriptSegment]
    duration: float = Field(ge=0, description="seconds of audio")
    language: str | None = Field(
        default=None, description="as the back end names it: 'en' locally, 'english' from OpenAI"
    )


class Transcriber(Protocol):
    async def transcribe(
        self, audio: BinaryIO, *, on_progress: ProgressCallback | None = None
    ) -> Transcript:
        """Transcribe a seekable recording; `on_progress` receives the fraction done (0–1)."""
        ...


def build_transcript(
    timed_texts: Iterable[tuple[float, float, str]], samples: np.ndarray, language: str | None
) -> Transcript:
    """The last step of every back end: label the speakers and render the text.

    `samples` are the recording's int16 samples shaped (channels, n) at SAMPLE_RATE.
    """
    segments = [
        TranscriptSegment(start=max(start, 0.0), end=max(end, start, 0.0), text=text.strip())
        for start, end, text in timed_texts
        if text.strip()
    ]
    labelled = label_speakers(segments, samples)
    return Transcript(
        text=render_transcript(labelled),
        segments=labelled,
        duration=round(samples.shape[1] / SAMPLE_RATE, 3),
        language=language,
    )

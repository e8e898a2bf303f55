"""Transcription through the OpenAI audio API, or any server that speaks its wire format.

Each request asks for `verbose_json` with segment timestamps. The API takes at most 25 MB per
request: a larger recording is re-encoded to 16 kHz mono Ogg Opus in parts cut at quiet moments,
and each part's segment times are shifted back onto the recording's clock. The client library
retries 429 and 5xx answers with backoff (honouring Retry-After) before we give up with a
transient error that the job can retry later.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import openai
from pydantic import BaseModel, ValidationError

from core.audio import (
    SAMPLE_RATE,
    AudioInfo,
    UnsupportedAudio,
    encode_samples,
    probe_audio,
    quiet_windows,
    read_samples,
)
from core.settings import Settings
from core.transcription.base import (
    ProgressCallback,
    Transcript,
    TranscriptionError,
    TransientTranscriptionError,
    build_transcript,
)

MAX_REQUEST_BYTES = 24 * 1024 * 1024  # the API's limit is 25 MB; the rest is room to spare
PART_BIT_RATE = 32_000  # Opus at 32 kbit/s keeps speech clear; a part then holds ~1.4 hours
_RETRYABLE_STATUSES = frozenset({408, 409, 429})


class _Segment(BaseModel):
    start: float
    end: float
    text: str


class _VerboseTranscription(BaseModel):
    text: str
    language: str | None = None
    segments: list[_Segment]


@dataclass(frozen=True)
class _Upload:
    offset: float  # where the part starts in the recording, seconds
    end: float
    filename: str
    data: bytes


def _read(audio: BinaryIO) -> tuple[AudioInfo, np.ndarray, int]:
    try:
        info = probe_audio(audio)
        samples = read_samples(audio)
    except UnsupportedAudio as error:
        raise TranscriptionError(str(error)) from None
    return info, samples, audio.seek(0, io.SEEK_END)


def _read_all(audio: BinaryIO) -> bytes:
    audio.seek(0)
    return audio.read()


def _encode_mono(samples: np.ndarray) -> bytes:
    mono = np.rint(samples.mean(axis=0, keepdims=True)).astype(np.int16)
    return encode_samples(mono, bit_rate=PART_BIT_RATE)


class OpenAITranscriber:
    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        max_request_bytes: int = MAX_REQUEST_BYTES,
        max_retries: int = 4,
    ) -> None:
        self.api_key = api_key
        self.model = model
        self.base_url = base_url
        self.max_request_bytes = max_request_bytes
        self.max_retries = max_retries

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAITranscriber:
        if not settings.openai_api_key:
            raise TranscriptionError("TRANSCRIBER=openai needs OPENAI_API_KEY to be set")
        return cls(
            api_key=settings.openai_api_key,
            model=settings.openai_transcription_model,
            base_url=settings.openai_base_url,
        )

    async def transcribe(
        self, audio: BinaryIO, *, on_progress: ProgressCallback | None = None
    ) -> Transcript:
        info, samples, size = await asyncio.to_thread(_read, audio)
        duration = samples.shape[1] / SAMPLE_RATE
        timed_texts: list[tuple[float, float, str]] = []
        language = None
        async with openai.AsyncOpenAI(
            api_key=self.api_key, base_url=self.base_url, max_retries=self.max_retries
        ) as client:
            async for upload in self._uploads(audio, info, samples, size):
                response = await self._request(client, upload)
                language = language or response.language
                timed_texts.extend(
                    (upload.offset + s.start, upload.offset + s.end, s.text)
                    for s in response.segments
                )
                if on_progress is not None:
                    await on_progress(min(upload.end / duration, 1.0))
        return await asyncio.to_thread(build_transcript, timed_texts, samples, language)

    async def _uploads(
        self, audio: BinaryIO, info: AudioInfo, samples: np.ndarray, size: int
    ) -> AsyncIterator[_Upload]:
        """The recording as it is when small enough, else re-encoded parts (one at a time)."""
        duration = samples.shape[1] / SAMPLE_RATE
        if size <= self.max_request_bytes:
            data = await asyncio.to_thread(_read_all, audio)
            yield _Upload(0.0, duration, f"audio.{info.format}", data)
            return
        # Opus is variable bit rate: leave a fifth of each request for its peaks and the form.
        part_seconds = self.max_request_bytes * 8 / PART_BIT_RATE * 0.8
        for start, end in quiet_windows(samples, part_seconds):
            data = await asyncio.to_thread(_encode_mono, samples[:, start:end])
            yield _Upload(start / SAMPLE_RATE, end / SAMPLE_RATE, "audio.ogg", data)

    async def _request(self, client: openai.AsyncOpenAI, upload: _Upload) -> _VerboseTranscription:
        try:
            raw = await client.audio.transcriptions.with_raw_response.create(
                model=self.model,
                file=(upload.filename, upload.data),
                response_format="verbose_json",
                timestamp_granularities=["segment"],
            )
        except openai.APIStatusError as error:
            status = error.status_code
            if status in _RETRYABLE_STATUSES or status >= 500:
                raise TransientTranscriptionError(
                    f"the transcription service is unavailable (HTTP {status}); try again later"
                ) from error
            raise TranscriptionError(
                f"the transcription service refused the request (HTTP {status})"
            ) from error
        except openai.APIConnectionError as error:
            raise TransientTranscriptionError(
                "the transcription service cannot be reached; try again later"
            ) from error
        try:
            return _VerboseTranscription.model_validate_json(raw.content)
        except ValidationError:
            # `from None`: the validation error quotes the body, which is the patient's words.
            raise TranscriptionError("the transcription service sent an invalid response") from None

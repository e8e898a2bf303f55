"""OpenAI's audio transcription endpoint for `FakeOpenAIServer`: POST /v1/audio/transcriptions.

    server.route("POST", TRANSCRIPTIONS, answer_with([(0.0, 2.5, "Hello.")]))
    server.queue("POST", TRANSCRIPTIONS, rate_limited())  # from tests.fakes.openai_server

Requests arrive as multipart forms (fields plus the audio file); `parse_transcription_request`
reads one back so tests can check what the client sent.
"""

from __future__ import annotations

import email
import email.policy
import io
from dataclasses import dataclass

import av

from tests.fakes.openai_server import FakeResponse, Handler, RecordedRequest

TRANSCRIPTIONS = "/v1/audio/transcriptions"


@dataclass(frozen=True)
class TranscriptionRequest:
    fields: dict[str, list[str]]  # form fields by name; repeated ones (arrays) in order
    filename: str
    audio: bytes


def parse_transcription_request(request: RecordedRequest) -> TranscriptionRequest:
    content_type = request.headers["Content-Type"].encode()
    message = email.message_from_bytes(
        b"Content-Type: " + content_type + b"\r\n\r\n" + request.body, policy=email.policy.HTTP
    )
    fields: dict[str, list[str]] = {}
    filename, audio = "", b""
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if part.get_filename():
            filename, audio = part.get_filename(), payload
        else:
            fields.setdefault(name, []).append(payload.decode())
    return TranscriptionRequest(fields, filename, audio)


def verbose_transcription(
    segments: list[tuple[float, float, str]], *, duration: float, language: str = "english"
) -> FakeResponse:
    """A `verbose_json` answer with segment timestamps, shaped as the API sends it."""
    return FakeResponse(
        body={
            "task": "transcribe",
            "language": language,
            "duration": duration,
            "text": " ".join(text for _, _, text in segments),
            "segments": [
                {
                    "id": index,
                    "seek": 0,
                    "start": start,
                    "end": end,
                    "text": text,
                    "tokens": [],
                    "temperature": 0.0,
                    "avg_logprob": -0.2,
                    "compression_ratio": 1.3,
                    "no_speech_prob": 0.01,
                }
                for index, (start, end, text) in enumerate(segments)
            ],
        }
    )


def answer_with(segments: list[tuple[float, float, str]]) -> Handler:
    """A handler answering every request with the same segments."""
    duration = max((end for _, end, _ in segments), default=0.0)
    return lambda request: verbose_transcription(segments, duration=duration)


def one_segment_per_upload(request: RecordedRequest) -> FakeResponse:
    """Answers with a single segment spanning the uploaded audio, as long as it really is."""
    upload = parse_transcription_request(request)
    with av.open(io.BytesIO(upload.audio)) as container:
        seconds = container.duration / av.time_base
    return verbose_transcription([(0.0, seconds, "Is this part heard?")], duration=seconds)

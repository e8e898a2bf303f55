import io
import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.audio import probe_audio
from core.extracted_notes import Speaker
from core.settings import Settings
from core.transcription import TranscriptionError, TransientTranscriptionError, get_transcriber
from core.transcription.openai import OpenAITranscriber
from core.transcription.scoring import speaker_accuracy
from tests.fakes.openai_audio import (
    TRANSCRIPTIONS,
    answer_with,
    one_segment_per_upload,
    parse_transcription_request,
)
from tests.fakes.openai_server import FakeOpenAIServer, FakeResponse, api_error, rate_limited

Turns = list[tuple[float, float, Speaker]]


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer() as fake:
        yield fake


def transcriber_for(server: FakeOpenAIServer, **options: int) -> OpenAITranscriber:
    return OpenAITranscriber(
        api_key="sk-test", model="whisper-1", base_url=server.base_url, **options
    )


def spoken_segments(script: dict) -> list[tuple[float, float, str]]:
    """What a perfect transcription service would answer for the fixture dialogue."""
    return [(turn["start"], turn["end"], turn["text"]) for turn in script["turns"]]


def test_settings_choose_the_openai_back_end_and_require_a_key() -> None:
    chosen = get_transcriber(
        Settings(transcriber="openai", openai_api_key="sk-x", openai_base_url="http://h/v1")
    )

    assert isinstance(chosen, OpenAITranscriber)
    assert (chosen.model, chosen.base_url) == ("whisper-1", "http://h/v1")
    with pytest.raises(TranscriptionError, match="needs OPENAI_API_KEY"):
        get_transcriber(Settings(transcriber="openai", openai_api_key=None))


async def test_a_small_recording_is_sent_as_it_is_and_its_speakers_labelled(
    server: FakeOpenAIServer, audio_dir: Path, script: dict, reference_turns: Turns
) -> None:
    server.route("POST", TRANSCRIPTIONS, answer_with(spoken_segments(script)))
    progress: list[float] = []

    async def record(fraction: float) -> None:
        progress.append(fraction)

    recording = (audio_dir / "dialogue_stereo.ogg").read_bytes()
    transcript = await transcriber_for(server).transcribe(io.BytesIO(recording), on_progress=record)

    [request] = [parse_transcription_request(r) for r in server.requests]
    assert request.fields["model"] == ["whisper-1"]
    assert request.fields["response_format"] == ["verbose_json"]
    assert request.fields["timestamp_granularities[]"] == ["segment"]
    assert (request.filename, request.audio) == ("audio.ogg", recording)
    assert [s.text for s in transcript.segments] == [t["text"] for t in script["turns"]]
    assert speaker_accuracy(transcript.segments, reference_turns) == 1.0
    assert transcript.text.splitlines()[:2] == ["T: Hi, Hannah. Nice to meet you.", "P: Hi."]
    assert transcript.language == "english"
    assert progress == [1.0]


async def test_a_rate_limit_is_retried_until_the_service_answers(
    server: FakeOpenAIServer, audio_dir: Path
) -> None:
    server.queue("POST", TRANSCRIPTIONS, rate_limited(), rate_limited())
    server.route("POST", TRANSCRIPTIONS, answer_with([(0.5, 2.9, "Hi, Hannah.")]))

    with (audio_dir / "clip.m4a").open("rb") as audio:
        transcript = await transcriber_for(server).transcribe(audio)

    assert len(server.requests) == 3
    assert transcript.text == "T: Hi, Hannah."


async def test_a_lasting_outage_is_a_transient_error(
    server: FakeOpenAIServer, audio_dir: Path
) -> None:
    server.route("POST", TRANSCRIPTIONS, lambda request: api_error(503, "overloaded"))

    with (
        (audio_dir / "clip.m4a").open("rb") as audio,
        pytest.raises(TransientTranscriptionError, match=r"unavailable \(HTTP 503\)"),
    ):
        await transcriber_for(server, max_retries=1).transcribe(audio)

    assert len(server.requests) == 2


@pytest.mark.parametrize(
    "answer",
    [
        FakeResponse(body='{"text": "Hi, Hann', headers={"Content-Type": "application/json"}),
        FakeResponse(body="<html>Bad gateway</html>", headers={"Content-Type": "text/html"}),
        FakeResponse(body={"text": "Hi, Hannah."}),  # no segments
    ],
)
async def test_an_invalid_response_is_a_permanent_error(
    server: FakeOpenAIServer, audio_dir: Path, answer: FakeResponse
) -> None:
    server.route("POST", TRANSCRIPTIONS, lambda request: answer)

    with (audio_dir / "clip.m4a").open("rb") as audio, pytest.raises(TranscriptionError) as caught:
        await transcriber_for(server).transcribe(audio)

    assert not isinstance(caught.value, TransientTranscriptionError)
    assert str(caught.value) == "the transcription service sent an invalid response"


async def test_a_refused_request_is_a_permanent_error(
    server: FakeOpenAIServer, audio_dir: Path
) -> None:
    server.route("POST", TRANSCRIPTIONS, lambda request: api_error(401, "Incorrect API key"))

    with (audio_dir / "clip.m4a").open("rb") as audio, pytest.raises(TranscriptionError) as caught:
        await transcriber_for(server).transcribe(audio)

    assert not isinstance(caught.value, TransientTranscriptionError)
    assert "refused the request (HTTP 401)" in str(caught.value)
    assert len(server.requests) == 1  # not retried


async def test_a_long_recording_is_sent_in_parts_and_their_times_put_back_together(
    server: FakeOpenAIServer, audio_dir: Path
) -> None:
    server.route("POST", TRANSCRIPTIONS, one_segment_per_upload)
    limit = 64_000  # bytes per request, so the 63-second fixture needs several
    progress: list[float] = []

    async def record(fraction: float) -> None:
        progress.append(fraction)

    with (audio_dir / "dialogue_mono.m4a").open("rb") as audio:
        transcript = await transcriber_for(server, max_request_bytes=limit).transcribe(
            audio, on_progress=record
        )

    uploads = [parse_transcription_request(r) for r in server.requests]
    assert len(uploads) >= 4
    for upload in uploads:
        assert len(upload.audio) <= limit and upload.filename == "audio.ogg"
        info = probe_audio(io.BytesIO(upload.audio))
        assert (info.format, info.channels) == ("ogg", 1)
    segments = transcript.segments
    assert len(segments) == len(uploads)
    assert segments[0].start == 0.0
    for earlier, later in itertools.pairwise(segments):
        assert later.start == pytest.approx(earlier.end, abs=0.05)
    assert segments[-1].end == pytest.approx(transcript.duration, abs=0.1)
    assert progress == sorted(progress) and len(progress) == len(uploads)


async def test_a_corrupt_recording_fails_before_any_request(
    server: FakeOpenAIServer, audio_dir: Path
) -> None:
    with (
        (audio_dir / "truncated.m4a").open("rb") as audio,
        pytest.raises(TranscriptionError, match=r"^not a supported audio file: "),
    ):
        await transcriber_for(server).transcribe(audio)

    assert server.requests == []

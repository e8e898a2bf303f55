import hashlib
import io
import itertools
import os
import wave
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest

from core.audio import (
    SAMPLE_RATE,
    UnsupportedAudio,
    encode_samples,
    probe_audio,
    quiet_windows,
    read_samples,
    store_upload,
)
from core.infra.storage import EncryptedStorage, FileTooLarge

AUDIO = Path(__file__).parents[1] / "fixtures" / "audio"
CLIP_SECONDS = 4.94


@pytest.fixture
def storage(tmp_path: Path) -> EncryptedStorage:
    return EncryptedStorage(tmp_path / "files", os.urandom(32))


async def chunks_of(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    ("name", "audio_format", "channels"),
    [
        ("clip.wav", "wav", 1),
        ("clip.mp3", "mp3", 1),
        ("clip.m4a", "m4a", 1),
        ("clip.ogg", "ogg", 2),
        ("clip.opus", "ogg", 1),
        ("clip.webm", "webm", 1),
        ("clip.flac", "flac", 1),
        ("dialogue_stereo.ogg", "ogg", 2),
    ],
)
def test_probe_recognises_each_accepted_format_by_its_content(
    name: str, audio_format: str, channels: int
) -> None:
    # Through a file object without a name: the extension plays no part.
    info = probe_audio(io.BytesIO((AUDIO / name).read_bytes()))

    assert info.format == audio_format
    assert info.channels == channels
    expected_seconds = 63.1 if name.startswith("dialogue") else CLIP_SECONDS
    assert info.duration_seconds == pytest.approx(expected_seconds, abs=0.15)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("garbage.mp3", "the content is not a recognisable audio container"),
        ("notes.mp3", "the content is not a recognisable audio container"),
        ("truncated.m4a", "the content is not a recognisable audio container"),
        ("image.wav", "it contains no audio track"),
        ("video_only.mp4", "it contains no audio track"),
    ],
)
def test_probe_rejects_corrupt_and_mislabelled_files_with_a_clear_message(
    name: str, reason: str
) -> None:
    with pytest.raises(UnsupportedAudio) as caught:
        probe_audio(io.BytesIO((AUDIO / name).read_bytes()))

    assert str(caught.value) == f"not a supported audio file: {reason}"


def test_probe_rejects_an_empty_file_and_a_wav_without_sound() -> None:
    header_only = io.BytesIO()
    with wave.open(header_only, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)

    for data in (b"", header_only.getvalue()):
        with pytest.raises(UnsupportedAudio, match=r"^not a supported audio file: "):
            probe_audio(io.BytesIO(data))


def test_probe_rejects_a_codec_we_do_not_accept_in_a_known_container() -> None:
    tone = (np.sin(np.arange(SAMPLE_RATE) / 5) * 8000).astype(np.int16)[np.newaxis, :]
    aac_in_matroska = encode_samples(tone, container="matroska", codec="aac")

    with pytest.raises(UnsupportedAudio, match="aac audio in a matroska container"):
        probe_audio(io.BytesIO(aac_in_matroska))


def test_read_samples_resamples_to_16_khz_and_keeps_stereo() -> None:
    with (AUDIO / "dialogue_stereo.ogg").open("rb") as stereo_file:
        stereo = read_samples(stereo_file)
    with (AUDIO / "clip.mp3").open("rb") as mono_file:
        mono = read_samples(mono_file)

    assert stereo.dtype == np.int16 and stereo.shape[0] == 2
    assert stereo.shape[1] / SAMPLE_RATE == pytest.approx(63.1, abs=0.2)
    assert mono.shape[0] == 1
    assert mono.shape[1] / SAMPLE_RATE == pytest.approx(CLIP_SECONDS, abs=0.15)
    # Left is the therapist's microphone, so it is the louder one while the therapist speaks.
    first_turn = stereo[:, SAMPLE_RATE : 2 * SAMPLE_RATE].astype(np.float64)
    assert np.square(first_turn[0]).sum() > 4 * np.square(first_turn[1]).sum()


def test_quiet_windows_cut_in_the_pauses_and_cover_everything() -> None:
    second = SAMPLE_RATE
    speech = (np.sin(np.arange(7 * second) / 3) * 10000).astype(np.int16)
    pause = np.zeros(second // 2, dtype=np.int16)
    samples = np.concatenate([speech, pause, speech, pause, speech])[np.newaxis, :]

    windows = quiet_windows(samples, max_seconds=8.0)

    assert windows[0][0] == 0 and windows[-1][1] == samples.shape[1]
    assert all(end == next_start for (_, end), (next_start, _) in itertools.pairwise(windows))
    assert all(end - start <= 8 * second for start, end in windows)
    assert len(windows) == 3
    for _, cut in windows[:-1]:
        assert samples[0, cut] == 0  # inside a pause, not in the middle of a sound


def test_encoded_samples_are_ogg_opus_that_decodes_again() -> None:
    with (AUDIO / "clip.wav").open("rb") as source:
        samples = read_samples(source)

    info = probe_audio(io.BytesIO(encode_samples(samples)))

    assert (info.format, info.channels) == ("ogg", 1)
    assert info.duration_seconds == pytest.approx(CLIP_SECONDS, abs=0.1)


async def test_store_upload_keeps_the_encrypted_audio_with_its_sha256(
    storage: EncryptedStorage,
) -> None:
    data = (AUDIO / "clip.m4a").read_bytes()

    stored, info = await store_upload(storage, chunks_of(data, 4096), max_bytes=1024 * 1024)

    assert info.format == "m4a"
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert data not in storage.absolute(stored.path).read_bytes()  # encrypted at rest
    assert storage.read_bytes(stored.path) == data
    with storage.open(stored.path) as reader:  # the decoder reads through decryption
        assert probe_audio(reader) == info


@pytest.mark.parametrize("name", ["image.wav", "garbage.mp3", "truncated.m4a"])
async def test_store_upload_leaves_nothing_on_disk_when_the_file_is_not_audio(
    storage: EncryptedStorage, name: str
) -> None:
    with pytest.raises(UnsupportedAudio):
        await store_upload(storage, chunks_of((AUDIO / name).read_bytes()), max_bytes=10**6)

    assert files_under(storage.root) == []


async def test_store_upload_enforces_the_size_limit_and_leaves_nothing(
    storage: EncryptedStorage,
) -> None:
    data = (AUDIO / "clip.wav").read_bytes()

    with pytest.raises(FileTooLarge):
        await store_upload(storage, chunks_of(data), max_bytes=len(data) - 1)

    assert files_under(storage.root) == []

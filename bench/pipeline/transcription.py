"""Transcription rows of the pipeline benchmark: speed, memory, accuracy, event-loop blocking.

Each recording is measured in a fresh process, so peak memory is that of a worker transcribing
that one session (model included). The audio goes through encrypted storage as an upload does.
The same-run baseline is the time merely to decode the recording with PyAV. Long recordings
repeat the committed fixture dialogue; they are made once and kept under bench/out/.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from core.audio import SAMPLE_RATE, encode_samples, read_samples
from core.extracted_notes import Speaker
from core.infra.storage import EncryptedStorage
from core.settings import Settings
from core.transcription.base import Transcript
from core.transcription.local import LocalTranscriber, load_model, model_reference
from core.transcription.scoring import speaker_accuracy, word_error_rate

FIXTURE = Path("tests/fixtures/audio/dialogue_mono.m4a")
SCRIPT = Path("tests/fixtures/audio/dialogue.json")
OUT = Path("bench/out")
TICK_SECONDS = 0.01


@dataclass(frozen=True)
class Recording:
    name: str
    path: Path
    loops: int  # times the fixture dialogue repeats in it


@dataclass(frozen=True)
class Measurement:
    audio_seconds: float
    decode_seconds: float
    model_load_seconds: float
    transcribe_seconds: float
    peak_rss_mb: float
    max_loop_lag_ms: float
    wer: float
    speaker_accuracy: float


def looped_recording(loops: int) -> Path:
    """The fixture dialogue `loops` times over, as a phone-style AAC file (made once)."""
    path = OUT / f"dialogue_x{loops}.m4a"
    if not path.exists():
        with FIXTURE.open("rb") as source:
            samples = read_samples(source)
        OUT.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encode_samples(np.tile(samples, loops), container="mp4", codec="aac"))
    return path


def _scores(transcript: Transcript, loops: int, loop_seconds: float) -> tuple[float, float]:
    """WER per repetition of the dialogue (edit distance over a whole hour is too slow), and
    speaker accuracy over the whole recording."""
    script = json.loads(SCRIPT.read_text())
    reference = " ".join(turn["text"] for turn in script["turns"])
    errors = 0.0
    for loop in range(loops):
        heard = " ".join(
            s.text
            for s in transcript.segments
            if loop * loop_seconds <= (s.start + s.end) / 2 < (loop + 1) * loop_seconds
        )
        errors += word_error_rate(reference, heard)
    turns = [
        (
            turn["start"] + loop * loop_seconds,
            turn["end"] + loop * loop_seconds,
            Speaker(turn["speaker"]),
        )
        for loop in range(loops)
        for turn in script["turns"]
    ]
    return errors / loops, speaker_accuracy(transcript.segments, turns)


async def _max_loop_lag(done: asyncio.Event) -> float:
    """The longest the event loop was late to wake a coroutine sleeping TICK_SECONDS."""
    loop = asyncio.get_running_loop()
    worst = 0.0
    while not done.is_set():
        before = loop.time()
        await asyncio.sleep(TICK_SECONDS)
        worst = max(worst, loop.time() - before - TICK_SECONDS)
    return worst


async def _transcribe_watching_loop(
    transcriber: LocalTranscriber, audio: BinaryIO
) -> tuple[Transcript, float, float]:
    """Transcribe while a ticker watches the event loop: (transcript, seconds, max lag)."""

    async def ignore_progress(fraction: float) -> None:
        pass

    done = asyncio.Event()
    lag = asyncio.create_task(_max_loop_lag(done))
    started = time.perf_counter()
    transcript = await transcriber.transcribe(audio, on_progress=ignore_progress)
    elapsed = time.perf_counter() - started
    done.set()
    return transcript, elapsed, await lag


def measure(path: Path, loops: int) -> Measurement:
    transcriber = LocalTranscriber(model_reference(Settings()))
    started = time.perf_counter()
    load_model(transcriber.model, transcriber.cpu_threads)
    model_load = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as root:
        storage = EncryptedStorage(Path(root), os.urandom(32))
        stored = storage.write_bytes("audio", path.read_bytes())
        started = time.perf_counter()
        with storage.open(stored.path) as audio:
            audio_seconds = read_samples(audio).shape[1] / SAMPLE_RATE
        decode = time.perf_counter() - started
        with storage.open(stored.path) as audio:
            transcript, transcribe, max_lag = asyncio.run(
                _transcribe_watching_loop(transcriber, audio)
            )
    wer, accuracy = _scores(transcript, loops, audio_seconds / loops)
    return Measurement(
        audio_seconds=audio_seconds,
        decode_seconds=decode,
        model_load_seconds=model_load,
        transcribe_seconds=transcribe,
        peak_rss_mb=_peak_rss_mb(),
        max_loop_lag_ms=max_lag * 1000,
        wer=wer,
        speaker_accuracy=accuracy,
    )


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the
    parent that spawned it)."""
    status = Path("/proc/self/status").read_text()
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kilobytes) / 1024


def measure_in_fresh_process(recording: Recording) -> Measurement:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(measure, recording.path, recording.loops).result()


def recordings(long: bool) -> list[Recording]:
    chosen = [
        Recording("fixture dialogue", FIXTURE, 1),
        Recording("~10 min session", looped_recording(10), 10),
    ]
    if long:
        chosen.append(Recording("~55 min session", looped_recording(52), 52))
    return chosen


def main(*, long: bool) -> None:
    print(
        "Transcription (local faster-whisper tiny.en int8, "
        f"{os.cpu_count()} threads; baseline = decoding the same audio with PyAV)"
    )
    header = (
        f"{'recording':<18} {'audio':>8} {'decode s':>9} {'transcr. s':>10} {'RTF':>6} "
        f"{'x decode':>8} {'peak RSS':>9} {'loop lag':>9} {'WER':>6} {'speakers':>8}"
    )
    print(header)
    print("-" * len(header))
    model_load_seconds = []
    for recording in recordings(long):
        m = measure_in_fresh_process(recording)
        model_load_seconds.append(m.model_load_seconds)
        print(
            f"{recording.name:<18} {m.audio_seconds / 60:>6.1f} m {m.decode_seconds:>9.2f} "
            f"{m.transcribe_seconds:>10.2f} {m.transcribe_seconds / m.audio_seconds:>6.3f} "
            f"{m.transcribe_seconds / m.decode_seconds:>8.1f} {m.peak_rss_mb:>6.0f} MB "
            f"{m.max_loop_lag_ms:>6.1f} ms {m.wer:>6.3f} {m.speaker_accuracy:>8.1%}",
            flush=True,
        )
    print(
        "RTF = transcription time / audio time (target <= 0.06); loop lag = worst delay of a "
        f"{TICK_SECONDS * 1000:.0f} ms ticker on the event loop while transcribing (target <= "
        "100 ms); WER per dialogue repetition; speakers = share of segments labelled right.\n"
        f"Model load (once per worker process, not in the times above): "
        f"{min(model_load_seconds):.2f}–{max(model_load_seconds):.2f} s."
    )

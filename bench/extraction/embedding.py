"""Sentence embeddings (core/extraction/embedding.py) on a 55-minute session, against tokenising.

    .venv/bin/python -m bench.extraction.embedding

The session is the one of the extraction time table: AnnoMI conversations one after another up
to 8,000 words (bench.extraction.speed.long_session). The texts are its utterances and windows
of three consecutive turns, the two things the risk screen scores. Time grows with the word
pieces encoded (about 21 MFLOP each), so the table gives word pieces and their rate; the
same-run baseline is tokenising the same texts alone. Repeated texts ("Mm-hmm.") are encoded
once, so counts are of distinct texts. Memory is this process's resident set: its growth while
the model loads, and its peak during each encode above what it was before.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.extraction.speed import long_session, rss_mb
from bench.report import print_table
from core.extracted_notes import Speaker
from core.extraction.embedding import SentenceEncoder, default_threads

ROUNDS = 3
WINDOW_TURNS = 3
TARGET_SECONDS = 2.0  # issue 14: the whole analysis of a 55-minute session


def session_texts() -> dict[str, list[str]]:
    """Distinct texts of each kind, in the order they occur."""
    segments = long_session()
    utterances = [segment.text for segment in segments]
    windows = [
        " ".join(utterances[start : start + WINDOW_TURNS])
        for start in range(len(utterances) - WINDOW_TURNS + 1)
    ]
    patient = [segment.text for segment in segments if segment.speaker is Speaker.patient]
    return {
        "patient utterances": _distinct(patient),
        "all utterances": _distinct(utterances),
        f"{WINDOW_TURNS}-turn windows": _distinct(windows),
        "utterances + windows": _distinct(utterances + windows),
    }


def _distinct(texts: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(texts))


def _reset_peak_rss() -> bool:
    """Start VmHWM afresh from the current RSS (Linux: clear_refs 5); False if not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _median_seconds(work: Callable[[], object]) -> tuple[float, float]:
    """Median wall and CPU seconds (all threads): CPU time barely moves when other processes
    compete for the cores, wall time does."""
    walls, cpus = [], []
    for _ in range(ROUNDS):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _row(work: str, texts: int, pieces: int, timed: Callable[[], object]) -> list[object]:
    wall, cpu = _median_seconds(timed)
    return [work, texts, pieces, f"{wall:.2f}", f"{cpu:.2f}", f"{pieces / wall:,.0f}", "—"]


def run() -> tuple[list[str], list[list[object]], list[str], list[list[object]], str]:
    texts = session_texts()
    everything = texts["utterances + windows"]

    _reset_peak_rss()
    before_load = rss_mb()
    started = time.perf_counter()
    encoder = SentenceEncoder.from_zip(threads=default_threads())
    load_seconds = time.perf_counter() - started
    after_load, load_peak = rss_mb(), rss_mb("VmHWM")
    encoder.encode(texts["patient utterances"][:64])  # warm up: first batches, thread pool

    pieces = sum(encoder.token_counts(everything))
    rows = [
        _row(
            "baseline: tokenise utterances + windows",
            len(everything),
            pieces,
            lambda: encoder.token_counts(everything),
        )
    ]
    for name, chosen in texts.items():
        peak_known = _reset_peak_rss()
        before = rss_mb()
        row = _row(
            f"encode {name}",
            len(chosen),
            sum(encoder.token_counts(chosen)),
            lambda chosen=chosen: encoder.encode(chosen),
        )
        row[-1] = f"+{rss_mb('VmHWM') - before:.0f} MB" if peak_known else "—"
        rows.append(row)

    load_rows: list[list[object]] = [
        [
            f"{load_seconds:.2f}",
            f"+{after_load - before_load:.0f} MB",
            f"+{load_peak - before_load:.0f} MB",
        ]
    ]
    note = (
        f"all-MiniLM-L6-v2 in NumPy, {encoder.threads} threads, a 55-minute AnnoMI session "
        f"({WINDOW_TURNS}-turn windows); issue 14's budget for the whole analysis: "
        f"{TARGET_SECONDS:.0f} s"
    )
    headers = ["work", "texts", "word pieces", "median s", "CPU s", "word pieces/s", "peak RSS"]
    load_headers = ["model load s", "RSS growth", "peak RSS growth"]
    return headers, rows, load_headers, load_rows, note


def main() -> None:
    headers, rows, load_headers, load_rows, note = run()
    print_table(f"(d) Sentence embeddings: {note}", headers, rows)
    print_table("    loading the model (model.zip read into memory)", load_headers, load_rows)


if __name__ == "__main__":
    main()

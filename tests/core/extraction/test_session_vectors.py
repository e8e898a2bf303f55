"""One embedding per sentence of a session, shared by the analysis steps."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.extraction.embedding import DIMENSION, get_encoder
from core.extraction.session_vectors import (
    best_per_label,
    label_vectors,
    sentence_vectors,
    window_vectors,
)
from core.extraction.text import Sentences, split_sentences
from core.extraction.transcript import parse_transcript

TRANSCRIPT = (
    "T: How was the week?\nP: Okay. Work was hard. Okay.\n"
    "T: Okay. Tell me about work.\nP: My manager shouted at me in front of everyone."
)


class CountingEncoder:
    """The real encoder, counting the texts it is asked for."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += texts
        return get_encoder().encode(texts)


def test_rows_follow_the_sentences_and_repeats_are_encoded_once() -> None:
    sentences = split_sentences(parse_transcript(TRANSCRIPT))
    counting = CountingEncoder()

    vectors = sentence_vectors(sentences, counting)  # type: ignore[arg-type]

    assert vectors.shape == (len(sentences.all), DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert counting.texts.count("Okay.") == 1
    assert sorted(counting.texts) == sorted({s.text for s in sentences.all})
    okay = [row for row, s in enumerate(sentences.all) if s.text == "Okay."]
    assert len(okay) == 3
    assert all(np.array_equal(vectors[okay[0]], vectors[row]) for row in okay)
    shouted = next(r for r, s in enumerate(sentences.all) if "shouted" in s.text)
    single = get_encoder().encode([sentences.all[shouted].text])[0]
    assert np.allclose(vectors[shouted], single, atol=1e-5)  # batches pad: float noise only


def test_a_session_is_embedded_once_whoever_asks() -> None:
    sentences = split_sentences(parse_transcript(TRANSCRIPT))
    first = sentence_vectors(sentences)
    counting = CountingEncoder()

    again = sentence_vectors(sentences, counting)  # type: ignore[arg-type]

    assert again is first
    assert counting.texts == []
    assert not first.flags.writeable


def test_an_empty_session_has_no_rows() -> None:
    assert sentence_vectors(Sentences([])).shape == (0, DIMENSION)


def test_a_window_is_the_normalised_mean_of_its_rows() -> None:
    vectors = np.eye(4, dtype=np.float32)

    windows = window_vectors(vectors, [[0], [0, 1], [1, 2, 3]])

    assert np.allclose(windows[0], vectors[0])
    assert np.allclose(windows[1], [2**-0.5, 2**-0.5, 0, 0])
    assert np.allclose(np.linalg.norm(windows, axis=1), 1)


def test_each_label_scores_with_its_closest_description() -> None:
    labels, owner, described = label_vectors(
        {
            "sleep": ("I can't sleep at night.", "I wake at four every morning."),
            "money": ("I'm in debt.",),
        }
    )
    rows = get_encoder().encode(["I keep waking up at 4 a.m.", "The bills are piling up."])

    best = best_per_label(rows @ described.T, owner, len(labels))

    assert labels == ["sleep", "money"]
    assert described.shape == (3, DIMENSION)
    assert best.shape == (2, 2)
    assert np.isclose(best[0, 0], (rows[0] @ described[:2].T).max(), atol=1e-6)
    assert best[0, 0] > best[0, 1]
    assert best[1, 1] > best[1, 0]

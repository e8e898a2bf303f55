"""One sentence embedding per sentence of a session, computed once and shared.

Topics, interventions and mood all compare the session's sentences with label descriptions
(core.extraction.embedding); embedding is by far the costliest step of the local analysis, so
each distinct sentence is encoded once per session and every step reads the same rows:

    vectors = sentence_vectors(sentences)  # (len(sentences.all), 384), aligned with .all

The result is remembered for as long as the `Sentences` object lives, so a second caller (the
risk screen, say) pays nothing. Rows are unit length (cosine similarity is a dot product).
Repeated sentences ("Okay.", "Mm-hmm.") are encoded once. Windows of neighbouring sentences are
read from the same rows (`window_vectors`): the normalised mean of sentence vectors, which keeps
what several short sentences say together without encoding anything again.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from functools import cache

import numpy as np

from core.extraction.embedding import DIMENSION, SentenceEncoder, get_encoder
from core.extraction.text import Sentences

_remembered: weakref.WeakKeyDictionary[Sentences, np.ndarray] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def sentence_vectors(sentences: Sentences, encoder: SentenceEncoder | None = None) -> np.ndarray:
    """float32 (n, 384): row i is the unit-length embedding of `sentences.all[i].text`."""
    with _lock:
        known = _remembered.get(sentences)
    if known is not None:
        return known
    texts = [sentence.text for sentence in sentences.all]
    distinct = list(dict.fromkeys(texts))
    if distinct:
        encoded = (encoder or get_encoder()).encode(distinct)
        row_of = {text: row for row, text in enumerate(distinct)}
        vectors = encoded[[row_of[text] for text in texts]]
    else:
        vectors = np.zeros((0, DIMENSION), dtype=np.float32)
    vectors.setflags(write=False)
    with _lock:
        _remembered[sentences] = vectors
    return vectors


def window_vectors(vectors: np.ndarray, groups: Sequence[Sequence[int]]) -> np.ndarray:
    """One unit-length vector per group of rows: the normalised mean of those rows."""
    if not groups:
        return np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else DIMENSION), np.float32)
    summed = np.stack([vectors[list(rows)].sum(axis=0) for rows in groups])
    norms = np.linalg.norm(summed, axis=1, keepdims=True)
    return np.asarray(summed / np.maximum(norms, 1e-12), dtype=np.float32)


@cache
def _label_vectors(texts: tuple[str, ...]) -> np.ndarray:
    vectors = get_encoder().encode(list(texts))
    vectors.setflags(write=False)
    return vectors


def label_vectors(
    descriptions: dict[str, tuple[str, ...]],
    encode: Callable[[tuple[str, ...]], np.ndarray] = _label_vectors,
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(labels, owner, vectors) for label descriptions, encoded once per process: `vectors[k]`
    describes `labels[owner[k]]`."""
    labels = list(descriptions)
    texts = tuple(text for label in labels for text in descriptions[label])
    owner = np.array([i for i, label in enumerate(labels) for _ in descriptions[label]])
    return labels, owner, encode(texts)


def best_per_label(similarity: np.ndarray, owner: np.ndarray, labels: int) -> np.ndarray:
    """(rows, labels): for each row, the highest similarity among each label's descriptions."""
    best = np.full((similarity.shape[0], labels), -1.0, dtype=np.float32)
    for label in range(labels):
        columns = owner == label
        if columns.any():
            best[:, label] = similarity[:, columns].max(axis=1)
    return best

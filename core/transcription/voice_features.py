"""A short fingerprint of a voice in a stretch of audio, computed with numpy alone.

Mel-frequency cepstral coefficients (MFCC) describe the shape of the vocal tract; their average
over a segment's vowels differs more between two speakers than between two segments of one
speaker, which is all the mono speaker clustering needs.
"""

from __future__ import annotations

import numpy as np

from core.audio import SAMPLE_RATE

FRAME = 400  # 25 ms at 16 kHz
HOP = 160  # 10 ms
N_FFT = 512
N_MELS = 26
N_COEFFICIENTS = 13
_MIN_FRAMES = 10  # 0.1 s of audio
_LOUDEST_PERCENT = 70


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    return 2595.0 * np.log10(1.0 + hz / 700.0)


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)


def _mel_filterbank() -> np.ndarray:
    """Triangular filters, shape (N_MELS, N_FFT // 2 + 1)."""
    edges = _mel_to_hz(np.linspace(0.0, _hz_to_mel(np.array(SAMPLE_RATE / 2)), N_MELS + 2))
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    frequencies = np.fft.rfftfreq(N_FFT, 1.0 / SAMPLE_RATE)[None, :]
    rising = (frequencies - lower) / (centre - lower)
    falling = (upper - frequencies) / (upper - centre)
    return np.asarray(np.maximum(0.0, np.minimum(rising, falling)))


def _dct_matrix() -> np.ndarray:
    """DCT-II basis, shape (N_COEFFICIENTS, N_MELS)."""
    k = np.arange(N_COEFFICIENTS)[:, None]
    n = np.arange(N_MELS)[None, :]
    return np.cos(np.pi * k * (2 * n + 1) / (2 * N_MELS))


_FILTERBANK = _mel_filterbank()
_DCT = _dct_matrix()
_WINDOW = np.hamming(FRAME)


def mfcc(signal: np.ndarray) -> np.ndarray:
    """MFCCs of a float mono 16 kHz signal, shape (frames, N_COEFFICIENTS)."""
    if len(signal) < FRAME:
        return np.empty((0, N_COEFFICIENTS))
    frames = np.lib.stride_tricks.sliding_window_view(signal, FRAME)[::HOP] * _WINDOW
    power = np.abs(np.fft.rfft(frames, n=N_FFT)) ** 2
    return np.asarray(np.log(power @ _FILTERBANK.T + 1e-10) @ _DCT.T)


def voice_fingerprint(signal: np.ndarray) -> np.ndarray | None:
    """Mean MFCC 1–12 over the loudest 30 % of the frames; None when the signal is too short.

    The loudest frames are vowels, which carry a voice's timbre; quiet ones (consonants, breath,
    pauses) sound much alike whoever speaks. Coefficient 0 (loudness) is left out: it says how
    far the speaker sat from the microphone, not who they are.
    """
    coefficients = mfcc(signal)
    if len(coefficients) < _MIN_FRAMES:
        return None
    loud = coefficients[coefficients[:, 0] >= np.percentile(coefficients[:, 0], _LOUDEST_PERCENT)]
    return np.asarray(loud[:, 1:].mean(axis=0))

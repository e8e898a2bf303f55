import json
from pathlib import Path

import numpy as np
import pytest

from core.audio import read_samples
from core.extracted_notes import Speaker

AUDIO = Path(__file__).parents[2] / "fixtures" / "audio"


@pytest.fixture(scope="session")
def script() -> dict:
    """The fixture dialogue as it was spoken: turns with speaker, text, start and end."""
    return json.loads((AUDIO / "dialogue.json").read_text())


@pytest.fixture(scope="session")
def reference_text(script: dict) -> str:
    return " ".join(turn["text"] for turn in script["turns"])


@pytest.fixture(scope="session")
def reference_turns(script: dict) -> list[tuple[float, float, Speaker]]:
    return [(turn["start"], turn["end"], Speaker(turn["speaker"])) for turn in script["turns"]]


@pytest.fixture(scope="session")
def audio_dir() -> Path:
    return AUDIO


@pytest.fixture(scope="session")
def mono_samples() -> np.ndarray:
    with (AUDIO / "dialogue_mono.m4a").open("rb") as source:
        return read_samples(source)


@pytest.fixture(scope="session")
def stereo_samples() -> np.ndarray:
    with (AUDIO / "dialogue_stereo.ogg").open("rb") as source:
        return read_samples(source)

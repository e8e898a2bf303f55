"""The encrypted storage as the tests see it: what is on disk, and leaving it as found."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.infra.storage import storage_from_settings
from core.settings import get_settings


def storage_root() -> Path:
    return storage_from_settings(get_settings()).root


def stored_files() -> set[Path]:
    """Every file in storage, half-written ones included."""
    return {path for path in storage_root().rglob("*") if path.is_file()}


def partial_files() -> list[Path]:
    """Half-written files anywhere in storage; a completed or failed write leaves none."""
    return sorted(storage_root().rglob("*.part"))


@pytest.fixture(autouse=True)
def storage_left_as_found() -> Iterator[None]:
    """Other tests check that storage holds nothing of theirs: files kept here on purpose (an
    accepted upload, a completed export) are removed once the test is over."""
    before = stored_files()
    yield
    for path in stored_files() - before:
        path.unlink(missing_ok=True)

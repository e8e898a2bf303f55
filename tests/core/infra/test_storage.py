import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.infra.storage import CHUNK_SIZE, EncryptedStorage, FileTooLarge, StorageError


@pytest.fixture
def storage(tmp_path: Path) -> EncryptedStorage:
    return EncryptedStorage(tmp_path, os.urandom(32))


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE])
def test_round_trip_with_random_access(storage: EncryptedStorage, size: int) -> None:
    data = os.urandom(size)
    stored = storage.write_bytes("audio", data)
    assert stored.size == size and stored.sha256 == hashlib.sha256(data).hexdigest()
    with storage.open(stored.path) as reader:
        assert reader.read() == data
        reader.seek(size // 2)
        assert reader.read(1000) == data[size // 2 : size // 2 + 1000]


def test_no_plaintext_on_disk(storage: EncryptedStorage, tmp_path: Path) -> None:
    secret = b"Patient disclosed thoughts of self-harm. " * 100
    stored = storage.write_bytes("exports", secret)
    raw = (tmp_path / stored.path).read_bytes()
    assert b"Patient" not in raw and len(raw) > len(secret)


def test_tampering_is_detected(storage: EncryptedStorage, tmp_path: Path) -> None:
    stored = storage.write_bytes("exports", b"x" * (2 * CHUNK_SIZE))
    path = tmp_path / stored.path
    blob = bytearray(path.read_bytes())
    blob[100] ^= 1
    path.write_bytes(bytes(blob))
    with pytest.raises(StorageError, match="failed authentication"):
        storage.read_bytes(stored.path)


def test_truncation_is_detected(storage: EncryptedStorage, tmp_path: Path) -> None:
    stored = storage.write_bytes("exports", b"y" * (3 * CHUNK_SIZE))
    path = tmp_path / stored.path
    path.write_bytes(path.read_bytes()[: -(CHUNK_SIZE + 16)])  # drop the last chunk
    with pytest.raises(StorageError):
        storage.read_bytes(stored.path)


def test_wrong_key_is_refused(storage: EncryptedStorage, tmp_path: Path) -> None:
    stored = storage.write_bytes("exports", b"data")
    with pytest.raises(StorageError, match="key this server does not have"):
        EncryptedStorage(tmp_path, os.urandom(32)).read_bytes(stored.path)


async def _chunks(count: int, size: int) -> AsyncIterator[bytes]:
    for _ in range(count):
        yield b"a" * size


async def test_stream_over_the_limit_leaves_nothing(
    storage: EncryptedStorage, tmp_path: Path
) -> None:
    with pytest.raises(FileTooLarge):
        await storage.write_stream("audio", _chunks(10, 50_000), max_bytes=200_000)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    stored = await storage.write_stream("audio", _chunks(4, 50_000), max_bytes=200_000)
    assert storage.read_bytes(stored.path) == b"a" * 200_000


def test_rotation_reseals_old_files_and_keeps_them_readable(tmp_path: Path) -> None:
    old_key, new_key = os.urandom(32), os.urandom(32)
    old = EncryptedStorage(tmp_path, old_key)
    paths = [old.write_bytes("exports", bytes([n]) * 70_000).path for n in range(3)]
    rotating = EncryptedStorage(tmp_path, new_key, previous_keys=(old_key,))
    assert rotating.read_bytes(paths[0]) == b"\x00" * 70_000  # readable before rotation
    assert rotating.rotate() == (3, 0)
    assert rotating.rotate() == (0, 3)
    only_new = EncryptedStorage(tmp_path, new_key)
    assert [only_new.read_bytes(p)[:1] for p in paths] == [b"\x00", b"\x01", b"\x02"]
    with pytest.raises(StorageError):
        old.read_bytes(paths[0])


def test_paths_cannot_escape_the_root(storage: EncryptedStorage) -> None:
    with pytest.raises(StorageError, match="escapes"):
        storage.open("../../etc/passwd")

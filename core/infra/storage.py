"""Encrypted file storage: the one way files (audio, exports) reach the disk.

Files are AES-256-GCM encrypted in fixed-size chunks, so they can be written from a stream and
read back with random access (audio decoders seek) without ever holding a whole file in memory
or leaving plaintext on disk. Layout of a stored file:

    magic "TBE1" | key id (8 bytes) | nonce prefix (8 bytes) | chunk 0 | chunk 1 | …

Each chunk is `CHUNK_SIZE` plaintext bytes (the last may be shorter) sealed with the nonce
`prefix + index` and the associated data `index + is_last`, so chunks cannot be reordered,
dropped or the file truncated without decryption failing. Writes go to a `.part` file that is
renamed into place only when complete: a crash never leaves a half-written file behind.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import uuid
from collections.abc import AsyncIterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core.errors import TooLarge
from core.settings import Settings

MAGIC = b"TBE1"
CHUNK_SIZE = 64 * 1024
TAG_SIZE = 16
HEADER_SIZE = len(MAGIC) + 8 + 8


class StorageError(Exception):
    """A stored file is missing, unreadable or fails authentication."""


class FileTooLarge(StorageError, TooLarge):
    def __init__(self, limit: int) -> None:
        super().__init__(f"file exceeds the size limit of {limit / (1024 * 1024):g} MB")
        self.limit = limit


@dataclass(frozen=True)
class StoredFile:
    path: str  # relative to the storage root; what the database keeps
    size: int  # plaintext bytes
    sha256: str  # of the plaintext


def key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"tb-key-id" + key).digest()[:8]


def _aad(index: int, last: bool) -> bytes:
    return struct.pack(">QB", index, last)


class _Sealer:
    """Encrypts a plaintext stream chunk by chunk into an open file."""

    def __init__(self, handle: io.BufferedWriter, key: bytes) -> None:
        self._handle = handle
        self._aead = AESGCM(key)
        self._prefix = os.urandom(8)
        self._pending = bytearray()
        self._index = 0
        self.size = 0
        self._digest = hashlib.sha256()
        handle.write(MAGIC + key_id(key) + self._prefix)

    def feed(self, data: bytes) -> None:
        self.size += len(data)
        self._digest.update(data)
        self._pending += data
        # Keep at least one byte back so the final chunk is always sealed as the last one.
        while len(self._pending) > CHUNK_SIZE:
            self._seal(bytes(self._pending[:CHUNK_SIZE]), last=False)
            del self._pending[:CHUNK_SIZE]

    def finish(self) -> str:
        self._seal(bytes(self._pending), last=True)
        self._pending.clear()
        return self._digest.hexdigest()

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        nonce = self._prefix + struct.pack(">I", self._index)
        self._handle.write(self._aead.encrypt(nonce, chunk, _aad(self._index, last)))
        self._index += 1


class EncryptedStorage:
    """Files sealed under `key`; files sealed under a `previous_keys` entry stay readable
    (found by the key id in their header) until `rotate` re-seals them."""

    def __init__(self, root: Path, key: bytes, previous_keys: tuple[bytes, ...] = ()) -> None:
        self.root = root
        self._key = key
        self._keys = {key_id(k): k for k in (*previous_keys, key)}

    def absolute(self, path: str) -> Path:
        resolved = (self.root / path).resolve()
        if not resolved.is_relative_to(self.root.resolve()):
            raise StorageError("path escapes the storage root")
        return resolved

    def _new_path(self, kind: str, name: str | None = None) -> tuple[str, Path]:
        # A caller-chosen name (an entity id) makes a rerun overwrite rather than add a file.
        relative = f"{kind}/{name or uuid.uuid4().hex}.tbe"
        target = self.absolute(relative)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        return relative, target

    def write_bytes(self, kind: str, data: bytes, *, name: str | None = None) -> StoredFile:
        relative, target = self._new_path(kind, name)
        part = target.with_suffix(".part")
        try:
            with open(part, "wb") as handle:
                sealer = _Sealer(handle, self._key)
                sealer.feed(data)
                digest = sealer.finish()
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(part, target)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        return StoredFile(relative, len(data), digest)

    async def write_stream(
        self, kind: str, chunks: AsyncIterable[bytes], *, max_bytes: int | None = None
    ) -> StoredFile:
        """Encrypt a stream to disk; over `max_bytes` nothing is kept and FileTooLarge raised."""
        relative, target = self._new_path(kind)
        part = target.with_suffix(".part")
        try:
            with open(part, "wb") as handle:  # noqa: ASYNC230 - small buffered writes
                sealer = _Sealer(handle, self._key)
                async for chunk in chunks:
                    sealer.feed(chunk)
                    if max_bytes is not None and sealer.size > max_bytes:
                        raise FileTooLarge(max_bytes)
                digest = sealer.finish()
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(part, target)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        return StoredFile(relative, sealer.size, digest)

    def open(self, path: str) -> BinaryIO:
        """A seekable, read-only file object over the plaintext."""
        # A RawIOBase is a binary file in all but typeshed's class tree.
        return cast(BinaryIO, DecryptingReader(self.absolute(path), self._keys))

    def read_bytes(self, path: str) -> bytes:
        with self.open(path) as reader:
            return reader.read()

    def iter_chunks(self, path: str) -> Iterator[bytes]:
        with self.open(path) as reader:
            while chunk := reader.read(CHUNK_SIZE):
                yield chunk

    def delete(self, path: str) -> None:
        self.absolute(path).unlink(missing_ok=True)

    def exists(self, path: str) -> bool:
        return self.absolute(path).is_file()

    def sealed_with_current_key(self, path: str) -> bool:
        with open(self.absolute(path), "rb") as handle:
            return handle.read(HEADER_SIZE)[4:12] == key_id(self._key)

    def reencrypt(self, path: str) -> None:
        """Re-seal one file under the current key, in place (atomic rename)."""
        target = self.absolute(path)
        part = target.with_suffix(".part")
        try:
            with self.open(path) as reader, open(part, "wb") as handle:
                sealer = _Sealer(handle, self._key)
                while chunk := reader.read(CHUNK_SIZE):
                    sealer.feed(chunk)
                sealer.finish()
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(part, target)
        except BaseException:
            part.unlink(missing_ok=True)
            raise

    def rotate(self) -> tuple[int, int]:
        """Re-seal every stored file not yet under the current key; (re-sealed, already current)."""
        rotated = current = 0
        for file in sorted(self.root.rglob("*.tbe")):
            relative = str(file.relative_to(self.root))
            if self.sealed_with_current_key(relative):
                current += 1
            else:
                self.reencrypt(relative)
                rotated += 1
        return rotated, current


class DecryptingReader(io.RawIOBase):
    """Random-access plaintext view of an encrypted file; decrypts one chunk at a time."""

    def __init__(self, path: Path, keys: dict[bytes, bytes]) -> None:
        try:
            self._file = open(path, "rb")  # noqa: SIM115 - closed in close()
        except FileNotFoundError:
            raise StorageError("stored file not found") from None
        header = self._file.read(HEADER_SIZE)
        if len(header) != HEADER_SIZE or not header.startswith(MAGIC):
            self._file.close()
            raise StorageError("not an encrypted TherapyBridge file")
        key = keys.get(header[4:12])
        if key is None:
            self._file.close()
            raise StorageError("file was encrypted with a key this server does not have")
        self._prefix = header[12:20]
        self._aead = AESGCM(key)
        sealed = os.fstat(self._file.fileno()).st_size - HEADER_SIZE
        self._chunks = -(-sealed // (CHUNK_SIZE + TAG_SIZE))
        last_sealed = sealed - (self._chunks - 1) * (CHUNK_SIZE + TAG_SIZE)
        self._size = (self._chunks - 1) * CHUNK_SIZE + last_sealed - TAG_SIZE
        self._position = 0
        self._cached: tuple[int, bytes] | None = None

    @property
    def size(self) -> int:
        return self._size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def _chunk(self, index: int) -> bytes:
        if self._cached and self._cached[0] == index:
            return self._cached[1]
        self._file.seek(HEADER_SIZE + index * (CHUNK_SIZE + TAG_SIZE))
        sealed = self._file.read(CHUNK_SIZE + TAG_SIZE)
        nonce = self._prefix + struct.pack(">I", index)
        try:
            plain = self._aead.decrypt(nonce, sealed, _aad(index, index == self._chunks - 1))
        except InvalidTag:
            raise StorageError("stored file failed authentication (corrupt or tampered)") from None
        self._cached = (index, plain)
        return plain

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._position >= self._size:
            return 0
        index, offset = divmod(self._position, CHUNK_SIZE)
        data = self._chunk(index)[offset : offset + len(buffer)]
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)

    def readall(self) -> bytes:
        parts = []
        while chunk := self.read(CHUNK_SIZE):
            parts.append(chunk)
        return b"".join(parts)

    def close(self) -> None:
        self._file.close()
        super().close()


def storage_from_settings(settings: Settings) -> EncryptedStorage:
    return EncryptedStorage(
        settings.data_dir / "files",
        settings.encryption_key_bytes,
        settings.previous_encryption_keys_bytes,
    )

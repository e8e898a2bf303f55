"""The one audit writer, and the verifier of its hash chain.

Every creation, view, edit, signature, download, deletion and share of PHI is one row in
`export_audit_log`. Rows are chained in `seq` order: `row_hash = sha256(prev_hash + canonical
row)`, so changing, inserting or removing a row breaks every link after it. Writers serialise on
a transaction-scoped advisory lock so the chain never forks; rows written outside a caller's
transaction are grouped, one transaction per turn for all writers waiting (a group commit).
The database refuses UPDATE and DELETE on the table (trigger); nothing in the application tries.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from core.enums import AuditAction
from core.tables import ExportAuditLog

_CHAIN_LOCK = 0x7462_6175_6469_74  # "tbaudit": one advisory lock key for the chain
GENESIS_HASH = "0" * 64
_LAST_HASH = "SELECT row_hash FROM export_audit_log ORDER BY seq DESC LIMIT 1"
_APPEND = """
    INSERT INTO export_audit_log (id, export_job_id, user_id, patient_id, action, resource_type,
        resource_id, ip_address, user_agent, action_metadata, prev_hash, row_hash, created_at)
    SELECT id, export_job_id, user_id, patient_id, action, resource_type, resource_id,
        ip_address, user_agent, action_metadata, prev_hash, row_hash, created_at
    FROM unnest({}::uuid[], {}::uuid[], {}::uuid[], {}::uuid[], {}::text[], {}::text[],
        {}::text[], {}::text[], {}::text[], {}::jsonb[], {}::text[], {}::text[],
        {}::timestamptz[])
        WITH ORDINALITY AS r(id, export_job_id, user_id, patient_id, action, resource_type,
            resource_id, ip_address, user_agent, action_metadata, prev_hash, row_hash,
            created_at, position)
    ORDER BY position
"""
MAX_ROWS_PER_TURN = 500


@dataclass(frozen=True)
class RequestOrigin:
    """Where an action came from; recorded with every audit row."""

    ip_address: str | None = None
    user_agent: str | None = None


SYSTEM_ORIGIN = RequestOrigin(ip_address=None, user_agent="therapybridge-worker")


def _canonical(row: dict[str, Any]) -> bytes:
    fields = {key: (str(value) if value is not None else None) for key, value in row.items()}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def compute_row_hash(prev_hash: str, row: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(row)).hexdigest()


def _hashed_fields(row: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "id", "export_job_id", "user_id", "patient_id", "action", "resource_type", "resource_id",
        "ip_address", "user_agent", "action_metadata", "created_at",
    )  # fmt: skip
    fields = {key: row[key] for key in keys}
    metadata = fields["action_metadata"]
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    fields["action_metadata"] = json.dumps(metadata, sort_keys=True, separators=(",", ":"))
    fields["created_at"] = row["created_at"].astimezone(UTC).isoformat()
    return fields


async def record(
    action: AuditAction,
    *,
    user_id: UUID | None,
    patient_id: UUID | None,
    origin: RequestOrigin = SYSTEM_ORIGIN,
    resource_type: str = "export",
    resource_id: UUID | str | None = None,
    export_job_id: UUID | None = None,
    metadata: dict[str, Any] | None = None,
) -> None:
    """Append one audit row. Metadata holds ids and codes only, never PHI."""
    row: dict[str, Any] = {
        "id": uuid4(),
        "export_job_id": export_job_id,
        "user_id": user_id,
        "patient_id": patient_id,
        "action": AuditAction(action).value,
        "resource_type": resource_type,
        "resource_id": str(resource_id) if resource_id is not None else None,
        "ip_address": (origin.ip_address or None) and origin.ip_address[:45],
        "user_agent": origin.user_agent,
        "action_metadata": metadata or {},
        "created_at": datetime.now(UTC),
    }
    if ExportAuditLog._meta.db.transaction_exists():
        await _append([row])  # part of the caller's transaction: it commits, or not, with it
    else:
        await _writer().append(row)


# Column order of the rows `_append` writes; `_APPEND` lists the same columns.
_COLUMNS = (
    "id", "export_job_id", "user_id", "patient_id", "action", "resource_type", "resource_id",
    "ip_address", "user_agent", "action_metadata", "prev_hash", "row_hash", "created_at",
)  # fmt: skip


async def _append(rows: list[dict[str, Any]]) -> None:
    """Chain `rows`, in order, onto the log in one transaction (fixed SQL: the chain's lock is
    held for three round trips and the commit, nothing is built while it is held)."""
    async with ExportAuditLog._meta.db.transaction():
        await ExportAuditLog.raw("SELECT pg_advisory_xact_lock({})", _CHAIN_LOCK)
        last = await ExportAuditLog.raw(_LAST_HASH)
        prev_hash = last[0]["row_hash"] if last else GENESIS_HASH
        for row in rows:
            row["prev_hash"] = prev_hash
            row["row_hash"] = prev_hash = compute_row_hash(prev_hash, _hashed_fields(row))
        columns = {name: [row[name] for row in rows] for name in _COLUMNS}
        columns["action_metadata"] = [json.dumps(m) for m in columns["action_metadata"]]
        await ExportAuditLog.raw(_APPEND, *columns.values())


class _GroupWriter:
    """Appends the rows of concurrent writers in one transaction each turn (a group commit):
    writers queue their row and wait until it is committed; one turn writes all queued rows
    while the next ones gather. The chain's lock is then taken once per turn, not per row."""

    def __init__(self) -> None:
        self._queued: list[tuple[dict[str, Any], asyncio.Future[None]]] = []
        self._turn: asyncio.Task[None] | None = None

    async def append(self, row: dict[str, Any]) -> None:
        committed = asyncio.get_running_loop().create_future()
        self._queued.append((row, committed))
        if self._turn is None:
            self._turn = asyncio.create_task(self._write_queued())
        await committed

    async def _write_queued(self) -> None:
        try:
            while self._queued:
                batch, self._queued = (
                    self._queued[:MAX_ROWS_PER_TURN],
                    self._queued[MAX_ROWS_PER_TURN:],
                )
                try:
                    await _append([row for row, _ in batch])
                except Exception as error:
                    for _, committed in batch:
                        if not committed.done():
                            committed.set_exception(error)
                else:
                    for _, committed in batch:
                        if not committed.done():
                            committed.set_result(None)
        finally:
            self._turn = None


_writers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _GroupWriter] = (
    weakref.WeakKeyDictionary()
)


def _writer() -> _GroupWriter:
    """The running event loop's writer (tests run several loops in one process)."""
    loop = asyncio.get_running_loop()
    writer = _writers.get(loop)
    if writer is None:
        writer = _writers[loop] = _GroupWriter()
    return writer


@dataclass(frozen=True)
class ChainReport:
    rows_checked: int
    first_broken_seq: int | None
    reason: str | None = None

    @property
    def intact(self) -> bool:
        return self.first_broken_seq is None


async def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order and report the first row whose link or hash does not hold."""
    prev_hash = GENESIS_HASH
    checked = 0
    last_seq = 0
    while True:
        rows = (
            await ExportAuditLog.select()
            .where(ExportAuditLog.seq > last_seq)
            .order_by(ExportAuditLog.seq)
            .limit(batch_size)
            .output(load_json=True)
        )
        if not rows:
            return ChainReport(rows_checked=checked, first_broken_seq=None)
        for row in rows:
            if row["prev_hash"] != prev_hash:
                return ChainReport(checked, row["seq"], "link to the previous row does not match")
            if compute_row_hash(prev_hash, _hashed_fields(row)) != row["row_hash"]:
                return ChainReport(checked, row["seq"], "row content does not match its hash")
            prev_hash = row["row_hash"]
            last_seq = row["seq"]
            checked += 1

"""The one audit writer, and the verifier of its hash chain.

Every creation, view, edit, signature, download, deletion and share of PHI is one row in
`export_audit_log`. Rows are chained in `seq` order: `row_hash = sha256(prev_hash + canonical
row)`, so changing, inserting or removing a row breaks every link after it. Writers serialise on
a transaction-scoped advisory lock so the chain never forks. The database refuses UPDATE and
DELETE on the table (trigger); nothing in the application tries.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from core.enums import AuditAction
from core.tables import ExportAuditLog

_CHAIN_LOCK = 0x7462_6175_6469_74  # "tbaudit": one advisory lock key for the chain
GENESIS_HASH = "0" * 64


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
    engine = ExportAuditLog._meta.db
    async with engine.transaction():
        await ExportAuditLog.raw("SELECT pg_advisory_xact_lock({})", _CHAIN_LOCK)
        last = (
            await ExportAuditLog.select(ExportAuditLog.row_hash)
            .order_by(ExportAuditLog.seq, ascending=False)
            .first()
        )
        prev_hash = last["row_hash"] if last else GENESIS_HASH
        row_hash = compute_row_hash(prev_hash, _hashed_fields(row))
        await ExportAuditLog.insert(
            ExportAuditLog(
                id=row["id"],
                export_job_id=export_job_id,
                user_id=user_id,
                patient_id=patient_id,
                action=row["action"],
                resource_type=resource_type,
                resource_id=row["resource_id"],
                ip_address=row["ip_address"],
                user_agent=row["user_agent"],
                action_metadata=row["action_metadata"],
                prev_hash=prev_hash,
                row_hash=row_hash,
                created_at=row["created_at"],
            )
        )


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

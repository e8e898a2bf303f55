"""What became of the submitted work, read where it is kept: rows, audit trail, files on disk."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import asyncpg

SESSION_FINAL = ("processed", "failed")
EXPORT_FINAL = ("completed", "failed", "expired")


@dataclass(frozen=True)
class Outcome:
    submitted: int
    completed: int
    failed: int
    duplicated: int  # items done more than once (see each query)
    unfinished: int  # neither completed nor failed when the soak ended: lost, or still going
    latencies: list[float]  # seconds from request to completion, in submission order
    first_request: float  # epoch seconds
    last_completion: float


async def finished(connection: asyncpg.Connection, since: datetime) -> int:
    """How many sessions and exports created since `since` have reached a final state."""
    return await connection.fetchval(
        "SELECT (SELECT count(*) FROM therapy_sessions WHERE created_at >= $1 "
        "        AND status = ANY($2::text[])) "
        "     + (SELECT count(*) FROM export_jobs WHERE created_at >= $1 "
        "        AND status = ANY($3::text[]))",
        since,
        list(SESSION_FINAL),
        list(EXPORT_FINAL),
    )


def _outcome(rows: list[asyncpg.Record], submitted: int, duplicated: int, done: str) -> Outcome:
    completed = [row for row in rows if row["status"] == done]
    return Outcome(
        submitted=submitted,
        completed=len(completed),
        failed=sum(row["status"] == "failed" for row in rows),
        duplicated=duplicated,
        unfinished=submitted - sum(row["status"] in (done, "failed") for row in rows),
        latencies=[(row["finished"] - row["created_at"]).total_seconds() for row in completed],
        first_request=min(row["created_at"] for row in rows).timestamp(),
        last_completion=max(
            (row["finished"] for row in completed), default=min(row["created_at"] for row in rows)
        ).timestamp(),
    )


async def session_outcome(connection: asyncpg.Connection, ids: list[str]) -> Outcome:
    rows = await connection.fetch(
        "SELECT status, created_at, processed_at AS finished FROM therapy_sessions "
        "WHERE id = ANY($1::uuid[]) ORDER BY created_at",
        ids,
    )
    # Processing twice would leave two current notes of one template for one session.
    duplicated = await connection.fetchval(
        "SELECT count(DISTINCT session_id) FROM ("
        "  SELECT session_id FROM clinical_notes WHERE session_id = ANY($1::uuid[]) "
        "  AND amendment_of_id IS NULL GROUP BY session_id, template HAVING count(*) > 1) twice",
        ids,
    )
    return _outcome(rows, len(ids), duplicated, "processed")


async def export_outcome(
    connection: asyncpg.Connection, ids: list[str], exports_dir: Path
) -> tuple[Outcome, dict[int, int], dict[int, int]]:
    """The outcome, and how many jobs have 0, 1, 2… completion audit rows and files on disk."""
    rows = await connection.fetch(
        "SELECT id, status, created_at, completed_at AS finished FROM export_jobs "
        "WHERE id = ANY($1::uuid[]) ORDER BY created_at",
        ids,
    )
    audited = dict(
        await connection.fetch(
            "SELECT export_job_id, count(*) FROM export_audit_log WHERE action = 'created' "
            "AND action_metadata->>'stage' = 'completed' AND export_job_id = ANY($1::uuid[]) "
            "GROUP BY export_job_id",
            ids,
        )
    )
    on_disk = files_per_job(exports_dir)
    audit_rows = [audited.get(row["id"], 0) for row in rows]
    files = [on_disk[str(row["id"])] for row in rows]
    duplicated = sum(a > 1 or f > 1 for a, f in zip(audit_rows, files, strict=True))
    outcome = _outcome(rows, len(ids), duplicated, "completed")
    return outcome, _histogram(audit_rows), _histogram(files)


def files_per_job(exports_dir: Path) -> Counter[str]:
    """Files named after each job: its document, and any half-written copy (`.part`)."""
    return Counter(path.name.split(".")[0] for path in exports_dir.iterdir())


def _histogram(values: list[int]) -> dict[int, int]:
    return dict(sorted(Counter(values).items()))

import asyncio

import pytest

from core import audit
from core.audit import RequestOrigin
from core.enums import AuditAction, Role
from core.tables import ExportAuditLog
from tests.factories import make_patient_of, make_user


async def _three_rows() -> None:
    therapist = await make_user(Role.therapist)
    patient = await make_patient_of(therapist)
    origin = RequestOrigin("203.0.113.9", "pytest")
    for action in (AuditAction.viewed, AuditAction.created, AuditAction.downloaded):
        await audit.record(action, user_id=therapist, patient_id=patient, origin=origin)


async def test_rows_are_chained_and_verify(db: None) -> None:
    await _three_rows()
    rows = await ExportAuditLog.select().order_by(ExportAuditLog.seq)
    assert [r["action"] for r in rows] == ["viewed", "created", "downloaded"]
    assert rows[0]["prev_hash"] == audit.GENESIS_HASH
    assert rows[1]["prev_hash"] == rows[0]["row_hash"]
    assert rows[0]["ip_address"] == "203.0.113.9" and rows[0]["user_agent"] == "pytest"
    report = await audit.verify_chain()
    assert report.intact and report.rows_checked == 3


async def test_tampering_is_found_at_the_changed_row(db: None) -> None:
    await _three_rows()
    second = (await ExportAuditLog.select().order_by(ExportAuditLog.seq))[1]
    # An attacker with database access must first switch the append-only guard off.
    await ExportAuditLog.raw(
        "ALTER TABLE export_audit_log DISABLE TRIGGER export_audit_log_no_update_delete"
    )
    try:
        await ExportAuditLog.raw(
            "UPDATE export_audit_log SET action = 'viewed' WHERE seq = {}", second["seq"]
        )
    finally:
        await ExportAuditLog.raw(
            "ALTER TABLE export_audit_log ENABLE TRIGGER export_audit_log_no_update_delete"
        )
    report = await audit.verify_chain()
    assert not report.intact and report.first_broken_seq == second["seq"]


async def test_database_refuses_update_and_delete(db: None) -> None:
    await _three_rows()
    for statement in (
        "UPDATE export_audit_log SET action = 'viewed'",
        "DELETE FROM export_audit_log",
    ):
        try:
            await ExportAuditLog.raw(statement)
        except Exception as error:
            assert "append-only" in str(error)
        else:
            raise AssertionError(f"{statement!r} was allowed")
    assert await ExportAuditLog.count() == 3


async def test_concurrent_writers_share_turns_and_keep_one_chain(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    turns: list[int] = []
    append = audit._append

    async def counted(rows: list[dict[str, object]]) -> None:
        turns.append(len(rows))
        await append(rows)

    monkeypatch.setattr(audit, "_append", counted)
    therapist = await make_user(Role.therapist)
    patient = await make_patient_of(therapist)
    origin = RequestOrigin("203.0.113.9", "pytest")

    async def view(number: int) -> None:
        await audit.record(
            AuditAction.viewed,
            user_id=therapist,
            patient_id=patient,
            origin=origin,
            resource_type="patient",
            metadata={"n": number},
        )

    await asyncio.gather(*(view(n) for n in range(60)))
    rows = await ExportAuditLog.select().order_by(ExportAuditLog.seq).output(load_json=True)
    assert sorted(row["action_metadata"]["n"] for row in rows) == list(range(60))
    assert sum(turns) == 60 and len(turns) <= 3  # grouped, not one lock and commit per row
    assert (await audit.verify_chain()).intact


async def test_a_row_written_inside_a_transaction_rolls_back_with_it(db: None) -> None:
    therapist = await make_user(Role.therapist)
    try:
        async with ExportAuditLog._meta.db.transaction():
            await audit.record(AuditAction.viewed, user_id=therapist, patient_id=None)
            raise RuntimeError("the caller's work failed")
    except RuntimeError:
        pass
    assert await ExportAuditLog.count() == 0
    await audit.record(AuditAction.viewed, user_id=therapist, patient_id=None)
    assert await ExportAuditLog.count() == 1 and (await audit.verify_chain()).intact

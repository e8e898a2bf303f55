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

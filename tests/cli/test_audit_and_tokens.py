from core import audit
from core.enums import AuditAction, Role
from core.tables import ExportAuditLog
from core.tokens import authenticate
from tests.cli.test_cli import tb
from tests.factories import make_user


async def test_audit_verify_reports_intact_then_the_broken_row(db: None) -> None:
    user = await make_user(Role.therapist)
    for _ in range(3):
        await audit.record(AuditAction.viewed, user_id=user, patient_id=None)
    ok = tb("audit", "verify")
    assert ok.returncode == 0 and ok.stdout.strip() == "audit chain intact: 3 rows verified"
    await ExportAuditLog.raw("ALTER TABLE export_audit_log DISABLE TRIGGER USER")
    await ExportAuditLog.raw("UPDATE export_audit_log SET ip_address = '10.0.0.1' WHERE seq = 2")
    await ExportAuditLog.raw("ALTER TABLE export_audit_log ENABLE TRIGGER USER")
    broken = tb("audit", "verify")
    assert broken.returncode == 4
    assert broken.stderr.strip() == (
        "Error: audit chain broken at row seq=2: row content does not match its hash "
        "(1 rows before it verified)"
    )


async def test_token_create_prints_a_working_token_once(db: None) -> None:
    user = await make_user(Role.therapist, handle="dr-who")
    result = tb("token", "create", "--user", "dr-who", "--name", "laptop")
    assert result.returncode == 0
    token = result.stdout.strip()
    actor = await authenticate(token)
    assert actor is not None and actor.id == user
    unknown = tb("token", "create", "--user", "nobody", "--name", "x")
    assert (
        unknown.returncode == 2 and unknown.stderr.strip() == "Error: no user with handle 'nobody'"
    )

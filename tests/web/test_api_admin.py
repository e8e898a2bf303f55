import httpx

from core.enums import Role
from core.tables import BreakGlassGrant, ExportAuditLog, User
from tests.factories import make_patient_of, make_user
from tests.web.test_api_exports import bearer


async def test_admin_manages_accounts_but_therapists_cannot(
    client: httpx.AsyncClient, db: None
) -> None:
    admin = await bearer(await make_user(Role.admin))
    therapist_id = await make_user(Role.therapist)
    therapist = await bearer(therapist_id)
    body = {
        "role": "patient",
        "full_name": "Casey Jones",
        "email": "casey@example.org",
        "handle": "casey",
        "therapist_id": str(therapist_id),
    }
    assert (
        await client.post("/api/v1/admin/users", json=body, headers=therapist)
    ).status_code == 403
    created = await client.post("/api/v1/admin/users", json=body, headers=admin)
    assert created.status_code == 201, created.text
    duplicate = await client.post("/api/v1/admin/users", json=body, headers=admin)
    assert duplicate.status_code == 409
    assert duplicate.json()["detail"] == "a user with this email already exists"
    listing = await client.get("/api/v1/admin/users?role=patient", headers=admin)
    assert [u["handle"] for u in listing.json()] == ["casey"]


async def test_break_glass_opens_one_patient_for_a_while_and_is_audited(
    client: httpx.AsyncClient, db: None
) -> None:
    admin_id = await make_user(Role.admin)
    admin = await bearer(admin_id)
    patient = await make_patient_of(await make_user(Role.therapist))
    export = {"patient_id": str(patient), "format": "json"}
    assert (
        await client.post("/api/v1/export/full-record", json=export, headers=admin)
    ).status_code == 404
    short = await client.post(
        "/api/v1/admin/break-glass",
        json={"patient_id": str(patient), "reason": "because", "minutes": 30},
        headers=admin,
    )
    assert short.status_code == 422 and "reason" in short.json()["detail"]
    granted = await client.post(
        "/api/v1/admin/break-glass",
        json={
            "patient_id": str(patient),
            "reason": "Court order 2025-114 requires the record",
            "minutes": 30,
        },
        headers=admin,
    )
    assert granted.status_code == 201
    assert (
        await client.post("/api/v1/export/full-record", json=export, headers=admin)
    ).status_code == 202
    assert await BreakGlassGrant.count() == 1
    audit_row = await ExportAuditLog.select().where(ExportAuditLog.action == "break_glass").first()
    assert audit_row["user_id"] == admin_id and audit_row["patient_id"] == patient
    assert "Court order" not in str(audit_row["action_metadata"])  # the reason stays off the log


async def test_deactivated_users_lose_api_access(client: httpx.AsyncClient, db: None) -> None:
    admin = await bearer(await make_user(Role.admin))
    therapist_id = await make_user(Role.therapist)
    therapist = await bearer(therapist_id)
    assert (await client.get("/api/v1/export/jobs", headers=therapist)).status_code == 200
    response = await client.post(f"/api/v1/admin/users/{therapist_id}/deactivate", headers=admin)
    assert response.status_code == 200 and response.json()["active"] is False
    assert (await client.get("/api/v1/export/jobs", headers=therapist)).status_code == 401
    assert await User.count() == 2

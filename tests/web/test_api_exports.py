"""Export API: validation, authorization and the job lifecycle as seen by clients."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import httpx
import pytest

from core.documents.formats import FILE_TYPES
from core.enums import ExportFormat, ExportStatus, Role, SessionStatus
from core.tables import ExportAuditLog, ExportJob
from core.tokens import issue_token
from tests.factories import make_patient_of, make_session, make_user


async def bearer(user_id: UUID) -> dict[str, str]:
    return {"Authorization": f"Bearer {(await issue_token(user_id, 'tests')).token}"}


@pytest.fixture
async def clinic(db: None) -> dict[str, object]:
    therapist = await make_user(Role.therapist)
    other = await make_user(Role.therapist)
    admin = await make_user(Role.admin)
    patient = await make_patient_of(therapist)
    session = await make_session(therapist, patient, SessionStatus.processed)
    return {
        "therapist": therapist,
        "other": other,
        "admin": admin,
        "patient": patient,
        "session": session,
        "auth": await bearer(therapist),
        "other_auth": await bearer(other),
        "admin_auth": await bearer(admin),
    }


def progress_body(patient: object, **overrides: object) -> dict[str, object]:
    body = {
        "patient_id": str(patient),
        "start_date": "2025-01-01",
        "end_date": "2025-03-31",
        "format": "pdf",
    }
    return {**body, **overrides}


async def test_request_creates_a_pending_job_and_audits_it(
    client: httpx.AsyncClient, clinic: dict
) -> None:
    response = await client.post(
        "/api/v1/export/progress-report",
        json=progress_body(clinic["patient"]),
        headers={**clinic["auth"], "User-Agent": "api-test"},
    )
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["status"] == "pending" and job["download_url"] is None
    row = await ExportJob.select().where(ExportJob.id == UUID(job["id"])).first()
    assert row["parameters"]  # ids and dates only
    audit_rows = await ExportAuditLog.select().where(
        ExportAuditLog.export_job_id == UUID(job["id"])
    )
    assert [r["action"] for r in audit_rows] == ["created"]
    assert audit_rows[0]["user_agent"] == "api-test"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start_date": "2025-13-01"}, "start_date"),
        ({"end_date": "2024-12-31"}, "end_date is before start_date"),
        ({"format": "xlsx"}, "format"),
        ({"include_sections": {"horoscope": True}}, "unknown section(s) horoscope"),
        ({"pdf_variant": "pdf/ua-1", "format": "docx"}, "pdf_variant applies to PDF"),
    ],
)
async def test_malformed_bodies_are_refused_and_no_job_created(
    client: httpx.AsyncClient, clinic: dict, overrides: dict, message: str
) -> None:
    response = await client.post(
        "/api/v1/export/progress-report",
        json=progress_body(clinic["patient"], **overrides),
        headers=clinic["auth"],
    )
    assert response.status_code in (400, 422)
    assert message in response.json()["detail"]
    assert await ExportJob.count() == 0


async def test_other_therapists_patient_is_not_found(
    client: httpx.AsyncClient, clinic: dict
) -> None:
    for path, body in [
        ("/api/v1/export/progress-report", progress_body(clinic["patient"])),
        ("/api/v1/export/full-record", {"patient_id": str(clinic["patient"])}),
        ("/api/v1/export/session-notes", {"session_ids": [str(clinic["session"])]}),
    ]:
        response = await client.post(path, json=body, headers=clinic["other_auth"])
        assert response.status_code == 404, (path, response.text)
    admin = await client.post(
        "/api/v1/export/full-record",
        json={"patient_id": str(clinic["patient"])},
        headers=clinic["admin_auth"],
    )
    assert admin.status_code == 404  # admins read no PHI without break-glass access
    assert await ExportJob.count() == 0


async def test_jobs_of_others_are_invisible(client: httpx.AsyncClient, clinic: dict) -> None:
    created = await client.post(
        "/api/v1/export/full-record",
        json={"patient_id": str(clinic["patient"])},
        headers=clinic["auth"],
    )
    job_id = created.json()["id"]
    for method, path in [
        ("GET", f"/api/v1/export/jobs/{job_id}"),
        ("GET", f"/api/v1/export/download/{job_id}"),
        ("DELETE", f"/api/v1/export/jobs/{job_id}"),
    ]:
        response = await client.request(method, path, headers=clinic["other_auth"])
        assert response.status_code == 404, (method, path)
    mine = await client.get("/api/v1/export/jobs", headers=clinic["auth"])
    theirs = await client.get("/api/v1/export/jobs", headers=clinic["other_auth"])
    assert mine.json()["total"] == 1 and theirs.json()["total"] == 0


async def test_requests_without_a_valid_token_are_refused(
    client: httpx.AsyncClient, clinic: dict
) -> None:
    assert (await client.get("/api/v1/export/jobs")).status_code == 401
    bad = {"Authorization": "Bearer tb_not-a-real-token"}
    assert (await client.get("/api/v1/export/jobs", headers=bad)).status_code == 401


async def _completed_job(
    clinic: dict, storage: object, *, expires_in: timedelta, fmt: str = "pdf"
) -> UUID:
    stored = storage.write_bytes("exports", b"%PDF-1.7 test document")  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    job = ExportJob(
        user_id=clinic["therapist"],
        patient_id=clinic["patient"],
        export_type="full_record",
        format=fmt,
        status=ExportStatus.completed,
        file_path=stored.path,
        file_size_bytes=stored.size,
        completed_at=now,
        expires_at=now + expires_in,
    )
    await job.save()
    return job.id


async def test_download_streams_the_file_and_audits_ip_and_agent(
    client: httpx.AsyncClient, clinic: dict, app: object
) -> None:
    job_id = await _completed_job(clinic, app.state.runtime.storage, expires_in=timedelta(days=7))  # type: ignore[attr-defined]
    response = await client.get(
        f"/api/v1/export/download/{job_id}", headers={**clinic["auth"], "User-Agent": "dl-test"}
    )
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7 test document"
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    row = await ExportAuditLog.select().where(ExportAuditLog.action == "downloaded").first()
    assert row["user_agent"] == "dl-test" and row["ip_address"] == "127.0.0.1"


async def test_a_download_is_served_as_the_renderer_declared_it(
    client: httpx.AsyncClient, clinic: dict, app: object
) -> None:
    """One table of formats: what the export job was made as is what the download says."""
    storage = app.state.runtime.storage  # type: ignore[attr-defined]
    job_id = await _completed_job(clinic, storage, expires_in=timedelta(days=7), fmt="csv")
    response = await client.get(f"/api/v1/export/download/{job_id}", headers=clinic["auth"])
    served = response.headers["content-type"]
    assert served == f"{FILE_TYPES[ExportFormat.csv].media_type}; charset=utf-8"  # charset once
    assert response.headers["content-disposition"].endswith('.csv"')


async def test_expired_download_is_gone(
    client: httpx.AsyncClient, clinic: dict, app: object
) -> None:
    job_id = await _completed_job(
        clinic, app.state.runtime.storage, expires_in=-timedelta(minutes=1)
    )  # type: ignore[attr-defined]
    response = await client.get(f"/api/v1/export/download/{job_id}", headers=clinic["auth"])
    assert response.status_code == 410
    assert "expired" in response.json()["detail"]


async def test_delete_removes_the_file_and_audits(
    client: httpx.AsyncClient, clinic: dict, app: object
) -> None:
    storage = app.state.runtime.storage  # type: ignore[attr-defined]
    job_id = await _completed_job(clinic, storage, expires_in=timedelta(days=7))
    path = (await ExportJob.select(ExportJob.file_path).where(ExportJob.id == job_id).first())[
        "file_path"
    ]
    response = await client.delete(f"/api/v1/export/jobs/{job_id}", headers=clinic["auth"])
    assert response.status_code == 204
    assert not storage.exists(path)
    assert (
        await client.get(f"/api/v1/export/download/{job_id}", headers=clinic["auth"])
    ).status_code == 410
    assert await ExportAuditLog.exists().where(ExportAuditLog.action == "deleted")


async def test_unknown_job_is_not_found(client: httpx.AsyncClient, clinic: dict) -> None:
    response = await client.get(f"/api/v1/export/jobs/{uuid4()}", headers=clinic["auth"])
    assert response.status_code == 404
    assert response.json()["detail"] == "export job not found"

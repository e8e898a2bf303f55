"""Every page in full and its HTMX partials; another therapist's records are not found."""

from __future__ import annotations

import httpx
import pytest

from core.enums import ExportStatus, ExportType
from core.tables import ExportAuditLog, ExportJob

from .conftest import HX, Clinic

FULL_PAGE_MARK = "<!doctype html>"


def is_full_page(response: httpx.Response) -> bool:
    return response.text.lstrip().lower().startswith(FULL_PAGE_MARK)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "Today’s sessions"),
        ("/patients", "Jordan Ellis"),
        ("/upload", "Drop an audio file here"),
        ("/exports", "Request a document"),
        ("/audit", "Audit log"),
        ("/settings", "API tokens"),
    ],
)
async def test_full_pages(therapist_client: httpx.AsyncClient, path: str, expected: str) -> None:
    response = await therapist_client.get(path)
    assert response.status_code == 200, response.text
    assert is_full_page(response) and expected in response.text
    assert response.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert 'sse-connect="/events"' in response.text


async def test_patient_page_shows_the_record(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    response = await therapist_client.get(f"/patients/{clinic.patient}")
    assert response.status_code == 200
    for part in ("Jordan Ellis", "Treatment goals", "PHQ-9 and GAD-7", "SOAP · draft", "1 flag"):
        assert part in response.text
    viewed = await ExportAuditLog.select().where(
        (ExportAuditLog.patient_id == clinic.patient) & (ExportAuditLog.action == "viewed")
    )
    assert [row["resource_type"] for row in viewed] == ["patient"]


async def test_session_page_shows_transcript_and_risk(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    response = await therapist_client.get(f"/sessions/{clinic.session}")
    assert response.status_code == 200
    assert "Sometimes I wish I could disappear." in response.text
    assert 'class="segment speaker-patient segment-risk"' in response.text
    assert "Passive suicidal ideation" in response.text  # the label the notes use too
    assert 'href="#segment-2"' in response.text


async def test_note_review_page_and_tab_partial(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    page = await therapist_client.get(f"/sessions/{clinic.session}/notes")
    assert page.status_code == 200 and is_full_page(page)
    assert "SOAP note" in page.text and "Save and sign" in page.text
    tab = await therapist_client.get(f"/sessions/{clinic.session}/notes?template=dap", headers=HX)
    assert tab.status_code == 200 and not is_full_page(tab)
    assert 'id="note-review"' in tab.text and "has no DAP note" in tab.text


async def test_patient_search_partial(therapist_client: httpx.AsyncClient) -> None:
    found = await therapist_client.get("/patients?q=ell", headers=HX)
    assert found.status_code == 200 and not is_full_page(found)
    assert "Jordan Ellis" in found.text and found.headers["hx-push-url"] == "/patients?q=ell"
    missing = await therapist_client.get("/patients?q=zzz", headers=HX)
    assert "No patients found." in missing.text
    wildcard = await therapist_client.get("/patients?q=%25", headers=HX)
    assert "Jordan Ellis" not in wildcard.text  # % is a character here, not a wildcard


async def test_home_cards_refresh_as_partials(therapist_client: httpx.AsyncClient) -> None:
    for card, text in [
        ("today", "Jordan Ellis"),
        ("work", "Nothing is processing"),
        ("notes", "SOAP note · Jordan Ellis"),
        ("risks", "Sometimes I wish I could disappear."),
    ]:
        response = await therapist_client.get(f"/home/{card}", headers=HX)
        assert response.status_code == 200 and not is_full_page(response)
        assert text in response.text, card


async def test_session_status_partial(therapist_client: httpx.AsyncClient, clinic: Clinic) -> None:
    response = await therapist_client.get(f"/sessions/{clinic.session}/status", headers=HX)
    assert response.status_code == 200 and "status-processed" in response.text
    pipeline = await therapist_client.get(f"/sessions/{clinic.session}/pipeline", headers=HX)
    assert "Review notes" in pipeline.text and "stage-done" in pipeline.text


async def test_export_sections_follow_the_type(therapist_client: httpx.AsyncClient) -> None:
    response = await therapist_client.get("/exports/sections?export_type=full_record", headers=HX)
    assert 'value="transcripts"' in response.text and 'value="mood_chart"' not in response.text


async def test_audit_log_lists_the_patients_trail(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    await therapist_client.get(f"/sessions/{clinic.session}")
    response = await therapist_client.get(f"/audit?patient_id={clinic.patient}", headers=HX)
    assert response.status_code == 200 and not is_full_page(response)
    assert "Viewed" in response.text and "Dana Reyes" in response.text
    other = await therapist_client.get(f"/audit?patient_id={clinic.other_patient}")
    assert other.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/patients/{other_patient}",
        "/patients/{other_patient}/sessions",
        "/sessions/{other_session}",
        "/sessions/{other_session}/status",
        "/sessions/{other_session}/notes",
        "/upload?patient_id={other_patient}",
    ],
)
async def test_another_therapists_records_are_not_found(
    therapist_client: httpx.AsyncClient, clinic: Clinic, path: str
) -> None:
    url = path.format(other_patient=clinic.other_patient, other_session=clinic.other_session)
    response = await therapist_client.get(url)
    if url.startswith("/upload"):
        # The picker lists only the therapist's own patients, whatever the link says.
        assert "Kim Novak" not in response.text
        return
    assert response.status_code == 404
    assert is_full_page(response) and "not found" in response.text
    assert "Kim Novak" not in response.text


async def test_another_therapists_records_in_partials_are_not_found(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    response = await therapist_client.get(f"/sessions/{clinic.other_session}/status", headers=HX)
    assert response.status_code == 404
    assert response.headers["hx-retarget"] == "#flash"
    assert "Session not found" in response.text


async def test_another_therapists_export_job_is_not_found(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    job = ExportJob(
        user_id=clinic.other,
        patient_id=clinic.other_patient,
        export_type=ExportType.full_record,
        format="pdf",
        status=ExportStatus.pending,
    )
    await job.save()
    response = await therapist_client.get(f"/exports/jobs/{job.id}/row", headers=HX)
    assert response.status_code == 404

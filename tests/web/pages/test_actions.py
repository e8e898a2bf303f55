"""What people do on the pages: correct a transcript, sign and amend notes, request exports,
record questionnaires, upload audio, manage tokens and link Slack."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest
from litestar import Litestar

from core.enums import AuditAction, ExportStatus, NoteStatus, SessionStatus
from core.infra.queue import PROCESS_SESSION
from core.slack_link import consume_link_code
from core.tables import ClinicalNote, ExportAuditLog, ExportJob, MeasureScore, TherapySession
from core.tokens import authenticate

from .conftest import HX, Clinic, csrf, sign_in

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "audio"


def hx(client: httpx.AsyncClient) -> dict[str, str]:
    return {**HX, **csrf(client)}


async def soap_note(session_id: UUID) -> dict:
    note = await ClinicalNote.select().where(ClinicalNote.session_id == session_id).first()
    assert note is not None
    return note


async def test_correcting_a_transcript_segment(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    response = await therapist_client.post(
        f"/sessions/{clinic.session}/transcript/1",
        data={"speaker": "patient", "text": "Hard. I slept badly all week."},
        headers=hx(therapist_client),
    )
    assert response.status_code == 200, response.text
    assert "I slept badly all week." in response.text
    row = (
        await TherapySession.select(TherapySession.transcript_text)
        .where(TherapySession.id == clinic.session)
        .first()
    )
    assert "P: Hard. I slept badly all week." in row["transcript_text"]
    edited = await ExportAuditLog.select().where(ExportAuditLog.action == AuditAction.edited)
    assert [r["resource_type"] for r in edited] == ["transcript"]


async def test_a_transcript_edit_needs_text(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    response = await therapist_client.post(
        f"/sessions/{clinic.session}/transcript/0",
        data={"speaker": "therapist", "text": "  "},
        headers=hx(therapist_client),
    )
    assert response.status_code == 422
    assert "Segment 1 needs some text" in response.text


async def test_swapping_speaker_labels_refreshes_the_page(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    response = await therapist_client.post(
        f"/sessions/{clinic.session}/transcript/swap-speakers", headers=hx(therapist_client)
    )
    assert response.headers["hx-refresh"] == "true"
    row = (
        await TherapySession.select(TherapySession.transcript_text)
        .where(TherapySession.id == clinic.session)
        .first()
    )
    assert row["transcript_text"].startswith("P: How has the week been?")


async def test_edit_then_sign_then_amend_a_note(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    note = await soap_note(clinic.session)
    edited = await therapist_client.post(
        f"/notes/{note['id']}/edit",
        data={"subjective.mood": "Low, tired."},
        headers=hx(therapist_client),
    )
    assert edited.status_code == 200, (edited.headers, edited.text)
    assert "Low, tired." in edited.text and "Draft saved." in edited.headers["hx-trigger"]

    signed = await therapist_client.post(
        f"/notes/{note['id']}/sign",
        data={"plan.homework": "Sleep diary every night."},
        headers=hx(therapist_client),
    )
    assert signed.status_code == 200, signed.text
    assert "Amend this note" in signed.text and "Sleep diary every night." in signed.text
    stored = await soap_note(clinic.session)
    assert stored["status"] == NoteStatus.signed and stored["content_sha256"]

    locked = await therapist_client.post(
        f"/notes/{note['id']}/edit",
        data={"subjective.mood": "Changed after signing"},
        headers=hx(therapist_client),
    )
    assert locked.status_code == 409 and "signed and locked" in locked.text

    no_reason = await therapist_client.post(
        f"/notes/{note['id']}/amend",
        data={"plan.homework": "Sleep diary, and a wind-down routine.", "reason": ""},
        headers=hx(therapist_client),
    )
    assert no_reason.status_code == 422 and "needs a reason" in no_reason.text

    amended = await therapist_client.post(
        f"/notes/{note['id']}/amend",
        data={"plan.homework": "Sleep diary, and a wind-down routine.", "reason": "Homework"},
        headers=hx(therapist_client),
    )
    assert amended.status_code == 200, amended.text
    assert "version 2" in amended.text and "Version 1 · Amended" in amended.text


async def test_another_therapist_cannot_sign(client: httpx.AsyncClient, clinic: Clinic) -> None:
    await sign_in(client, clinic.other_email)
    note = await soap_note(clinic.session)
    response = await client.post(f"/notes/{note['id']}/sign", headers=hx(client))
    assert response.status_code == 404
    assert (await soap_note(clinic.session))["status"] == NoteStatus.draft


async def test_requesting_an_export_adds_a_live_row(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    response = await therapist_client.post(
        "/exports",
        data={
            "export_type": "session_notes",
            "patient_id": str(clinic.patient),
            "start_date": "",
            "end_date": "",
            "format": "pdf",
            "pdf_variant": "pdf/ua-1",
            "sections": ["patient_info", "clinical_notes"],
        },
        headers=hx(therapist_client),
    )
    assert response.status_code == 201, response.text
    job = await ExportJob.select().where(ExportJob.user_id == clinic.therapist).first()
    assert job["status"] == ExportStatus.pending
    assert f'hx-trigger="sse:export-{job["id"]}, sse:resync"' in response.text
    parameters = json.loads(job["parameters"])
    assert parameters["session_ids"] == [str(clinic.session)]
    assert parameters["include_sections"]["transcript"] is False
    assert parameters["pdf_variant"] == "pdf/ua-1"

    row = await therapist_client.get(f"/exports/jobs/{job['id']}/row", headers=HX)
    assert "Being prepared" in row.text


async def test_export_form_errors_are_shown(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    response = await therapist_client.post(
        "/exports",
        data={"export_type": "progress_report", "patient_id": str(clinic.patient), "format": "pdf"},
        headers=hx(therapist_client),
    )
    assert response.status_code == 422
    assert "A progress report needs start_date and end_date" in response.text
    other = await therapist_client.post(
        "/exports",
        data={"export_type": "full_record", "patient_id": str(clinic.other_patient)},
        headers=hx(therapist_client),
    )
    assert other.status_code == 404


async def test_recording_a_phq9(therapist_client: httpx.AsyncClient, clinic: Clinic) -> None:
    items = {f"item{n}": "2" for n in range(1, 10)}
    response = await therapist_client.post(
        f"/patients/{clinic.patient}/measures",
        data={"instrument": "phq9", **items},
        headers=hx(therapist_client),
    )
    assert response.status_code == 200, response.text
    assert "<svg" in response.text and "PHQ-9 recorded: total 18" in response.headers["hx-trigger"]
    assert await MeasureScore.count() == 1
    incomplete = await therapist_client.post(
        f"/patients/{clinic.patient}/measures",
        data={"instrument": "gad7", "item1": "1"},
        headers=hx(therapist_client),
    )
    assert incomplete.status_code == 422


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"instrument": "phq10", "item1": "1"}, "instrument"),
        ({"instrument": "phq9", "item1": "two"}, "item1"),
        ({"instrument": "phq9", "item1": "7"}, "item1"),
    ],
)
async def test_a_malformed_measure_form_is_refused_naming_the_field(
    therapist_client: httpx.AsyncClient, clinic: Clinic, fields: dict[str, str], named: str
) -> None:
    response = await therapist_client.post(
        f"/patients/{clinic.patient}/measures", data=fields, headers=hx(therapist_client)
    )
    assert response.status_code == 400, response.text
    assert response.headers["hx-retarget"] == "#flash"
    assert named in response.text.lower()
    assert await MeasureScore.count() == 0


async def test_a_goal_reading_for_a_malformed_session_is_refused(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    response = await therapist_client.post(
        f"/patients/{clinic.patient}/goals/{uuid4()}/readings",
        data={"value": "5/10", "session_id": "not-a-session"},
        headers=hx(therapist_client),
    )
    assert response.status_code == 400, response.text
    assert "session_id" in response.text.lower()


async def test_uploading_through_the_dashboard(
    app: Litestar, therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    audio = (FIXTURES / "clip.wav").read_bytes()
    response = await therapist_client.post(
        f"/upload/audio?patient_id={clinic.patient}&session_date=2026-03-02T09:30",
        content=audio,
        headers={**hx(therapist_client), "Content-Type": "audio/wav"},
    )
    assert response.status_code == 201, response.text
    assert "stage-current" in response.text and "Jordan Ellis" in response.text
    session = (
        await TherapySession.select()
        .where(
            (TherapySession.patient_id == clinic.patient)
            & (TherapySession.status == SessionStatus.uploading)
        )
        .first()
    )
    assert session["audio_sha256"] == hashlib.sha256(audio).hexdigest()
    assert session["session_date"].isoformat().startswith("2026-03-02T09:30")
    settings = app.state.settings
    queued = await app.state.runtime.queue.queued_jobs(queue_name=settings.redis_queue_name)
    assert [job.function for job in queued] == [PROCESS_SESSION]


async def test_uploading_something_that_is_not_audio(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    response = await therapist_client.post(
        f"/upload/audio?patient_id={clinic.patient}",
        content=(FIXTURES / "garbage.mp3").read_bytes(),
        headers=hx(therapist_client),
    )
    assert response.status_code == 415
    assert response.headers["hx-retarget"] == "#flash"


async def test_api_tokens_are_shown_once_and_revocable(
    therapist_client: httpx.AsyncClient,
) -> None:
    created = await therapist_client.post(
        "/settings/tokens", data={"name": "EHR sync"}, headers=hx(therapist_client)
    )
    token = created.text.split('id="new-token">')[1].split("<")[0]
    assert await authenticate(token) is not None
    listing = await therapist_client.get("/settings")
    assert token not in listing.text and "EHR sync" in listing.text
    token_id = listing.text.split("/settings/tokens/")[1].split("/revoke")[0]
    await therapist_client.post(f"/settings/tokens/{token_id}/revoke", headers=hx(therapist_client))
    assert await authenticate(token) is None


async def test_slack_link_code_links_the_account(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    response = await therapist_client.post("/settings/slack/code", headers=hx(therapist_client))
    code = response.text.split("/tb link ")[1].split("<")[0]
    assert await consume_link_code(code, "U0TEST") == clinic.therapist
    settings = await therapist_client.get("/settings")
    assert "Your Slack account is linked" in settings.text

"""Notes, goals and measures through the API, including who may do what."""

import httpx
import pytest

from core.enums import NoteTemplate, Role, SessionStatus
from core.extracted_notes import ExtractedNotes, MoodLevel
from core.notes.drafts import create_drafts
from tests.factories import make_patient_of, make_session, make_user
from tests.web.test_api_exports import bearer


@pytest.fixture
async def note_setup(db: None) -> dict[str, object]:
    therapist = await make_user(Role.therapist)
    patient = await make_patient_of(therapist)
    notes = ExtractedNotes(
        key_topics=["anxiety", "sleep"],
        topic_summary="Discussed anxiety management strategies",
        session_mood=MoodLevel.positive,
    )
    session = await make_session(
        therapist, patient, SessionStatus.processed, extracted_notes=notes.model_dump(mode="json")
    )
    (note_id,) = await create_drafts(session, [NoteTemplate.soap])
    return {
        "session": session,
        "patient": patient,
        "note": note_id,
        "auth": await bearer(therapist),
        "other": await bearer(await make_user(Role.therapist)),
    }


async def test_sign_then_edit_is_refused_then_amend_keeps_both(
    client: httpx.AsyncClient, note_setup: dict
) -> None:
    auth, note = note_setup["auth"], note_setup["note"]
    listed = await client.get(f"/api/v1/sessions/{note_setup['session']}/notes", headers=auth)
    assert [n["template"] for n in listed.json()] == ["soap"]
    edit = {"sections": {"assessment": {"clinical_impression": "Engaged, anxious but hopeful."}}}
    edited = await client.patch(f"/api/v1/notes/{note}", json=edit, headers=auth)
    assert edited.status_code == 200, edited.text
    assert (
        edited.json()["sections"]["assessment"]["clinical_impression"]
        == "Engaged, anxious but hopeful."
    )
    signed = await client.post(f"/api/v1/notes/{note}/sign", headers=auth)
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    assert len(signed.json()["content_sha256"]) == 64
    refused = await client.patch(f"/api/v1/notes/{note}", json=edit, headers=auth)
    assert refused.status_code == 409 and "amendment" in refused.json()["detail"]
    no_reason = await client.post(f"/api/v1/notes/{note}/amend", json=edit, headers=auth)
    assert no_reason.status_code == 400
    amend = {
        **edit,
        "sections": {"plan": {"homework": "Sleep diary nightly"}},
        "reason": "Homework omitted",
    }
    amended = await client.post(f"/api/v1/notes/{note}/amend", json=amend, headers=auth)
    assert amended.status_code == 201, amended.text
    assert amended.json()["amendment_of_id"] == str(note)
    original = await client.get(f"/api/v1/notes/{note}", headers=auth)
    assert original.json()["status"] == "amended"
    assert original.json()["content_sha256"] == signed.json()["content_sha256"]


async def test_other_therapist_sees_nothing(client: httpx.AsyncClient, note_setup: dict) -> None:
    other, note, patient = note_setup["other"], note_setup["note"], note_setup["patient"]
    for method, path in [
        ("GET", f"/api/v1/notes/{note}"),
        ("POST", f"/api/v1/notes/{note}/sign"),
        ("GET", f"/api/v1/sessions/{note_setup['session']}/notes"),
        ("GET", f"/api/v1/patients/{patient}/measures"),
        ("GET", f"/api/v1/patients/{patient}/goals"),
    ]:
        assert (await client.request(method, path, headers=other)).status_code == 404, path


async def test_measures_score_and_validate(client: httpx.AsyncClient, note_setup: dict) -> None:
    auth, patient = note_setup["auth"], note_setup["patient"]
    url = f"/api/v1/patients/{patient}/measures"
    phq = {
        "instrument": "phq9",
        "items": [2, 2, 1, 1, 2, 1, 1, 0, 0],
        "session_id": str(note_setup["session"]),
    }
    recorded = await client.post(url, json=phq, headers=auth)
    assert recorded.status_code == 201, recorded.text
    assert (recorded.json()["total"], recorded.json()["severity"]) == (10, "moderate")
    bad = await client.post(
        url, json={"instrument": "gad7", "items": [4, 0, 0, 0, 0, 0, 0]}, headers=auth
    )
    assert bad.status_code == 422 and "item 1" in bad.json()["detail"]
    listing = await client.get(url, headers=auth)
    assert [m["total"] for m in listing.json()] == [10]


async def test_goals_progress(client: httpx.AsyncClient, note_setup: dict) -> None:
    auth, patient = note_setup["auth"], note_setup["patient"]
    created = await client.post(
        f"/api/v1/patients/{patient}/goals",
        json={"description": "Reduce anxiety", "baseline": "8/10"},
        headers=auth,
    )
    assert created.status_code == 201, created.text
    goal = created.json()[0]
    reading = await client.post(
        f"/api/v1/goals/{goal['id']}/readings",
        json={"value": "5/10"},
        headers=auth,
    )
    assert reading.status_code == 201, reading.text
    goals = (await client.get(f"/api/v1/patients/{patient}/goals", headers=auth)).json()
    assert (goals[0]["baseline"], goals[0]["current"], goals[0]["progress_percentage"]) == (
        "8/10",
        "5/10",
        37.5,
    )

"""Notes, goals and measures through the API, including who may do what."""

import httpx
import pytest

from core.access import load_actor
from core.audit import RequestOrigin
from core.break_glass import grant_break_glass
from core.enums import NoteTemplate, Relationship, Role, SessionStatus
from core.extracted_notes import ExtractedNotes, MoodLevel
from core.notes.drafts import create_drafts
from core.tables import ClinicalNote, User
from core.users import assign_patient
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
        "therapist": therapist,
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


async def _templates(session: object) -> list[str]:
    rows = await ClinicalNote.select(ClinicalNote.template).where(
        ClinicalNote.session_id == session
    )
    return sorted(row["template"] for row in rows)


async def test_drafting_on_demand_creates_once_then_returns_the_note(
    client: httpx.AsyncClient, note_setup: dict
) -> None:
    auth, url = note_setup["auth"], f"/api/v1/sessions/{note_setup['session']}/notes"
    created = await client.post(url, json={"template": "dap"}, headers=auth)
    assert created.status_code == 201, created.text
    note = created.json()
    assert (note["template"], note["status"], note["version"]) == ("dap", "draft", 1)
    assert note["session_id"] == str(note_setup["session"]) and note["sections"]["data"]
    assert (note["signed_by_name"], note["signed_by_license"]) == (None, None)

    again = await client.post(url, json={"template": "dap"}, headers=auth)
    assert again.status_code == 200 and again.json()["id"] == note["id"]
    soap = await client.post(url, json={"template": "soap"}, headers=auth)
    assert soap.status_code == 200 and soap.json()["id"] == str(note_setup["note"])
    assert await _templates(note_setup["session"]) == ["dap", "soap"]


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"template": "narrative"}, 400, "template"),
        ({}, 400, "template"),
        ({"template": "dap", "sections": {}}, 400, "sections"),
        ([], 400, ""),
    ],
)
async def test_drafting_with_a_bad_body_is_refused(
    client: httpx.AsyncClient, note_setup: dict, body: object, status: int, detail: str
) -> None:
    url = f"/api/v1/sessions/{note_setup['session']}/notes"
    response = await client.post(url, json=body, headers=note_setup["auth"])
    assert response.status_code == status, response.text
    assert detail in response.json()["detail"]
    assert await _templates(note_setup["session"]) == ["soap"]


async def test_drafting_needs_a_processed_session_that_exists(
    client: httpx.AsyncClient, note_setup: dict
) -> None:
    auth = note_setup["auth"]
    pending = await make_session(note_setup["therapist"], note_setup["patient"])
    refused = await client.post(
        f"/api/v1/sessions/{pending}/notes", json={"template": "dap"}, headers=auth
    )
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "notes are drafted once a session is processed; this one is uploading"
    )
    missing = await client.post(
        "/api/v1/sessions/00000000-0000-4000-8000-000000000000/notes",
        json={"template": "dap"},
        headers=auth,
    )
    assert missing.status_code == 404 and missing.json()["detail"] == "session not found"
    assert await _templates(pending) == []


async def test_who_may_draft_a_note(client: httpx.AsyncClient, note_setup: dict) -> None:
    """Only the therapist who held the session; others who may read it get 403, everyone
    else 404 (as for reading it)."""
    session, patient = note_setup["session"], note_setup["patient"]
    secondary = await make_user(Role.therapist)
    await assign_patient(secondary, patient, Relationship.secondary)
    admin = await make_user(Role.admin)
    granted_admin = await make_user(Role.admin)
    granted = await load_actor(granted_admin)
    assert granted is not None
    await grant_break_glass(granted, patient, "Records request from the court", 30, RequestOrigin())
    answers = {
        "other therapist": (note_setup["other"], 404),
        "the patient": (await bearer(patient), 404),
        "admin": (await bearer(admin), 404),
        "admin with break-glass": (await bearer(granted_admin), 403),
        "secondary therapist": (await bearer(secondary), 403),
    }
    for who, (auth, expected) in answers.items():
        response = await client.post(
            f"/api/v1/sessions/{session}/notes", json={"template": "dap"}, headers=auth
        )
        assert response.status_code == expected, who
        if expected == 403:
            assert response.json()["detail"] == (
                "only the therapist who held the session may draft its notes"
            )
    assert await _templates(session) == ["soap"]


async def test_a_signed_note_names_its_signer(client: httpx.AsyncClient, note_setup: dict) -> None:
    therapist = note_setup["therapist"]
    await User.update({User.full_name: "Dr. Maya Rivera", User.license: "LCSW 48213"}).where(
        User.id == therapist
    )
    auth, note = note_setup["auth"], note_setup["note"]
    signed = await client.post(f"/api/v1/notes/{note}/sign", headers=auth)
    assert signed.status_code == 200, signed.text
    expected = ("Dr. Maya Rivera", "LCSW 48213", str(therapist))
    view = (await client.get(f"/api/v1/notes/{note}", headers=auth)).json()
    for body in (signed.json(), view):
        assert (body["signed_by_name"], body["signed_by_license"], body["signed_by_id"]) == expected
    [summary] = (
        await client.get(f"/api/v1/sessions/{note_setup['session']}/notes", headers=auth)
    ).json()
    assert summary["signed_by_name"] == "Dr. Maya Rivera"

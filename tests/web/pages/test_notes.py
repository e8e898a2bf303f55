"""The note page: drafting a template's note in one click, and a signed note as the clinician's
record (no machine hints, the signer's name and time)."""

from __future__ import annotations

import json
import re
from uuid import UUID

import httpx

from core.enums import AuditAction, NoteTemplate, Relationship, SessionStatus
from core.tables import ClinicalNote, ExportAuditLog, User
from core.users import assign_patient
from tests.factories import make_session

from .conftest import HX, Clinic, csrf, sign_in

# What only a draft's review shows: the machine's confidence and the fields it found no
# evidence for.
MACHINE_HINTS = (
    "confidence-",
    "Confidence ",
    "had no evidence in the session",
    "Missing</span>",
    'class="missing',
    "missing-hint",
)


def hx(client: httpx.AsyncClient) -> dict[str, str]:
    return {**HX, **csrf(client)}


async def notes_of(session_id: UUID) -> list[dict]:
    return (
        await ClinicalNote.select(ClinicalNote.id, ClinicalNote.template, ClinicalNote.status)
        .where(ClinicalNote.session_id == session_id)
        .order_by(ClinicalNote.created_at)
    )


def flash(response: httpx.Response) -> str:
    return json.loads(response.headers["hx-trigger"])["flash"]["message"]


async def test_a_tab_without_a_note_drafts_one_in_one_click(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    tab = await therapist_client.get(f"/sessions/{clinic.session}/notes?template=dap", headers=HX)
    assert "has no DAP note yet" in tab.text
    form = re.search(r'<form[^>]*hx-post="([^"]+)"[^>]*>(.*?)</form>', tab.text, re.S)
    assert form is not None and form[1] == f"/sessions/{clinic.session}/notes"
    assert 'name="template" value="dap"' in form[2] and "Draft a DAP note" in form[2]

    drafted = await therapist_client.post(
        form[1], data={"template": "dap"}, headers=hx(therapist_client)
    )
    assert drafted.status_code == 200, drafted.text
    assert 'id="note-review"' in drafted.text and "<!doctype" not in drafted.text.lower()
    assert "DAP note" in drafted.text and "Save and sign" in drafted.text
    assert "Draft a DAP note" not in drafted.text
    assert flash(drafted) == "DAP draft created."
    assert [n["template"] for n in await notes_of(clinic.session)] == ["soap", "dap"]

    again = await therapist_client.post(
        form[1], data={"template": "dap"}, headers=hx(therapist_client)
    )
    assert again.status_code == 200 and flash(again) == "This session already has a DAP note."
    assert [n["template"] for n in await notes_of(clinic.session)] == ["soap", "dap"]
    asked = await ExportAuditLog.select(ExportAuditLog.user_id).where(
        (ExportAuditLog.action == AuditAction.created) & (ExportAuditLog.user_id.is_not_null())
    )
    assert asked == [{"user_id": clinic.therapist}]

    page = await therapist_client.get(f"/sessions/{clinic.session}/notes?template=dap")
    assert "DAP note" in page.text and "has no DAP note" not in page.text


async def test_drafting_refusals_change_nothing(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    url = f"/sessions/{clinic.session}/notes"
    unknown = await therapist_client.post(
        url, data={"template": "narrative"}, headers=hx(therapist_client)
    )
    assert unknown.status_code == 422 and "use one of: soap, dap, birp, progress" in unknown.text
    others = await therapist_client.post(
        f"/sessions/{clinic.other_session}/notes",
        data={"template": "dap"},
        headers=hx(therapist_client),
    )
    assert others.status_code == 404
    pending = await make_session(clinic.therapist, clinic.patient, SessionStatus.transcribing)
    tab = await therapist_client.get(f"/sessions/{pending}/notes?template=dap", headers=HX)
    assert "once the session is processed" in tab.text and "Draft a" not in tab.text
    refused = await therapist_client.post(
        f"/sessions/{pending}/notes", data={"template": "dap"}, headers=hx(therapist_client)
    )
    assert refused.status_code == 409 and "this one is transcribing" in refused.text
    assert [n["template"] for n in await notes_of(clinic.session)] == ["soap"]
    assert [n["template"] for n in await notes_of(clinic.other_session)] == ["soap"]
    assert await notes_of(pending) == []


async def test_a_colleague_on_the_case_sees_no_draft_button(
    client: httpx.AsyncClient, clinic: Clinic
) -> None:
    await assign_patient(clinic.other, clinic.patient, Relationship.secondary)
    await sign_in(client, clinic.other_email)
    tab = await client.get(f"/sessions/{clinic.session}/notes?template=dap", headers=HX)
    assert tab.status_code == 200
    assert "Only the therapist who held the session can draft one." in tab.text
    assert "Draft a DAP note" not in tab.text
    refused = await client.post(
        f"/sessions/{clinic.session}/notes", data={"template": "dap"}, headers=hx(client)
    )
    assert refused.status_code == 403 and "may draft its notes" in refused.text
    assert [n["template"] for n in await notes_of(clinic.session)] == ["soap"]


async def test_a_signed_note_reads_as_the_clinicians(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    await User.update({User.full_name: "Dr. Dana Reyes", User.license: "LCSW 48213"}).where(
        User.id == clinic.therapist
    )
    [soap] = await notes_of(clinic.session)
    draft = await therapist_client.get(f"/sessions/{clinic.session}/notes")
    # The draft carries the hints, which help its review...
    assert "Confidence " in draft.text and "had no evidence in the session" in draft.text
    assert "Signed by" not in draft.text

    signed = await therapist_client.post(f"/notes/{soap['id']}/sign", headers=hx(therapist_client))
    assert signed.status_code == 200, signed.text
    page = await therapist_client.get(f"/sessions/{clinic.session}/notes")
    # ...the signed note does not: it is the clinician's, under their name.
    for response in (signed, page):
        assert [hint for hint in MACHINE_HINTS if hint in response.text] == []
        assert re.search(
            r"Signed by Dr\. Dana Reyes, LCSW 48213</strong> on \w{3} \d{1,2}, \d{4} at \d{2}:\d{2}",
            response.text,
        ), response.text
    assert "Amend this note" in page.text

    amended = await therapist_client.post(
        f"/notes/{soap['id']}/amend",
        data={"plan.homework": "Sleep diary every night.", "reason": "Homework was left out"},
        headers=hx(therapist_client),
    )
    assert amended.status_code == 200, amended.text
    assert [hint for hint in MACHINE_HINTS if hint in amended.text] == []
    assert "Amendment of version 1, signed by Dr. Dana Reyes, LCSW 48213" in amended.text
    assert "Reason for the amendment: Homework was left out" in amended.text
    assert "Version 1 · Amended · signed" in amended.text and "by Dr. Dana Reyes" in amended.text


async def test_a_draft_of_a_new_template_keeps_its_hints(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    drafted = await therapist_client.post(
        f"/sessions/{clinic.session}/notes",
        data={"template": NoteTemplate.birp.value},
        headers=hx(therapist_client),
    )
    assert drafted.status_code == 200
    assert "Confidence " in drafted.text and "Signed by" not in drafted.text


async def test_a_transcript_correction_flows_to_the_draft_with_conflicts_shown(
    therapist_client: httpx.AsyncClient, clinic: Clinic, app: object
) -> None:
    from core.sessions.reanalysis import reanalyse_session

    [soap] = await notes_of(clinic.session)
    # The clinician edits one field of the draft, then corrects what the patient said.
    await therapist_client.post(
        f"/notes/{soap['id']}/edit",
        data={"subjective.chief_complaint": "Poor sleep, in her words"},
        headers=hx(therapist_client),
    )
    corrected = await therapist_client.post(
        f"/sessions/{clinic.session}/transcript/1",
        data={"speaker": "patient", "text": "Hard. I drink every night and I gamble online."},
        headers=hx(therapist_client),
    )
    assert corrected.status_code == 200, corrected.text
    page = await therapist_client.get(f"/sessions/{clinic.session}/notes?template=soap")
    assert "Updating the notes from the corrected transcript" in page.text

    resources = app.state.runtime  # type: ignore[attr-defined]
    assert await reanalyse_session(
        clinic.session, settings=resources.settings, events=resources.events
    )
    banner = await therapist_client.get(f"/sessions/{clinic.session}/analysis", headers=HX)
    assert "Reload to see the updated notes" in banner.text
    assert "1 draft field to review" in banner.text
    page = await therapist_client.get(f"/sessions/{clinic.session}/notes?template=soap")
    assert "Poor sleep, in her words" in page.text  # the clinician's edit stands
    assert "The corrected transcript now suggests:" in page.text
    assert 'data-use-suggestion="field-subjective-chief_complaint"' in page.text

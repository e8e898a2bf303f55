"""Drafting a note on request: who may, which sessions, once per template, on record."""

import asyncio
from uuid import UUID

import pytest

from core.access import Actor, load_actor
from core.audit import RequestOrigin
from core.enums import AuditAction, NoteStatus, NoteTemplate, Relationship, Role, SessionStatus
from core.errors import Invalid, NotFound
from core.notes.drafts import NOTE_RESOURCE, create_drafts
from core.notes.errors import NoteStateError, NotSessionTherapist
from core.notes.on_demand import draft_on_demand
from core.notes.service import amend_note, get_note, list_notes, sign_note
from core.tables import ClinicalNote, ExportAuditLog, User
from core.users import assign_patient
from tests.factories import make_session, make_user

from .test_service import ORIGIN, Clinic, clinic

__all__ = ["clinic"]

SLACK = RequestOrigin(None, "slack:T0/U0")


async def _actor(role: Role = Role.therapist, **fields: object) -> Actor:
    actor = await load_actor(await make_user(role, **fields))
    assert actor is not None
    return actor


async def _note_rows(session_id: UUID) -> list[dict]:
    return (
        await ClinicalNote.select(ClinicalNote.id, ClinicalNote.template, ClinicalNote.version)
        .where(ClinicalNote.session_id == session_id)
        .order_by(ClinicalNote.version)
    )


async def _created_rows(note_id: UUID) -> list[dict]:
    return (
        await ExportAuditLog.select()
        .where(
            (ExportAuditLog.action == AuditAction.created)
            & (ExportAuditLog.resource_type == NOTE_RESOURCE)
            & (ExportAuditLog.resource_id == str(note_id))
        )
        .order_by(ExportAuditLog.seq)
        .output(load_json=True)
    )


async def test_a_draft_is_made_once_and_then_returned(clinic: Clinic) -> None:
    first = await draft_on_demand(clinic.therapist, clinic.session, NoteTemplate.dap, ORIGIN)
    assert first.created and first.status == NoteStatus.draft
    note = await get_note(clinic.therapist, first.note_id, ORIGIN)
    assert (note["template"], note["status"], note["version"]) == ("dap", "draft", 1)
    assert note["sections"]["data"] and note["author_id"] == clinic.therapist.id

    again = await draft_on_demand(clinic.therapist, clinic.session, "dap", SLACK)
    assert (again.note_id, again.created, again.status) == (first.note_id, False, "draft")
    assert [row["template"] for row in await _note_rows(clinic.session)] == ["dap"]

    # The draft is on record once, as asked for by the therapist, from where.
    rows = await _created_rows(first.note_id)
    assert [row["user_id"] for row in rows] == [clinic.therapist.id]
    asked = rows[0]
    assert (asked["ip_address"], asked["user_agent"]) == (ORIGIN.ip_address, ORIGIN.user_agent)
    assert asked["action_metadata"] == {
        "session_id": str(clinic.session),
        "template": "dap",
        "version": 1,
        "requested": "on_demand",
    }


async def test_a_pipeline_draft_is_returned_not_duplicated(clinic: Clinic) -> None:
    [soap] = await create_drafts(clinic.session, [NoteTemplate.soap])
    found = await draft_on_demand(clinic.therapist, clinic.session, NoteTemplate.soap, ORIGIN)
    assert (found.note_id, found.created) == (soap, False)
    assert len(await _created_rows(soap)) == 1


async def test_after_an_amendment_the_current_version_is_returned(clinic: Clinic) -> None:
    drafted = await draft_on_demand(clinic.therapist, clinic.session, NoteTemplate.soap, ORIGIN)
    await sign_note(clinic.therapist, drafted.note_id, ORIGIN)
    amendment = await amend_note(
        clinic.therapist,
        drafted.note_id,
        {"plan": {"homework": "Sleep diary"}},
        "Homework was missing",
        ORIGIN,
    )
    found = await draft_on_demand(clinic.therapist, clinic.session, NoteTemplate.soap, ORIGIN)
    assert (found.note_id, found.created, found.status) == (amendment["id"], False, "signed")


async def test_concurrent_requests_make_one_draft(clinic: Clinic) -> None:
    results = await asyncio.gather(
        *(draft_on_demand(clinic.therapist, clinic.session, "birp", ORIGIN) for _ in range(4))
    )
    assert sorted(result.created for result in results) == [False, False, False, True]
    assert len({result.note_id for result in results}) == 1
    assert len(await _note_rows(clinic.session)) == 1


async def test_only_the_therapist_who_held_the_session_drafts(clinic: Clinic) -> None:
    colleague = await _actor()
    await assign_patient(colleague.id, clinic.patient, Relationship.secondary)
    with pytest.raises(NotSessionTherapist, match="may draft its notes"):
        await draft_on_demand(colleague, clinic.session, NoteTemplate.dap, ORIGIN)
    for outsider in (await _actor(), await _actor(Role.admin), await _actor(Role.patient)):
        with pytest.raises(NotFound):
            await draft_on_demand(outsider, clinic.session, NoteTemplate.dap, ORIGIN)
    assert await _note_rows(clinic.session) == []
    assert await ExportAuditLog.count().where(ExportAuditLog.action == AuditAction.created) == 0


async def test_an_unprocessed_session_is_refused_with_its_state(clinic: Clinic) -> None:
    session = await make_session(clinic.therapist.id, clinic.patient, SessionStatus.transcribing)
    with pytest.raises(NoteStateError, match=r"once a session is processed.*transcribing"):
        await draft_on_demand(clinic.therapist, session, NoteTemplate.dap, ORIGIN)
    assert await _note_rows(session) == []


async def test_an_unknown_template_is_refused(clinic: Clinic) -> None:
    with pytest.raises(Invalid, match="use one of: soap, dap, birp, progress"):
        await draft_on_demand(clinic.therapist, clinic.session, "narrative", ORIGIN)
    assert await _note_rows(clinic.session) == []


async def test_a_signed_note_carries_its_signers_name_and_licence(clinic: Clinic) -> None:
    await User.update({User.license: "LCSW 48213"}).where(User.id == clinic.therapist.id)
    drafted = await draft_on_demand(clinic.therapist, clinic.session, NoteTemplate.soap, ORIGIN)
    draft = await get_note(clinic.therapist, drafted.note_id, ORIGIN)
    assert (draft["signed_by_name"], draft["signed_by_license"]) == (None, None)
    signed = await sign_note(clinic.therapist, drafted.note_id, ORIGIN)
    expected = (clinic.therapist.full_name, "LCSW 48213")
    assert (signed["signed_by_name"], signed["signed_by_license"]) == expected
    read = await get_note(clinic.therapist, drafted.note_id, ORIGIN)
    assert (read["signed_by_name"], read["signed_by_license"]) == expected
    [listed] = await list_notes(clinic.therapist, clinic.session)
    assert listed["signed_by_name"] == clinic.therapist.full_name

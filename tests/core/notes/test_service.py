"""The review workflow against PostgreSQL: drafts, edit, sign, amend, access and audit."""

import asyncio
from dataclasses import dataclass
from uuid import UUID

import pytest

from core import audit
from core.access import Actor, load_actor
from core.audit import RequestOrigin
from core.enums import NoteStatus, NoteTemplate, Relationship, Role, SessionStatus
from core.errors import NotFound
from core.extracted_notes import ExtractedNotes, Speaker, TranscriptSegment
from core.notes.content import content_sha256
from core.notes.drafts import configured_templates, create_drafts
from core.notes.errors import InvalidNoteContent, NoteLocked, NoteStateError, NotSessionTherapist
from core.notes.service import (
    amend_note,
    edit_note,
    get_note,
    list_notes,
    sign_note,
    verify_note,
)
from core.notes.transcript_draft import draft_note
from core.settings import ConfigError, get_settings
from core.tables import ClinicalNote, ExportAuditLog
from core.users import assign_patient
from tests.factories import make_patient_of, make_session, make_user

ORIGIN = RequestOrigin("198.51.100.7", "pytest")
SEGMENTS = [
    TranscriptSegment(start=0, end=3, text="How was the week?", speaker=Speaker.therapist),
    TranscriptSegment(start=3, end=6, text="Busy, but calmer.", speaker=Speaker.patient),
    TranscriptSegment(
        start=6, end=9, text="Any thoughts of suicide this week?", speaker=Speaker.therapist
    ),
    TranscriptSegment(start=9, end=10, text="No.", speaker=Speaker.patient),
]
REASON = "Homework frequency was recorded wrongly"


@dataclass(frozen=True)
class Clinic:
    therapist: Actor
    patient: UUID
    session: UUID


async def _actor(role: Role = Role.therapist) -> Actor:
    actor = await load_actor(await make_user(role))
    assert actor is not None
    return actor


@pytest.fixture
async def clinic(db: None, spec_notes: ExtractedNotes) -> Clinic:
    therapist = await _actor()
    patient = await make_patient_of(therapist.id)
    session = await make_session(
        therapist.id,
        patient,
        SessionStatus.processed,
        extracted_notes=spec_notes.model_dump(mode="json"),
        transcript_segments=[segment.model_dump(mode="json") for segment in SEGMENTS],
    )
    return Clinic(therapist, patient, session)


async def _draft(clinic: Clinic, template: NoteTemplate = NoteTemplate.soap) -> UUID:
    [note_id] = await create_drafts(clinic.session, [template])
    return note_id


async def _signed(clinic: Clinic) -> UUID:
    note_id = await _draft(clinic)
    await sign_note(clinic.therapist, note_id, ORIGIN)
    return note_id


async def test_drafts_are_filled_from_the_session_once_per_template(
    clinic: Clinic, spec_notes: ExtractedNotes
) -> None:
    templates = [NoteTemplate.soap, NoteTemplate.dap]
    created = await create_drafts(clinic.session, templates)
    assert len(created) == 2
    assert await create_drafts(clinic.session, templates) == []
    assert await create_drafts(clinic.session, [*templates, NoteTemplate.birp]) != []
    assert await ClinicalNote.count().where(ClinicalNote.session_id == clinic.session) == 3

    soap = await get_note(clinic.therapist, created[0], ORIGIN)
    expected = draft_note(spec_notes, SEGMENTS, NoteTemplate.soap)
    assert soap["template"] == NoteTemplate.soap
    assert soap["sections"] == expected.sections
    assert soap["missing_fields"] == expected.missing_fields
    assert soap["metadata"]["overall_confidence"] == expected.metadata.overall_confidence
    assert "Patient denied suicidal ideation" in soap["sections"]["assessment"]["risk_assessment"]
    assert (soap["status"], soap["version"]) == (NoteStatus.draft, 1)
    assert soap["author_id"] == clinic.therapist.id
    assert soap["signed_by_id"] is None and soap["content_sha256"] is None


async def test_concurrent_calls_create_each_draft_once(clinic: Clinic) -> None:
    templates = [NoteTemplate.soap, NoteTemplate.birp]
    results = await asyncio.gather(*(create_drafts(clinic.session, templates) for _ in range(4)))
    assert sorted(len(ids) for ids in results) == [0, 0, 0, 2]
    rows = await ClinicalNote.select(ClinicalNote.template).where(
        ClinicalNote.session_id == clinic.session
    )
    assert sorted(row["template"] for row in rows) == ["birp", "soap"]


async def test_default_templates_come_from_the_settings(clinic: Clinic) -> None:
    settings = get_settings().model_copy(update={"default_note_templates": "DAP, progress, dap"})
    assert configured_templates(settings) == [NoteTemplate.dap, NoteTemplate.progress]
    assert len(await create_drafts(clinic.session, configured_templates(settings))) == 2
    settings = settings.model_copy(update={"default_note_templates": "soap,narrative"})
    with pytest.raises(ConfigError, match="'narrative'"):
        configured_templates(settings)


async def test_a_session_is_drafted_only_once_processed(clinic: Clinic) -> None:
    waiting = await make_session(clinic.therapist.id, clinic.patient, SessionStatus.transcribed)
    with pytest.raises(NoteStateError, match="transcribed"):
        await create_drafts(waiting, [NoteTemplate.soap])
    without_notes = await make_session(clinic.therapist.id, clinic.patient, SessionStatus.processed)
    with pytest.raises(NoteStateError, match="no extracted notes"):
        await create_drafts(without_notes, [NoteTemplate.soap])
    with pytest.raises(NotFound):
        await create_drafts(UUID(int=1), [NoteTemplate.soap])


async def test_sign_then_edit_is_refused_and_an_amendment_keeps_both_versions(
    clinic: Clinic,
) -> None:
    me = clinic.therapist
    note_id = await _draft(clinic)
    edited = await edit_note(me, note_id, {"plan": {"homework": "Breathe 5 minutes daily"}}, ORIGIN)
    assert edited["sections"]["plan"]["homework"] == "Breathe 5 minutes daily"

    signed = await sign_note(me, note_id, ORIGIN)
    assert signed["status"] == NoteStatus.signed
    assert signed["signed_by_id"] == me.id and signed["signed_at"] is not None
    assert signed["content_sha256"] == content_sha256(NoteTemplate.soap, edited["sections"])
    assert verify_note(signed)

    with pytest.raises(NoteLocked, match="amendment"):
        await edit_note(me, note_id, {"plan": {"homework": "Changed quietly"}}, ORIGIN)

    change = {"plan": {"homework": "Breathe 5 minutes twice daily"}}
    amendment = await amend_note(me, note_id, change, f"  {REASON} ", ORIGIN)
    assert amendment["id"] != note_id
    assert amendment["amendment_of_id"] == note_id
    assert amendment["amendment_reason"] == REASON
    assert (amendment["version"], amendment["status"]) == (2, NoteStatus.signed)
    assert amendment["signed_by_id"] == me.id
    assert amendment["sections"]["plan"]["homework"] == "Breathe 5 minutes twice daily"
    assert amendment["sections"]["subjective"] == signed["sections"]["subjective"]
    assert verify_note(amendment)

    original = await get_note(me, note_id, ORIGIN)
    assert original["status"] == NoteStatus.amended
    for column in ("sections", "signed_by_id", "signed_at", "content_sha256", "version"):
        assert original[column] == signed[column]
    assert verify_note(original)

    listed = await list_notes(me, clinic.session)
    assert [(n["version"], n["status"]) for n in listed] == [(1, "amended"), (2, "signed")]
    assert "sections" not in listed[0]


async def test_operations_a_state_does_not_allow_are_refused(clinic: Clinic) -> None:
    me = clinic.therapist
    draft_id = await _draft(clinic, NoteTemplate.dap)
    with pytest.raises(NoteStateError, match="draft"):
        await amend_note(me, draft_id, {"plan": {"homework": "x"}}, REASON, ORIGIN)

    note_id = await _signed(clinic)
    with pytest.raises(NoteStateError, match="already signed"):
        await sign_note(me, note_id, ORIGIN)
    for reason in ("", "   "):
        with pytest.raises(InvalidNoteContent, match="reason"):
            await amend_note(me, note_id, {"plan": {"homework": "x"}}, reason, ORIGIN)
    unchanged = (await get_note(me, note_id, ORIGIN))["sections"]
    with pytest.raises(InvalidNoteContent, match="does not change"):
        await amend_note(me, note_id, unchanged, REASON, ORIGIN)
    assert await ClinicalNote.count().where(ClinicalNote.amendment_of_id == note_id) == 0

    await amend_note(me, note_id, {"plan": {"homework": "x"}}, REASON, ORIGIN)
    with pytest.raises(NoteStateError, match="current version"):
        await amend_note(me, note_id, {"plan": {"homework": "y"}}, REASON, ORIGIN)
    with pytest.raises(NoteLocked, match="current version"):
        await edit_note(me, note_id, {"plan": {"homework": "y"}}, ORIGIN)


async def test_a_refused_edit_changes_nothing(clinic: Clinic) -> None:
    note_id = await _draft(clinic)
    before = await get_note(clinic.therapist, note_id, ORIGIN)
    audit_rows = await ExportAuditLog.count()
    with pytest.raises(InvalidNoteContent):
        await edit_note(clinic.therapist, note_id, {"data": {"observations": "x"}}, ORIGIN)
    assert await get_note(clinic.therapist, note_id, ORIGIN) == before
    assert await ExportAuditLog.count() == audit_rows + 1  # the second view only


async def test_an_edit_may_add_a_field_and_completes_missing_fields(clinic: Clinic) -> None:
    note_id = await _draft(clinic)
    missing = (await get_note(clinic.therapist, note_id, ORIGIN))["missing_fields"]
    section, [field, *_] = next(iter(missing.items()))
    changes = {section: {field: "Now documented", "clinician_remark": "Seen with partner"}}
    edited = await edit_note(clinic.therapist, note_id, changes, ORIGIN)
    assert edited["sections"][section]["clinician_remark"] == "Seen with partner"
    assert field not in edited["missing_fields"].get(section, [])


async def test_another_therapist_finds_nothing(clinic: Clinic) -> None:
    note_id = await _signed(clinic)
    stranger = await _actor()
    await make_patient_of(stranger.id)
    admin = await _actor(Role.admin)
    for outsider in (stranger, admin):
        with pytest.raises(NotFound):
            await get_note(outsider, note_id, ORIGIN)
        with pytest.raises(NotFound):
            await list_notes(outsider, clinic.session)
        with pytest.raises(NotFound):
            await edit_note(outsider, note_id, {"plan": {"homework": "x"}}, ORIGIN)
        with pytest.raises(NotFound):
            await sign_note(outsider, note_id, ORIGIN)
        with pytest.raises(NotFound):
            await amend_note(outsider, note_id, {"plan": {"homework": "x"}}, REASON, ORIGIN)
    assert (
        await ExportAuditLog.count().where(ExportAuditLog.user_id.is_in([stranger.id, admin.id]))
        == 0
    )


async def test_a_second_therapist_of_the_patient_reads_but_cannot_change(clinic: Clinic) -> None:
    draft_id = await _draft(clinic, NoteTemplate.dap)
    signed_id = await _signed(clinic)
    colleague = await _actor()
    await assign_patient(colleague.id, clinic.patient, Relationship.secondary)
    assert (await get_note(colleague, signed_id, ORIGIN))["id"] == signed_id
    with pytest.raises(NotSessionTherapist):
        await edit_note(colleague, draft_id, {"plan": {"homework": "x"}}, ORIGIN)
    with pytest.raises(NotSessionTherapist):
        await sign_note(colleague, draft_id, ORIGIN)
    with pytest.raises(NotSessionTherapist):
        await amend_note(colleague, signed_id, {"plan": {"homework": "x"}}, REASON, ORIGIN)


async def test_every_view_edit_sign_and_amend_is_audited_without_note_text(
    clinic: Clinic,
) -> None:
    me = clinic.therapist
    note_id = await _draft(clinic)
    await get_note(me, note_id, ORIGIN)
    await edit_note(me, note_id, {"plan": {"homework": "Walk daily"}}, ORIGIN)
    signed = await sign_note(me, note_id, ORIGIN)
    amendment = await amend_note(me, note_id, {"plan": {"homework": "Walk twice"}}, REASON, ORIGIN)

    rows = (
        await ExportAuditLog.select()
        .where(ExportAuditLog.resource_type == "clinical_note")
        .order_by(ExportAuditLog.seq)
        .output(load_json=True)
    )
    assert [row["action"] for row in rows] == ["created", "viewed", "edited", "signed", "amended"]
    assert rows[0]["user_id"] is None
    assert all(row["user_id"] == me.id for row in rows[1:])
    assert all(row["patient_id"] == clinic.patient for row in rows)
    assert all(row["ip_address"] == ORIGIN.ip_address for row in rows[1:])
    assert [row["resource_id"] for row in rows] == [str(note_id)] * 4 + [str(amendment["id"])]
    assert rows[3]["action_metadata"]["content_sha256"] == signed["content_sha256"]
    assert rows[4]["action_metadata"]["original_id"] == str(note_id)
    assert rows[4]["action_metadata"]["new_id"] == str(amendment["id"])
    written = " ".join(str(row["action_metadata"]) for row in rows)
    assert "Walk" not in written and REASON not in written
    assert (await audit.verify_chain()).intact


async def test_changed_signed_content_no_longer_verifies(clinic: Clinic) -> None:
    note_id = await _signed(clinic)
    note = await get_note(clinic.therapist, note_id, ORIGIN)
    note["sections"]["plan"]["homework"] = "Rewritten behind the service's back"
    await ClinicalNote.update({ClinicalNote.sections: note["sections"]}).where(
        ClinicalNote.id == note_id
    )
    assert not verify_note(await get_note(clinic.therapist, note_id, ORIGIN))
    assert not verify_note(
        await get_note(clinic.therapist, await _draft(clinic, NoteTemplate.dap), ORIGIN)
    )


async def test_signing_keeps_what_the_note_records_as_signed(clinic: Clinic) -> None:
    note_id = await _draft(clinic)
    await edit_note(
        clinic.therapist,
        note_id,
        {"plan": {"homework": "• Walk after lunch", "treatment_goals": "• Sleep 7 hours — 5/10"}},
        ORIGIN,
    )
    signed = await sign_note(clinic.therapist, note_id, ORIGIN)
    assert signed["record"]["homework"] == ["Walk after lunch"]
    assert signed["record"]["goals"] == [{"description": "Sleep 7 hours", "reading": "5/10"}]
    amended = await amend_note(
        clinic.therapist,
        note_id,
        {"plan": {"treatment_goals": "• Sleep 7 hours — 6/10"}},
        "Reading misheard",
        ORIGIN,
    )
    assert amended["record"]["goals"][0]["reading"] == "6/10"
    original = await ClinicalNote.select(ClinicalNote.record).where(ClinicalNote.id == note_id)
    assert original[0]["record"] is not None  # the original keeps what it recorded


async def test_goal_readings_a_signed_note_states_become_the_sessions(clinic: Clinic) -> None:
    from core.tables import GoalMeasurement, TreatmentGoal

    note_id = await _draft(clinic)
    await edit_note(
        clinic.therapist, note_id, {"plan": {"treatment_goals": "• Walk daily — 3/10"}}, ORIGIN
    )
    await sign_note(clinic.therapist, note_id, ORIGIN)
    [goal] = await TreatmentGoal.select().where(TreatmentGoal.patient_id == clinic.patient)
    assert goal["description"] == "Walk daily"
    readings = await GoalMeasurement.select(GoalMeasurement.value, GoalMeasurement.session_id)
    assert readings == [{"value": "3/10", "session_id": clinic.session}]
    await amend_note(
        clinic.therapist,
        note_id,
        {"plan": {"treatment_goals": "• Walk daily — 4/10"}},
        "Corrected reading",
        ORIGIN,
    )
    readings = await GoalMeasurement.select(GoalMeasurement.value)
    assert readings == [{"value": "4/10"}]  # replaced, not added

"""The signed note is the truth: every document type and format prints what was signed.

A session's extraction says one thing; the clinician corrects the draft and signs. Each of the
16 (type, format) pairs must carry the signed words and not the extraction's, name the note's
version and signer, and — when the document asks for signed content only — hold no unsigned
draft at all.
"""

import csv
import io
import json
from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from docx import Document

from core.access import Actor
from core.audit import RequestOrigin
from core.documents.formats import DOCUMENT_FORMATS
from core.documents.gather import gather_context
from core.documents.pdf import render_pdf
from core.documents.service import render_document
from core.enums import ExportFormat, ExportType, NoteTemplate, Role, SessionStatus
from core.exports.requests import ExportRequest
from core.extracted_notes import (
    ActionItem,
    ExtractedNotes,
    MoodLevel,
    RiskFlag,
    RiskType,
    Severity,
)
from core.notes.drafts import create_drafts
from core.notes.service import amend_note, edit_note, sign_note
from core.tables import ClinicalNote
from tests.core.documents.pdftext import pdf_text
from tests.factories import make_patient_of, make_session, make_user

ORIGIN = RequestOrigin(ip_address="127.0.0.1", user_agent="pytest")
MISHEARD_HOMEWORK = "Buy a parrot every evening"
MISHEARD_TOPIC = "parrot ownership"
SIGNED_HOMEWORK = "Walk twenty minutes after lunch"
SIGNED_FOLLOW_UP = "Sleep hygiene review"
SIGNED_TOPIC = "bereavement"
AMENDED_PLAN_WORDS = "Refer to grief group"
DRAFT_TOPIC = "unsigned draft topic zebra"


def at(day: int) -> datetime:
    return datetime(2025, 3, day, 15, 0, tzinfo=UTC)


async def processed(therapist: UUID, patient: UUID, day: int, notes: ExtractedNotes) -> UUID:
    session_id = await make_session(
        therapist,
        patient,
        SessionStatus.processed,
        session_date=at(day),
        duration_seconds=3000,
        extracted_notes=notes.model_dump_json(),
        transcript_text="T: Hello.\nP: Hello.",
        transcript_segments=[],
    )
    await create_drafts(session_id, [NoteTemplate.soap])
    return session_id


async def soap_note(session_id: UUID) -> UUID:
    row = (
        await ClinicalNote.select(ClinicalNote.id)
        .where(ClinicalNote.session_id == session_id)
        .order_by(ClinicalNote.version, ascending=False)
        .first()
    )
    assert row is not None
    return row["id"]


class Clinic:
    def __init__(self, actor: Actor, patient: UUID, signed: UUID, unsigned: UUID) -> None:
        self.actor, self.patient, self.signed, self.unsigned = actor, patient, signed, unsigned

    def request(
        self, export_type: ExportType, fmt: ExportFormat, signed_only: bool | None = None
    ) -> ExportRequest:
        fields: dict[str, object] = {"export_type": export_type, "format": fmt}
        if export_type is ExportType.session_notes:
            fields["session_ids"] = [self.signed, self.unsigned]
        else:
            fields["patient_id"] = self.patient
        if export_type is ExportType.progress_report:
            fields |= {"start_date": date(2025, 3, 1), "end_date": date(2025, 3, 31)}
        if signed_only is not None:
            fields["signed_only"] = signed_only
        return ExportRequest.model_validate(fields)


@pytest.fixture
async def clinic(db: None) -> Clinic:
    therapist = await make_user(Role.therapist, full_name="Dr. Jane Smith", license="LCSW 12345")
    actor = Actor(id=therapist, role=Role.therapist, full_name="Dr. Jane Smith", handle="jane")
    patient = await make_patient_of(therapist, full_name="Maria Okafor")
    heard = ExtractedNotes(
        key_topics=[MISHEARD_TOPIC],
        session_mood=MoodLevel.very_positive,
        action_items=[ActionItem(task=MISHEARD_HOMEWORK)],
        risk_flags=[
            RiskFlag(
                type=RiskType.self_harm, severity=Severity.high, evidence="I could hurt myself"
            )
        ],
    )
    signed = await processed(therapist, patient, 3, heard)
    note = await soap_note(signed)
    await edit_note(
        actor,
        note,
        {
            "subjective": {"presenting_issues": f"• {SIGNED_TOPIC}", "mood": "low, tearful"},
            "plan": {
                "homework": f"• {SIGNED_HOMEWORK}",
                "follow_up_topics": f"• {SIGNED_FOLLOW_UP}",
            },
            # The clinician reviewed the flagged words: a figure of speech, no intent.
            "assessment": {"risk_assessment": "Denies intent; figure of speech, reviewed."},
        },
        ORIGIN,
    )
    await sign_note(actor, note, ORIGIN)
    await amend_note(
        actor,
        note,
        {"plan": {"interventions": f"• {AMENDED_PLAN_WORDS}"}},
        "Added referral",
        ORIGIN,
    )
    unsigned = await processed(
        therapist, patient, 10, ExtractedNotes(key_topics=[DRAFT_TOPIC], session_mood="low")
    )
    return Clinic(actor, patient, signed, unsigned)


async def document_text(request: ExportRequest, requester: UUID) -> str:
    context = await gather_context(request, requester)
    if request.format is ExportFormat.pdf:
        return pdf_text(render_pdf(context))
    data = await render_document(context, request.format)
    if request.format is ExportFormat.docx:
        document = Document(io.BytesIO(data))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return " ".join(" ".join([*(p.text for p in document.paragraphs), *cells]).split())
    return data.decode("utf-8")


PAIRS = [(t, f) for t in ExportType for f in DOCUMENT_FORMATS]


@pytest.mark.parametrize(("export_type", "fmt"), PAIRS, ids=[f"{t}-{f}" for t, f in PAIRS])
async def test_every_document_carries_the_signed_words(
    clinic: Clinic, export_type: ExportType, fmt: ExportFormat
) -> None:
    text = await document_text(clinic.request(export_type, fmt), clinic.actor.id)
    assert SIGNED_HOMEWORK in text
    assert SIGNED_TOPIC in text
    assert MISHEARD_HOMEWORK not in text
    assert MISHEARD_TOPIC not in text
    assert "I could hurt myself" not in text  # the clinician reviewed it away
    if fmt in (ExportFormat.pdf, ExportFormat.docx):
        assert "signed by Dr. Jane Smith" in text
        assert "version 2" in text or "v2" in text
    assert SIGNED_FOLLOW_UP in text
    assert AMENDED_PLAN_WORDS in text  # the amendment, not the version it replaced


@pytest.mark.parametrize(("export_type", "fmt"), PAIRS, ids=[f"{t}-{f}" for t, f in PAIRS])
async def test_signed_only_documents_hold_no_draft(
    clinic: Clinic, export_type: ExportType, fmt: ExportFormat
) -> None:
    text = await document_text(clinic.request(export_type, fmt, signed_only=True), clinic.actor.id)
    assert DRAFT_TOPIC not in text
    assert "DRAFT" not in text
    assert '"status": "draft"' not in text
    if fmt in (ExportFormat.pdf, ExportFormat.docx):
        assert "1 session without a signed note left out" in text


@pytest.mark.parametrize("fmt", [ExportFormat.pdf, ExportFormat.docx])
async def test_drafts_are_marked_when_included(clinic: Clinic, fmt: ExportFormat) -> None:
    request = clinic.request(ExportType.progress_report, fmt, signed_only=False)
    text = await document_text(request, clinic.actor.id)
    assert DRAFT_TOPIC in text
    assert "DRAFT — not reviewed" in text


def test_third_party_documents_default_to_signed_content_only() -> None:
    patient = UUID(int=1)
    for export_type in (ExportType.progress_report, ExportType.treatment_summary):
        request = ExportRequest(
            export_type=export_type,
            patient_id=patient,
            start_date=date(2025, 1, 1),
            end_date=date(2025, 1, 2),
        )
        assert request.signed_only is True
    notes = ExportRequest(export_type=ExportType.session_notes, session_ids=[patient])
    assert notes.signed_only is False


async def test_json_carries_the_notes_with_versions_signers_and_amendments(
    clinic: Clinic,
) -> None:
    request = clinic.request(ExportType.progress_report, ExportFormat.json, signed_only=False)
    document = json.loads(await document_text(request, clinic.actor.id))
    signed, unsigned = document["sessions"]
    assert signed["documentation"]["source"] == "signed"
    assert signed["documentation"]["version"] == 2
    assert signed["documentation"]["signed_by"] == "Dr. Jane Smith"
    assert signed["documentation"]["record"]["homework"] == [SIGNED_HOMEWORK]
    assert signed["documentation"]["record"]["mood"] == "low"
    assert signed["documentation"]["record"]["risk_flags"] == []
    assert unsigned["documentation"]["source"] == "draft"
    notes = [(n["version"], n["status"], n["amendment_reason"]) for n in document["clinical_notes"]]
    assert notes == [(1, "amended", None), (2, "signed", "Added referral"), (1, "draft", None)]
    assert len(document["clinical_notes"][1]["content_sha256"]) == 64


async def test_csv_carries_the_note_used_for_each_session(clinic: Clinic) -> None:
    request = clinic.request(ExportType.session_notes, ExportFormat.csv)
    rows = list(csv.DictReader(io.StringIO(await document_text(request, clinic.actor.id))))
    signed, unsigned = rows
    assert (signed["documentation"], signed["note_template"], signed["note_version"]) == (
        "signed",
        "soap",
        "2",
    )
    assert signed["signed_by"] == "Dr. Jane Smith"
    assert signed["amendments"] == "v2: Added referral"
    assert len(signed["note_sha256"]) == 64
    assert AMENDED_PLAN_WORDS in signed["note_text"]
    assert unsigned["documentation"] == "draft"
    assert unsigned["signed_by"] == ""


async def test_an_unreviewed_draft_keeps_the_extractions_risk(db: None) -> None:
    therapist = await make_user(Role.therapist)
    patient = await make_patient_of(therapist)
    flag = RiskFlag(type=RiskType.self_harm, severity=Severity.high, evidence="I cut my arm")
    session = await processed(therapist, patient, 5, ExtractedNotes(risk_flags=[flag]))
    note = await soap_note(session)
    actor = Actor(id=therapist, role=Role.therapist, full_name="T", handle="t")
    # The clinician is still editing and has cleared the field; nobody has signed yet.
    await edit_note(actor, note, {"assessment": {"risk_assessment": ""}}, ORIGIN)
    request = ExportRequest(
        export_type=ExportType.session_notes, session_ids=[session], format=ExportFormat.json
    )
    document = json.loads(await document_text(request, therapist))
    [risk] = document["sessions"][0]["documentation"]["record"]["risk_flags"]
    assert risk["evidence"] == "I cut my arm"


async def test_custom_templates_see_the_signed_content_only(clinic: Clinic) -> None:
    request = clinic.request(ExportType.progress_report, ExportFormat.pdf)
    context = await gather_context(request, clinic.actor.id)
    template = (
        "<html><body>{% for s in sessions %}<p>{{ s.documentation.record.homework | join(', ') }}"
        " — {{ s.documentation.signed_by }}</p>{% endfor %}"
        "<p>{{ sessions[0].extracted_notes is defined }}</p></body></html>"
    )
    text = pdf_text(render_pdf(context, custom_template=template))
    assert f"{SIGNED_HOMEWORK} — Dr. Jane Smith" in text
    assert "False" in text  # the extraction is not in what a template can reach

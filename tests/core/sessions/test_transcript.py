"""Correcting a transcript: validated, re-rendered, audited, only by the session's therapist."""

from __future__ import annotations

import pytest

from core.access import Actor, load_actor
from core.audit import RequestOrigin
from core.enums import AuditAction, Relationship, Role, SessionStatus
from core.errors import Forbidden, NotFound
from core.extracted_notes import Speaker, TranscriptSegment
from core.sessions.records import transcript_fields
from core.sessions.transcript import (
    SegmentEdit,
    TranscriptError,
    edit_transcript,
    swap_speakers,
)
from core.tables import ExportAuditLog, TherapySession
from core.users import assign_patient
from tests.factories import make_patient_of, make_session, make_user

ORIGIN = RequestOrigin("127.0.0.1", "tests")
SEGMENTS = [
    TranscriptSegment(start=0, end=2, text="Hello.", speaker=Speaker.therapist),
    TranscriptSegment(start=2, end=5, text="Hi, I am tired.", speaker=Speaker.therapist),
]


async def actor(user_id: object) -> Actor:
    found = await load_actor(user_id)  # type: ignore[arg-type]
    assert found is not None
    return found


@pytest.fixture
async def held(db: None, queue: object) -> dict:
    therapist = await make_user(Role.therapist)
    patient = await make_patient_of(therapist)
    session = await make_session(
        therapist, patient, SessionStatus.processed, **transcript_fields(SEGMENTS)
    )
    return {"therapist": therapist, "patient": patient, "session": session, "queue": queue}


async def test_edit_rerenders_and_audits(held: dict) -> None:
    therapist = await actor(held["therapist"])
    edit = SegmentEdit(index=1, speaker=Speaker.patient, text=" Hi, I am very tired. ")
    segments = await edit_transcript(
        therapist, held["session"], [edit], ORIGIN, queue=held["queue"]
    )
    assert segments[1].speaker == Speaker.patient and segments[1].text == "Hi, I am very tired."
    row = await TherapySession.select(TherapySession.transcript_text).first()
    assert row["transcript_text"] == "T: Hello.\nP: Hi, I am very tired."
    audit_rows = await ExportAuditLog.select().output(load_json=True)
    assert [(r["action"], r["action_metadata"]) for r in audit_rows] == [
        (AuditAction.edited, {"segments": [1]})
    ]


async def test_a_correction_queues_a_new_analysis_of_its_revision(held: dict) -> None:
    therapist = await actor(held["therapist"])
    for text in ("Hi, I am very tired.", "Hi, I am exhausted."):
        edit = SegmentEdit(index=1, speaker=Speaker.patient, text=text)
        await edit_transcript(therapist, held["session"], [edit], ORIGIN, queue=held["queue"])
    row = await TherapySession.select(
        TherapySession.transcript_revision, TherapySession.analysed_revision
    ).first()
    assert (row["transcript_revision"], row["analysed_revision"]) == (2, 0)
    jobs = await held["queue"].queued_jobs()
    assert sorted(job.job_id for job in jobs) == [
        f"reanalyse_session:{held['session']}:1",
        f"reanalyse_session:{held['session']}:2",
    ]
    assert all(list(job.args) == [str(held["session"])] for job in jobs)  # an id, never words


async def test_an_unchanged_edit_is_not_audited(held: dict) -> None:
    therapist = await actor(held["therapist"])
    same = SegmentEdit(index=0, speaker=Speaker.therapist, text="Hello.")
    await edit_transcript(therapist, held["session"], [same], ORIGIN, queue=held["queue"])
    assert await ExportAuditLog.count() == 0


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (SegmentEdit(index=7, speaker=None, text="x"), "segment 8 does not exist"),
        (SegmentEdit(index=0, speaker=None, text="   "), "segment 1 needs some text"),
    ],
)
async def test_invalid_edits_are_refused(held: dict, edit: SegmentEdit, message: str) -> None:
    with pytest.raises(TranscriptError, match=message):
        await edit_transcript(
            await actor(held["therapist"]), held["session"], [edit], ORIGIN, queue=held["queue"]
        )


async def test_swap_speakers(held: dict) -> None:
    segments = await swap_speakers(
        await actor(held["therapist"]), held["session"], ORIGIN, queue=held["queue"]
    )
    assert [s.speaker for s in segments] == [Speaker.patient, Speaker.patient]


async def test_only_the_sessions_therapist_edits(held: dict) -> None:
    stranger = await actor(await make_user(Role.therapist))
    with pytest.raises(NotFound):
        await swap_speakers(stranger, held["session"], ORIGIN, queue=held["queue"])
    colleague_id = await make_user(Role.therapist)
    await assign_patient(colleague_id, held["patient"], Relationship.secondary)
    with pytest.raises(Forbidden):
        await swap_speakers(await actor(colleague_id), held["session"], ORIGIN, queue=held["queue"])


async def test_not_while_processing(db: None, queue: object) -> None:
    therapist = await make_user(Role.therapist)
    session = await make_session(
        therapist,
        await make_patient_of(therapist),
        SessionStatus.extracting_notes,
        **transcript_fields(SEGMENTS),
    )
    with pytest.raises(TranscriptError, match="once processing has finished"):
        await swap_speakers(await actor(therapist), session, ORIGIN, queue=queue)

"""Corrections flow forward: a corrected transcript is analysed again and its unsigned drafts
follow, keeping the clinician's edits (conflicts where the new text differs); signed notes stay.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from core.access import Actor, load_actor
from core.audit import RequestOrigin
from core.enums import NoteStatus, NoteTemplate, Role, SessionStatus
from core.events import EventPublisher
from core.extracted_notes import Speaker
from core.extraction.local import extract_notes
from core.extraction.transcript import parse_transcript
from core.notes.drafts import create_drafts
from core.notes.service import edit_note, get_note, sign_note, verify_note
from core.sessions.reanalysis import analysis_state, reanalyse_session
from core.sessions.records import notes_fields, transcript_fields
from core.sessions.transcript import SegmentEdit, edit_transcript
from core.settings import Settings
from core.tables import ClinicalNote, TherapySession
from tests.factories import make_patient_of, make_session, make_user
from tests.support import burst_worker, make_runtime

ORIGIN = RequestOrigin("127.0.0.1", "tests")
TRANSCRIPT = """T: How much are you drinking at the moment?
P: Most nights a bottle of wine, more when work is busy. My boss keeps piling on deadlines and I drink to switch off.
T: And sleep?
P: I sleep badly after drinking.
T: This week, try to write down each drink in a diary.
P: Okay, I will try that."""
MISHEARD = 1  # the segment the recording got wrong
CORRECTED = (
    "Most nights I gamble online, more when work is busy. My boss keeps piling on deadlines "
    "and I gamble on the casino app to switch off, then I bet again."
)
MY_COMPLAINT = "Drinking to cope with deadlines"


class Held:
    def __init__(self, actor: Actor, session: UUID, soap: UUID, dap: UUID) -> None:
        self.actor, self.session, self.soap, self.dap = actor, session, soap, dap


@pytest.fixture
async def held(db: None, queue: Any) -> Held:
    therapist = await make_user(Role.therapist)
    actor = await load_actor(therapist)
    assert actor is not None
    segments = parse_transcript(TRANSCRIPT)
    session = await make_session(
        therapist,
        await make_patient_of(therapist),
        SessionStatus.processed,
        **transcript_fields(segments),
        **notes_fields(extract_notes(segments)),
    )
    soap, dap = await create_drafts(session, [NoteTemplate.soap, NoteTemplate.dap])
    # The clinician has started on the SOAP draft and signed the DAP note.
    await edit_note(actor, soap, {"subjective": {"chief_complaint": MY_COMPLAINT}}, ORIGIN)
    await sign_note(actor, dap, ORIGIN)
    return Held(actor, session, soap, dap)


async def correct(held: Held, queue: Any, text: str = CORRECTED) -> None:
    edit = SegmentEdit(index=MISHEARD, speaker=Speaker.patient, text=text)
    await edit_transcript(held.actor, held.session, [edit], ORIGIN, queue=queue)


async def note(held: Held, note_id: UUID) -> dict[str, Any]:
    return await get_note(held.actor, note_id, ORIGIN)


async def test_a_correction_refreshes_the_draft_and_keeps_the_clinicians_edits(
    held: Held, queue: Any, settings: Settings, events: EventPublisher
) -> None:
    dap_before = await note(held, held.dap)
    await correct(held, queue)
    assert (await analysis_state(held.actor, held.session)).reanalysing

    assert await reanalyse_session(held.session, settings=settings, events=events)

    soap = await note(held, held.soap)
    subjective = soap["sections"]["subjective"]
    assert "gambling" in subjective["presenting_issues"]  # untouched: follows the transcript
    assert subjective["chief_complaint"] == MY_COMPLAINT  # edited: the clinician's words stay
    [conflict] = soap["metadata"]["conflicts"]
    assert (conflict["section"], conflict["field"]) == ("subjective", "chief_complaint")
    assert "gambling" in conflict["regenerated"]
    assert soap["status"] == NoteStatus.draft

    dap = await note(held, held.dap)  # signed: never regenerated
    assert dap["sections"] == dap_before["sections"]
    assert verify_note(dap)

    row = (
        await TherapySession.select(
            TherapySession.extracted_notes,
            TherapySession.transcript_revision,
            TherapySession.analysed_revision,
        )
        .output(load_json=True)
        .first()
    )
    assert "gambling" in row["extracted_notes"]["key_topics"]
    assert row["transcript_revision"] == row["analysed_revision"] == 1
    state = await analysis_state(held.actor, held.session)
    assert (state.reanalysing, state.corrected, state.conflicts) == (False, True, 1)


async def test_saving_the_field_settles_its_conflict(
    held: Held, queue: Any, settings: Settings, events: EventPublisher
) -> None:
    await correct(held, queue)
    await reanalyse_session(held.session, settings=settings, events=events)
    await edit_note(held.actor, held.soap, {"subjective": {"chief_complaint": "Gambling"}}, ORIGIN)
    assert (await note(held, held.soap))["metadata"]["conflicts"] == []


async def test_a_newer_correction_supersedes_an_older_analysis(
    held: Held, queue: Any, settings: Settings, events: EventPublisher, monkeypatch: Any
) -> None:
    await correct(held, queue)
    from core.sessions import reanalysis

    real = reanalysis.get_extractor

    class CorrectedMeanwhile:
        async def extract(self, segments: list) -> Any:
            await correct(held, queue, CORRECTED + " Also the horses.")  # arrives mid-analysis
            return await real(settings).extract(segments)

    monkeypatch.setattr(reanalysis, "get_extractor", lambda _settings: CorrectedMeanwhile())
    assert not await reanalyse_session(held.session, settings=settings, events=events)
    row = await TherapySession.select(TherapySession.analysed_revision).first()
    assert row["analysed_revision"] == 0  # nothing stored from the stale transcript


async def test_the_worker_runs_the_queued_analysis(
    held: Held, queue: Any, redis: Any, settings: Settings
) -> None:
    await correct(held, queue)
    worker = burst_worker(queue, make_runtime(settings, redis, queue), max_tries=1)
    # The job is deferred a few seconds so that a run of edits is analysed once: run it now.
    for job in await queue.queued_jobs(queue_name=settings.redis_queue_name):
        await queue.zadd(settings.redis_queue_name, {job.job_id: 1})  # arq skips score 0
    await worker.main()
    soap = (
        await ClinicalNote.select(ClinicalNote.sections)
        .where(ClinicalNote.id == held.soap)
        .output(load_json=True)
        .first()
    )
    assert "gambling" in soap["sections"]["subjective"]["presenting_issues"]

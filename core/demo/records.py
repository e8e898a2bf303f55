"""What the demo's therapists did after their sessions, through the services they would use:
reviewed and signed notes (and amended one), gave PHQ-9 and GAD-7, wrote treatment plans."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from core.access import Actor
from core.demo.model import Patient, Visit
from core.demo.origin import DEMO_ORIGIN
from core.enums import Instrument, NoteTemplate
from core.notes.service import amend_note, edit_note, list_notes, sign_note
from core.treatment.measures import record_measure
from core.treatment.plans import save_treatment_plan


async def review_notes(therapist: Actor, visit: Visit, session_id: UUID) -> None:
    """Sign the session's drafts as the visit's review says; without a review they wait.

    The review is written for the SOAP note; a clinic drafting other templates as well gets
    those signed as drafted.
    """
    if visit.review is None:
        return
    for note in await list_notes(therapist, session_id):
        soap = note["template"] == NoteTemplate.soap
        if soap:
            await edit_note(therapist, note["id"], visit.review.sections(), DEMO_ORIGIN)
        signed = await sign_note(therapist, note["id"], DEMO_ORIGIN)
        if soap and visit.amendment is not None:
            amendment = visit.amendment
            await amend_note(
                therapist, signed["id"], amendment.sections, amendment.reason, DEMO_ORIGIN
            )


async def record_measures(
    therapist: Actor, patient_id: UUID, visit: Visit, session_id: UUID
) -> None:
    for instrument, items in ((Instrument.phq9, visit.phq9), (Instrument.gad7, visit.gad7)):
        if items:
            await record_measure(
                therapist, patient_id, instrument, list(items), session_id, DEMO_ORIGIN
            )


async def write_plan(therapist: Actor, patient: Patient, patient_id: UUID, started: date) -> None:
    if patient.plan is not None:
        plan = patient.plan.model_copy(update={"started_on": started})
        await save_treatment_plan(therapist, patient_id, plan, DEMO_ORIGIN)

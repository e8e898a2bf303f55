"""Reading the patients a therapist may reach: the list (searchable) and one patient's card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from piccolo.custom_types import Combinable
from piccolo.query import Select

from core import audit
from core.access import Actor, patient_ids_of, require_patient
from core.audit import RequestOrigin
from core.enums import AuditAction, Role
from core.tables import BreakGlassGrant, TherapistPatient, TherapySession, User
from core.treatment.goals import goal_progress
from core.treatment.measures import measure_series

PATIENT_FIELDS = (User.id, User.full_name, User.dob, User.email, User.phone, User.handle)


def reachable_patient_ids(actor: Actor) -> Select[Any]:
    """A sub-select of the ids of every patient the actor may reach (see core.access)."""
    if actor.role == Role.admin:
        return BreakGlassGrant.select(BreakGlassGrant.patient_id).where(
            (BreakGlassGrant.admin_id == actor.id)
            & (BreakGlassGrant.expires_at > datetime.now(UTC))
        )
    therapist_id = actor.id if actor.role == Role.therapist else UUID(int=0)
    return TherapistPatient.select(TherapistPatient.patient_id).where(
        TherapistPatient.therapist_id == therapist_id
    )


def _contains(term: str) -> str:
    """An ILIKE pattern matching `term` anywhere, its own % and _ taken literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def list_patients(
    actor: Actor, *, search: str = "", page: int = 1, per_page: int = 25
) -> tuple[list[dict[str, Any]], int]:
    """The actor's patients by name, with their session count and latest session date."""
    where: Combinable = User.id.is_in(reachable_patient_ids(actor))
    if term := search.strip():
        where &= User.full_name.ilike(_contains(term))
    total = await User.count().where(where)
    rows = (
        await User.select(User.id, User.full_name, User.dob)
        .where(where)
        .order_by(User.full_name)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    if rows:
        stats = await TherapySession.raw(
            "SELECT patient_id, count(*) AS sessions, max(session_date) AS last_session "
            "FROM therapy_sessions WHERE patient_id = ANY({}) GROUP BY patient_id",
            [row["id"] for row in rows],
        )
        by_patient = {row["patient_id"]: row for row in stats}
        for row in rows:
            found = by_patient.get(row["id"], {})
            row["sessions"] = found.get("sessions", 0)
            row["last_session"] = found.get("last_session")
    return rows, total


async def patient_card(actor: Actor, patient_id: UUID) -> dict[str, Any]:
    """Who the patient is (name, date of birth, contact), if the actor may reach them."""
    await require_patient(actor, patient_id)
    row = await User.select(*PATIENT_FIELDS).where(User.id == patient_id).first()
    assert row is not None  # reachable patients exist: the link row references them
    return row


async def patient_record(actor: Actor, patient_id: UUID) -> dict[str, Any]:
    """The patient's card, goals with progress and questionnaire totals. Showing it is a
    view to record with `record_patient_view`."""
    return {
        "patient": await patient_card(actor, patient_id),
        "goals": await goal_progress(patient_id),
        "measures": await measure_series(patient_id),
    }


async def record_patient_view(actor: Actor, patient_id: UUID, origin: RequestOrigin) -> None:
    """One audited view of the patient's record, if the actor may reach the patient."""
    await require_patient(actor, patient_id)
    await audit.record(
        AuditAction.viewed,
        user_id=actor.id,
        patient_id=patient_id,
        origin=origin,
        resource_type="patient",
        resource_id=patient_id,
        metadata={"parts": ["card", "goals", "measures"]},
    )


async def care_team(patient_id: UUID) -> list[UUID]:
    """The therapists assigned to the patient (primary and secondary)."""
    rows = await TherapistPatient.select(TherapistPatient.therapist_id).where(
        TherapistPatient.patient_id == patient_id
    )
    return [row["therapist_id"] for row in rows]


async def patient_choices(actor: Actor) -> list[dict[str, Any]]:
    """Id and name of every reachable patient, by name (for pickers)."""
    return (
        await User.select(User.id, User.full_name)
        .where(User.id.is_in(reachable_patient_ids(actor)))
        .order_by(User.full_name)
    )


async def patient_names(actor: Actor, patient_ids: list[UUID]) -> dict[UUID, str]:
    """The names of those of `patient_ids` the actor may reach."""
    if not patient_ids:
        return {}
    rows = await User.select(User.id, User.full_name).where(
        User.id.is_in(patient_ids) & User.id.is_in(reachable_patient_ids(actor))
    )
    return {row["id"]: row["full_name"] for row in rows}


@dataclass(frozen=True)
class PatientRef:
    """How Slack names a patient: by handle, and by name where the PHI level allows."""

    id: UUID
    handle: str
    full_name: str


async def own_patients(actor: Actor) -> list[PatientRef]:
    """Every patient the actor may reach, by handle."""
    ids = await patient_ids_of(actor)
    if not ids:
        return []
    rows = (
        await User.select(User.id, User.handle, User.full_name)
        .where(User.id.is_in(ids))
        .order_by(User.handle)
    )
    return [PatientRef(row["id"], row["handle"], row["full_name"]) for row in rows]


async def patients_by_id(ids: set[UUID]) -> dict[UUID, PatientRef]:
    """Patients the caller has already reached through an authorised row (a job, a session)."""
    if not ids:
        return {}
    rows = await User.select(User.id, User.handle, User.full_name).where(User.id.is_in(list(ids)))
    return {row["id"]: PatientRef(row["id"], row["handle"], row["full_name"]) for row in rows}

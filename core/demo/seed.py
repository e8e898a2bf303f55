"""Seeding the demo clinic on first start (`tb dev`, `tb seed-demo`); idempotent.

Everything goes through the runtime the product uses: sessions through the session pipeline
(extraction, note drafts, goal readings), then the therapists' own work — notes reviewed and
signed, one amended, questionnaires, treatment plans, exports. The clinic, exports included, is
written in one transaction: a failed seeding leaves nothing, and the next start tries again.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from core.access import Actor
from core.demo.clinic import EXPORTS, PATIENTS, THERAPISTS
from core.demo.exports import request_demo_export
from core.demo.model import Patient, Therapist
from core.demo.records import record_measures, review_notes, write_plan
from core.demo.sessions import DemoClock, process_visit
from core.enums import Role
from core.infra.runtime import Runtime
from core.tables import User
from core.users import NewUser, assign_patient, create_user

DEMO_PASSWORD = "demo-password"  # noqa: S105 - printed at start-up, dev data only
ADMIN_EMAIL = "admin@clinic.example"


def sign_ins() -> list[tuple[str, str]]:
    """(role, email) of the demo's accounts that sign in."""
    return [("admin", ADMIN_EMAIL)] + [("therapist", t.email) for t in THERAPISTS]


async def seed_demo(runtime: Runtime, today: date | None = None) -> list[tuple[str, str]]:
    """Create the demo clinic unless it exists; return (role, email) of the sign-ins.

    Sessions are dated back from `today` (default: today in the clinic's time zone).
    """
    if await User.exists().where(User.email == ADMIN_EMAIL):
        return sign_ins()
    now = datetime.now(UTC)
    zone = ZoneInfo(runtime.settings.clinic_timezone)
    clock = DemoClock(today or now.astimezone(zone).date(), zone, now)
    async with User._meta.db.transaction():
        await create_user(
            NewUser(Role.admin, "Clinic Administrator", ADMIN_EMAIL, "admin", DEMO_PASSWORD)
        )
        therapists = {t.handle: await _create_therapist(t) for t in THERAPISTS}
        patients: dict[str, UUID] = {}
        for patient in PATIENTS:
            therapist = therapists[patient.therapist.handle]
            patients[patient.handle] = await _seed_patient(runtime, clock, patient, therapist)
        for export in EXPORTS:
            await request_demo_export(
                runtime,
                export,
                therapists[export.therapist.handle],
                patients[export.patient.handle],
                clock.today,
            )
    return sign_ins()


async def _create_therapist(therapist: Therapist) -> Actor:
    new = NewUser(
        Role.therapist,
        therapist.full_name,
        therapist.email,
        therapist.handle,
        DEMO_PASSWORD,
        license=therapist.license,
    )
    return Actor(await create_user(new), Role.therapist, therapist.full_name, therapist.handle)


async def _seed_patient(
    runtime: Runtime, clock: DemoClock, patient: Patient, therapist: Actor
) -> UUID:
    patient_id = await create_user(
        NewUser(
            Role.patient,
            patient.full_name,
            f"{patient.handle}@patients.example",
            patient.handle,
            dob=patient.dob,
        )
    )
    await assign_patient(therapist.id, patient_id)
    # Oldest first, as they were held: a goal's first reading is its baseline.
    sessions = [
        (
            visit,
            await process_visit(
                runtime, patient, patient_id, therapist.id, visit, clock.start(patient, visit)
            ),
        )
        for visit in patient.visits
    ]
    for visit, session_id in sessions:
        await review_notes(therapist, visit, session_id)
        await record_measures(therapist, patient_id, visit, session_id)
    started = clock.today - timedelta(days=patient.first_day_ago)
    await write_plan(therapist, patient, patient_id, started)
    return patient_id

"""The demo clinic `tb dev` seeds on first start: real AnnoMI conversations as sessions.

Sessions go through the real local extractor, so what the dashboard and the documents show is
what the product would produce for these conversations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from core.annomi import load_conversations
from core.enums import Role
from core.sessions.records import processed_fields
from core.tables import TherapySession, User
from core.users import NewUser, assign_patient, create_user

DEMO_PASSWORD = "demo-password"  # noqa: S105 - printed at start-up, dev data only
ADMIN_EMAIL = "admin@clinic.example"


@dataclass(frozen=True)
class DemoPatient:
    full_name: str
    handle: str
    dob: date
    conversations: tuple[int, ...]  # AnnoMI transcript ids, one session each


THERAPISTS = (
    ("Dr. Maya Rivera", "maya.rivera", "LCSW 48213"),
    ("Dr. Daniel Okafor", "daniel.okafor", "PsyD 77102"),
)

PATIENTS = (
    (DemoPatient("Jordan Ellis", "jordan.ellis", date(1986, 4, 12), (21, 34, 38, 96)),),
    (DemoPatient("Priya Natarajan", "priya.natarajan", date(1992, 9, 3), (28, 39, 60, 91)),),
    (DemoPatient("Samuel Brooks", "samuel.brooks", date(1975, 1, 27), (56, 58, 35, 124)),),
    (DemoPatient("Alex Moreno", "alex.moreno", date(1999, 6, 30), (55, 63, 89, 64)),),
    (DemoPatient("Grace Whitfield", "grace.whitfield", date(1968, 11, 8), (83, 85, 61, 31)),),
    (DemoPatient("Leo Kowalski", "leo.kowalski", date(2001, 2, 14), (23, 95, 107, 18)),),
)


async def seed_demo(today: date | None = None) -> list[tuple[str, str]]:
    """Create the demo clinic unless it exists; return (role, email) of the sign-ins."""
    logins = [("admin", ADMIN_EMAIL)] + [
        ("therapist", f"{handle}@clinic.example") for _, handle, _ in THERAPISTS
    ]
    if await User.exists().where(User.email == ADMIN_EMAIL):
        return logins
    from core.extraction.local import LocalExtractor

    extractor = LocalExtractor()
    conversations = load_conversations()
    today = today or datetime.now(UTC).date()
    async with User._meta.db.transaction():
        await create_user(
            NewUser(Role.admin, "Clinic Administrator", ADMIN_EMAIL, "admin", DEMO_PASSWORD)
        )
        therapist_ids = []
        for full_name, handle, license_ in THERAPISTS:
            therapist_ids.append(
                await create_user(
                    NewUser(
                        Role.therapist,
                        full_name,
                        f"{handle}@clinic.example",
                        handle,
                        DEMO_PASSWORD,
                        license=license_,
                    )
                )
            )
        for index, (patient,) in enumerate(PATIENTS):
            therapist_id = therapist_ids[index % len(therapist_ids)]
            patient_id = await create_user(
                NewUser(
                    Role.patient,
                    patient.full_name,
                    f"{patient.handle}@patients.example",
                    patient.handle,
                    dob=patient.dob,
                )
            )
            await assign_patient(therapist_id, patient_id)
            weeks = len(patient.conversations)
            for number, transcript_id in enumerate(patient.conversations):
                conversation = conversations[transcript_id]
                segments = list(conversation.segments)
                notes = await extractor.extract(segments)
                day = today - timedelta(weeks=weeks - number, days=index)
                await TherapySession.insert(
                    TherapySession(
                        patient_id=patient_id,
                        therapist_id=therapist_id,
                        session_date=datetime.combine(day, time(10 + index, 0), UTC),
                        duration_seconds=conversation.duration_seconds,
                        language="en",
                        **processed_fields(segments, notes),
                    )
                )
    return logins

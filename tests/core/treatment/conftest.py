from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import pytest

from core.access import Actor, load_actor
from core.audit import RequestOrigin
from core.enums import Role, SessionStatus
from core.extracted_notes import ExtractedGoal, ExtractedNotes
from tests.factories import make_patient_of, make_session, make_user

ORIGIN = RequestOrigin("198.51.100.7", "pytest")


async def make_actor(role: Role = Role.therapist) -> Actor:
    actor = await load_actor(await make_user(role))
    assert actor is not None
    return actor


@dataclass(frozen=True)
class Clinic:
    therapist: Actor
    patient: UUID

    async def session_on(self, day: str, goals: list[ExtractedGoal] | None = None) -> UUID:
        """A processed session on an ISO day, its notes mentioning `goals`."""
        notes = ExtractedNotes(treatment_goals=goals or [])
        return await make_session(
            self.therapist.id,
            self.patient,
            SessionStatus.processed,
            session_date=datetime.fromisoformat(day).replace(hour=15, tzinfo=UTC),
            extracted_notes=notes.model_dump(mode="json"),
        )


@pytest.fixture
async def clinic(db: None) -> Clinic:
    therapist = await make_actor()
    return Clinic(therapist, await make_patient_of(therapist.id))

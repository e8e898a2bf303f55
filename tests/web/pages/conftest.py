"""A small clinic, and a browser-like client that signs in through the real sign-in form."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import httpx
import pytest

from core.enums import NoteTemplate, Role, SessionStatus
from core.extracted_notes import (
    ExtractedNotes,
    MoodLevel,
    RiskFlag,
    RiskType,
    Severity,
    Speaker,
    TranscriptSegment,
)
from core.notes.drafts import create_drafts
from core.sessions.records import processed_fields
from core.tables import TherapySession
from tests.factories import PASSWORD, make_patient_of, make_session, make_user

HX = {"HX-Request": "true"}
CSRF_COOKIE = "tb_csrf"

SEGMENTS = [
    TranscriptSegment(start=0.0, end=3.0, text="How has the week been?", speaker=Speaker.therapist),
    TranscriptSegment(
        start=3.5, end=9.0, text="Hard. I slept badly again.", speaker=Speaker.patient
    ),
    TranscriptSegment(
        start=9.5, end=14.0, text="Sometimes I wish I could disappear.", speaker=Speaker.patient
    ),
]
NOTES = ExtractedNotes(
    key_topics=["sleep", "low mood"],
    topic_summary="Discussed poor sleep and low mood.",
    session_mood=MoodLevel.low,
    risk_flags=[
        RiskFlag(
            type=RiskType.suicidal_ideation_passive,
            severity=Severity.medium,
            evidence="Sometimes I wish I could disappear.",
            segment_index=2,
        )
    ],
    therapist_notes="Low mood with passive ideation; safety plan reviewed.",
)


@dataclass(frozen=True)
class Clinic:
    therapist: UUID
    therapist_email: str
    other: UUID
    other_email: str
    patient: UUID
    other_patient: UUID
    session: UUID
    other_session: UUID


async def processed_session(therapist: UUID, patient: UUID) -> UUID:
    session_id = await make_session(therapist, patient, SessionStatus.uploading)
    fields = processed_fields(SEGMENTS, NOTES)
    await TherapySession.update(
        {getattr(TherapySession, name): value for name, value in fields.items()}
    ).where(TherapySession.id == session_id)
    await create_drafts(session_id, [NoteTemplate.soap])
    return session_id


@pytest.fixture
async def clinic(db: None) -> Clinic:
    therapist = await make_user(Role.therapist, full_name="Dana Reyes", email="dana@clinic.test")
    other = await make_user(Role.therapist, full_name="Omar Idris", email="omar@clinic.test")
    patient = await make_patient_of(therapist, full_name="Jordan Ellis")
    other_patient = await make_patient_of(other, full_name="Kim Novak")
    return Clinic(
        therapist=therapist,
        therapist_email="dana@clinic.test",
        other=other,
        other_email="omar@clinic.test",
        patient=patient,
        other_patient=other_patient,
        session=await processed_session(therapist, patient),
        other_session=await processed_session(other, other_patient),
    )


def csrf(client: httpx.AsyncClient) -> dict[str, str]:
    return {"X-CSRFToken": client.cookies[CSRF_COOKIE]}


async def sign_in(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD, next_page: str = "/"
) -> httpx.Response:
    await client.get("/sign-in")  # sets the CSRF cookie, as a browser opening the form would
    return await client.post(
        "/sign-in",
        data={
            "email": email,
            "password": password,
            "next": next_page,
            "_csrf_token": client.cookies[CSRF_COOKIE],
        },
    )


@pytest.fixture
async def therapist_client(client: httpx.AsyncClient, clinic: Clinic) -> httpx.AsyncClient:
    response = await sign_in(client, clinic.therapist_email)
    assert response.status_code == 303, response.text
    return client

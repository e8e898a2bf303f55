"""`/tb note TEMPLATE @patient [last | YYYY-MM-DD]`: a note drafted (or found) from Slack, and
a link to it — never its content."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import UUID

import httpx
import pytest

from core.enums import AuditAction, NoteTemplate, Relationship, Role, SessionStatus
from core.extracted_notes import ExtractedNotes, MoodLevel
from core.notes.drafts import create_drafts
from core.settings import Settings
from core.tables import ClinicalNote, ExportAuditLog, User
from core.users import assign_patient
from tests.bot.conftest import command_body, post_signed
from tests.bot.test_slash_commands import run
from tests.factories import make_session, make_user
from tests.fakes.slack_server import FakeSlack
from web.app import create_app
from web.state import serve_runtime

NOTES = ExtractedNotes(
    key_topics=["sleep", "work stress"],
    topic_summary="Talked about sleeping badly before deadlines.",
    session_mood=MoodLevel.low,
)
LINK = "https://tb.example.org/sessions/{}/notes?template={}"


async def river() -> UUID:
    row = await User.select(User.id).where(User.handle == "river").first()
    return row["id"]


async def processed(therapist: UUID, patient: UUID, day: datetime | None = None) -> UUID:
    return await make_session(
        therapist,
        patient,
        SessionStatus.processed,
        session_date=day or datetime.now(UTC),
        extracted_notes=NOTES.model_dump(mode="json"),
    )


async def notes_of(session: UUID) -> list[str]:
    rows = await ClinicalNote.select(ClinicalNote.template).where(
        ClinicalNote.session_id == session
    )
    return sorted(row["template"] for row in rows)


async def test_a_note_is_drafted_for_the_last_session_and_linked(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID
) -> None:
    patient = await river()
    older = await processed(therapist, patient, datetime(2025, 3, 4, 10, tzinfo=UTC))
    last = await processed(therapist, patient, datetime(2025, 3, 11, 10, tzinfo=UTC))
    await make_session(therapist, patient, SessionStatus.transcribing)  # not processed yet

    reply = await run(http, fake_slack, "note dap @river last")
    assert reply.params["response_type"] == "ephemeral"
    assert "Drafted a DAP note for the session with @river on 2025-03-11" in reply.params["text"]
    assert LINK.format(last, "dap") in reply.params["text"]
    assert await notes_of(last) == ["dap"] and await notes_of(older) == []
    asked = await ExportAuditLog.select(ExportAuditLog.user_id, ExportAuditLog.user_agent).where(
        (ExportAuditLog.action == AuditAction.created) & ExportAuditLog.user_id.is_not_null()
    )
    assert asked == [{"user_id": therapist, "user_agent": f"slack:{FakeSlack.TEAM_ID}/U0THERAPIST"}]

    again = await run(http, fake_slack, "note dap @river")
    assert (
        "The session with @river on 2025-03-11 already has a DAP note "
        "(a draft waiting for review)" in again.params["text"]
    )
    assert LINK.format(last, "dap") in again.params["text"]
    assert await notes_of(last) == ["dap"]

    on_the_day = await run(http, fake_slack, "note progress @river 2025-03-04")
    assert "Drafted a progress note for the session with @river on 2025-03-04" in on_the_day.text
    assert LINK.format(older, "progress") in on_the_day.text
    assert await notes_of(older) == ["progress"]


async def test_an_existing_signed_note_is_found_not_redrafted(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID
) -> None:
    session = await processed(therapist, await river())
    [soap] = await create_drafts(session, [NoteTemplate.soap])
    await ClinicalNote.update({ClinicalNote.status: "signed"}).where(ClinicalNote.id == soap)
    reply = await run(http, fake_slack, "note soap @river")
    assert "already has a SOAP note (signed)" in reply.params["text"]
    assert await notes_of(session) == ["soap"]


async def test_what_cannot_be_drafted_is_said_and_nothing_changes(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID
) -> None:
    patient = await river()
    nothing = await run(http, fake_slack, "note soap @river")
    assert nothing.params["text"] == "You have no processed session with @river yet."
    await make_session(therapist, patient, SessionStatus.extracting_notes)
    still = await run(http, fake_slack, "note soap @river last")  # not the same body: no replay
    assert still.params["text"] == "You have no processed session with @river yet."
    await processed(therapist, patient, datetime(2025, 3, 11, 10, tzinfo=UTC))
    wrong_day = await run(http, fake_slack, "note soap @river 2025-03-12")
    assert wrong_day.params["text"] == "You have no processed session with @river on 2025-03-12."

    unknown = await run(http, fake_slack, "note soap @sky")
    assert unknown.params["text"] == "None of your patients has the handle `@sky`."
    suggestion = await run(http, fake_slack, "note soap @rivr")
    assert suggestion.params["blocks"][1]["elements"][0]["value"] == "note soap @river last"
    assert await ClinicalNote.count() == 0


async def test_an_unknown_template_is_answered_in_the_ack(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID
) -> None:
    await processed(therapist, await river())
    body = command_body("note narrative @river", fake_slack.response_url())
    response = await post_signed(http, body)
    assert response.status_code == 200
    assert response.json()["text"] == (
        "`narrative` is not a note template; use one of `soap`, `dap`, `birp`, `progress`."
    )
    assert await ClinicalNote.count() == 0


async def test_a_colleagues_session_is_not_drafted(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID
) -> None:
    """Only the therapist who held a session drafts its notes: a co-therapist's sessions are
    not theirs to pick."""
    patient = await river()
    colleague = await make_user(Role.therapist)
    await assign_patient(colleague, patient, Relationship.secondary)
    theirs = await processed(colleague, patient)
    reply = await run(http, fake_slack, "note soap @river")
    assert reply.params["text"] == "You have no processed session with @river yet."
    assert await notes_of(theirs) == []


async def test_several_sessions_on_the_day_are_offered_as_links(
    http: httpx.AsyncClient, fake_slack: FakeSlack, therapist: UUID
) -> None:
    patient = await river()
    morning = await processed(therapist, patient, datetime(2025, 3, 4, 9, tzinfo=UTC))
    evening = await processed(therapist, patient, datetime(2025, 3, 4, 18, tzinfo=UTC))
    reply = await run(http, fake_slack, "note birp @river 2025-03-04")
    assert "You had 2 processed sessions with @river on 2025-03-04" in reply.text
    assert LINK.format(morning, "birp") in reply.text and LINK.format(evening, "birp") in reply.text
    assert await ClinicalNote.count() == 0


@pytest.fixture
async def http_at_level(
    request: pytest.FixtureRequest, db: None, redis: object, slack_settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    application = create_app(slack_settings.model_copy(update={"slack_phi_level": request.param}))
    async with serve_runtime(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


@pytest.mark.parametrize(
    ("http_at_level", "named", "unnamed"),
    [
        ("none", "one of your patients", ["river", "River Song"]),
        ("minimal", "@river", ["River Song"]),
        ("full", "River Song (@river)", []),
    ],
    indirect=["http_at_level"],
)
async def test_the_reply_names_the_patient_as_the_phi_level_allows(
    http_at_level: httpx.AsyncClient,
    fake_slack: FakeSlack,
    therapist: UUID,
    named: str,
    unnamed: list[str],
) -> None:
    session = await processed(therapist, await river())
    reply = await run(http_at_level, fake_slack, "note soap @river")
    assert f"for the session with {named} on" in reply.text
    assert [word for word in unnamed if word in reply.text] == []
    assert LINK.format(session, "soap") in reply.text
    # The note's content stays in TherapyBridge.
    assert "sleeping badly" not in reply.text and "Subjective" not in reply.text

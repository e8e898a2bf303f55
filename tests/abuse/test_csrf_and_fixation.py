"""Cross-site requests and session fixation against the dashboard.

Every state-changing route of the app is found by walking its routes, so a route added later
is covered without being listed here.
"""

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from arq.connections import ArqRedis
from litestar import Litestar
from litestar.routes import HTTPRoute

from core.tables import ClinicalNote
from core.tokens import issue_token
from tests.abuse.state import system_state
from tests.web.pages.conftest import CSRF_COOKIE, Clinic, clinic, sign_in
from web.auth import SAFE_METHODS
from web.session import SESSION_COOKIE, load_session

__all__ = ["clinic"]  # the dashboard tests' clinic: two therapists, a patient and session each

FORM = {"name": "forged", "text": "forged", "reason": "forged", "instrument": "phq9"}


def write_routes(app: Litestar, *, api: bool) -> list[tuple[str, str]]:
    """(method, path template) of every state-changing route, the API's or the dashboard's."""
    routes = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith("/slack/"):
            continue
        if route.path.startswith("/api/") == api:
            routes += [(method, route.path) for method in sorted(route.methods - SAFE_METHODS)]
    return routes


@pytest.fixture
async def real_ids(clinic: Clinic) -> dict[str, object]:
    """The clinic's own ids: were a forged request let through, it would really sign the note,
    revoke the token, record the measure."""
    note = (
        await ClinicalNote.select(ClinicalNote.id)
        .where(ClinicalNote.session_id == clinic.session)
        .first()
    )
    return {
        "note_id": note["id"],
        "session_id": clinic.session,
        "patient_id": clinic.patient,
        "token_id": (await issue_token(clinic.therapist, "kept")).id,
        "user_id": clinic.other,
        "index": 0,
    }


def real_path(template: str, ids: dict[str, object]) -> str:
    """`/notes/{note_id:uuid}/sign` → `/notes/<the note's id>/sign`."""
    unknown = "00000000-0000-4000-8000-000000000000"
    return re.sub(r"\{(\w+):\w+\}", lambda m: str(ids.get(m[1], unknown)), template)


@pytest.fixture
async def attacker(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """A second browser, on the same server."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as browser:
        yield browser


async def test_every_dashboard_write_needs_the_csrf_token(
    app: Litestar,
    client: httpx.AsyncClient,
    attacker: httpx.AsyncClient,
    queue: ArqRedis,
    clinic: Clinic,
    real_ids: dict[str, object],
) -> None:
    assert (await sign_in(client, clinic.therapist_email)).status_code == 303
    await attacker.get("/sign-in")
    someone_elses_token = attacker.cookies[CSRF_COOKIE]  # valid, but not this browser's
    routes = write_routes(app, api=False)
    assert len(routes) >= 15
    paths = [(method, real_path(template, real_ids)) for method, template in routes]
    before = await system_state(queue)

    answers = {}
    for method, path in paths:
        for label, token in (("no token", {}), ("another's token", someone_elses_token)):
            data = {**FORM, "_csrf_token": token} if token else FORM
            headers = {"X-CSRFToken": token} if token else {}
            response = await client.request(method, path, data=data, headers=headers)
            answers[f"{method} {path} ({label})"] = response.status_code

    assert {call: status for call, status in answers.items() if status != 403} == {}
    assert await system_state(queue) == before
    assert (await client.get("/")).status_code == 200  # not even signed out


async def test_the_dashboard_session_cannot_write_through_the_api(
    app: Litestar,
    client: httpx.AsyncClient,
    queue: ArqRedis,
    clinic: Clinic,
    real_ids: dict[str, object],
) -> None:
    """The API is outside CSRF protection because the session cookie cannot write there."""
    assert (await sign_in(client, clinic.therapist_email)).status_code == 303
    paths = [
        (method, real_path(template, real_ids)) for method, template in write_routes(app, api=True)
    ]
    assert len(paths) >= 15
    before = await system_state(queue)
    query = {"patient_id": str(clinic.patient)}  # the upload's, so it gets as far as asking who
    answers = {
        f"{method} {path}": (await client.request(method, path, params=query, json={})).status_code
        for method, path in paths
    }
    assert {call: status for call, status in answers.items() if status != 401} == {}
    assert await system_state(queue) == before


async def test_a_planted_session_id_is_never_signed_in(
    app: Litestar, client: httpx.AsyncClient, attacker: httpx.AsyncClient, clinic: Clinic
) -> None:
    """The attacker signs in, plants their own (valid) session id in the victim's browser, and
    waits for the victim to sign in on it."""
    assert (await sign_in(attacker, clinic.other_email)).status_code == 303
    planted = attacker.cookies[SESSION_COOKIE]
    client.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")

    assert (await sign_in(client, clinic.therapist_email)).status_code == 303
    issued = client.cookies[SESSION_COOKIE]
    assert issued != planted
    assert await load_session(app, planted) is None  # the planted session is gone
    victims_page = await client.get("/patients")
    assert victims_page.status_code == 200 and "Jordan Ellis" in victims_page.text

    through_planted = await attacker.get("/patients")
    assert through_planted.status_code == 303  # sent to sign in again
    assert "Jordan Ellis" not in through_planted.text

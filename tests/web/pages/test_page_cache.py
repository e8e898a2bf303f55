"""The page cache: a page is rendered again once the user's data changed, never served to
another browser, never kept for an admin, and rendered once for many requests at a time."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import httpx
from litestar import Litestar

from core.enums import NoteStatus, Relationship, Role
from core.events import EventPublisher
from core.tables import ClinicalNote, TherapySession, User
from core.users import assign_patient
from tests.factories import make_user
from tests.web.test_api_exports import bearer

from .conftest import HX, Clinic, csrf, sign_in

UNSIGNED = "SOAP note · Jordan Ellis"


async def _mark_signed_behind_the_apps_back(clinic: Clinic) -> None:
    await ClinicalNote.update({ClinicalNote.status: NoteStatus.signed}).where(
        ClinicalNote.session_id == clinic.session
    )


async def test_an_event_for_the_user_renders_the_page_afresh(
    therapist_client: httpx.AsyncClient, clinic: Clinic, events: EventPublisher
) -> None:
    assert UNSIGNED in (await therapist_client.get("/home/notes", headers=HX)).text
    await _mark_signed_behind_the_apps_back(clinic)
    # No event and no write through the app: the page rendered a moment ago still stands.
    assert UNSIGNED in (await therapist_client.get("/home/notes", headers=HX)).text
    await events.publish("session.status", user_id=clinic.therapist, status="processed")
    assert UNSIGNED not in (await therapist_client.get("/home/notes", headers=HX)).text


async def test_the_users_own_write_renders_their_next_page_afresh(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    assert "Jordan Ellis" in (await therapist_client.get("/home/today", headers=HX)).text
    await TherapySession.update(
        {TherapySession.session_date: datetime(2001, 1, 1, tzinfo=UTC)}
    ).where(TherapySession.id == clinic.session)
    token = await therapist_client.post(
        "/settings/tokens", data={"name": "laptop"}, headers={**HX, **csrf(therapist_client)}
    )
    assert token.status_code in (200, 201), token.text
    assert "Jordan Ellis" not in (await therapist_client.get("/home/today", headers=HX)).text


async def test_pages_expire_after_their_max_age(
    app: Litestar, therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    app.state.page_cache._max_age = 0.0
    assert UNSIGNED in (await therapist_client.get("/home/notes", headers=HX)).text
    await _mark_signed_behind_the_apps_back(clinic)
    assert UNSIGNED not in (await therapist_client.get("/home/notes", headers=HX)).text


async def test_another_browser_of_the_same_user_gets_its_own_page(
    app: Litestar, therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    first = await therapist_client.get("/")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as second:
        await sign_in(second, clinic.therapist_email)
        page = await second.get("/")
    assert page.status_code == 200
    assert second.cookies["tb_csrf"] != therapist_client.cookies["tb_csrf"]
    assert second.cookies["tb_csrf"] in page.text
    assert therapist_client.cookies["tb_csrf"] not in page.text
    assert therapist_client.cookies["tb_csrf"] in first.text


async def test_deactivating_an_account_ends_its_open_sessions_at_once(
    client: httpx.AsyncClient, therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    assert (await therapist_client.get("/")).status_code == 200
    admin = await bearer(await make_user(Role.admin))
    deactivated = await client.post(
        f"/api/v1/admin/users/{clinic.therapist}/deactivate", headers=admin
    )
    assert deactivated.status_code == 200, deactivated.text
    response = await therapist_client.get("/", follow_redirects=False)
    assert response.status_code == 303 and "/sign-in" in response.headers["location"]


async def test_an_account_deactivated_around_the_app_is_out_after_the_max_age(
    app: Litestar, therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    assert (await therapist_client.get("/")).status_code == 200
    await User.update({User.active: False}).where(User.id == clinic.therapist)
    app.state.page_cache._max_age = 0.0
    response = await therapist_client.get("/", follow_redirects=False)
    assert response.status_code == 303 and "/sign-in" in response.headers["location"]


async def test_admin_pages_are_rendered_every_time(
    app: Litestar, client: httpx.AsyncClient
) -> None:
    await make_user(Role.admin, email="ada@clinic.test")
    await sign_in(client, "ada@clinic.test")
    assert (await client.get("/home/work", headers=HX)).status_code == 200
    assert len(app.state.page_cache) == 0


async def test_concurrent_requests_for_one_page_render_it_once(
    app: Litestar, therapist_client: httpx.AsyncClient, clinic: Clinic, monkeypatch: object
) -> None:
    import web.pages.home as home

    renders = 0
    notes = home._notes

    async def counted(actor: object) -> dict[str, object]:
        nonlocal renders
        renders += 1
        await asyncio.sleep(0.05)  # a slow render: the others arrive meanwhile
        return await notes(actor)  # type: ignore[arg-type]

    monkeypatch.setattr(home, "_notes", counted)  # type: ignore[attr-defined]
    pages = await asyncio.gather(
        *(therapist_client.get("/home/notes", headers=HX) for _ in range(8))
    )
    assert {page.status_code for page in pages} == {200}
    assert len({page.text for page in pages}) == 1 and UNSIGNED in pages[0].text
    assert renders == 1


async def test_a_patient_an_admin_assigns_shows_on_the_therapists_pages_at_once(
    client: httpx.AsyncClient, therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    assert "Riley Quinn" not in (await therapist_client.get("/exports")).text
    admin = await bearer(await make_user(Role.admin))
    created = await client.post(
        "/api/v1/admin/users",
        json={
            "role": "patient",
            "full_name": "Riley Quinn",
            "email": "riley@clinic.test",
            "handle": "riley.quinn",
            "therapist_id": str(clinic.therapist),
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    assert "Riley Quinn" in (await therapist_client.get("/exports")).text


def test_the_cache_keeps_to_its_size_dropping_the_least_recently_used(
    events: EventPublisher,
) -> None:
    from web.page_cache import PageCache, _Entry

    pages = PageCache(events, max_bytes=3_000)
    for name in ("a", "b", "c"):
        pages._store((name,), _Entry(b"x" * 1_000, time.monotonic()))
    assert pages._fresh(("a",)) is not None  # used: now the most recent
    pages._store(("d",), _Entry(b"x" * 1_000, time.monotonic()))
    assert len(pages) == 3 and pages._fresh(("b",)) is None and pages._fresh(("a",)) is not None


async def test_a_colleagues_reading_shows_on_the_patient_page_at_once(
    app: Litestar, therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    await assign_patient(clinic.other, clinic.patient, Relationship.secondary)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as colleague:
        await sign_in(colleague, clinic.other_email)
        page = f"/patients/{clinic.patient}"
        assert "Moderately severe" not in (await colleague.get(page)).text
        recorded = await therapist_client.post(
            f"{page}/measures",
            data={"instrument": "phq9", **{f"item{n}": "2" for n in range(1, 10)}},
            headers={**HX, **csrf(therapist_client)},
        )
        assert recorded.status_code == 200, recorded.text
        assert "Moderately severe" in (await colleague.get(page)).text

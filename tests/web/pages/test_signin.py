"""Signing in and out: argon2 passwords, lockout, CSRF, session cookies, idle sign-out."""

from __future__ import annotations

import time
from types import SimpleNamespace

import httpx
import pytest
from litestar import Litestar

from core.signin import LOCKOUT_MINUTES, MAX_FAILURES
from web.app import create_app
from web.session import SESSION_COOKIE, SESSION_STORE
from web.state import serve_runtime

from .conftest import CSRF_COOKIE, HX, Clinic, csrf, sign_in

WRONG = "The email or password is not correct."
LOCKED = f"Too many failed sign-in attempts. Try again in {LOCKOUT_MINUTES} minutes."


async def test_pages_send_visitors_to_sign_in_and_back(
    client: httpx.AsyncClient, clinic: Clinic
) -> None:
    response = await client.get("/patients?q=el")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/patients%3Fq%3Del"
    assert SESSION_COOKIE not in client.cookies  # no session is stored for a visitor

    signed_in = await sign_in(client, clinic.therapist_email, next_page="/patients?q=el")
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/patients?q=el"
    page = await client.get("/patients?q=el")
    assert page.status_code == 200 and "Jordan Ellis" in page.text


@pytest.mark.parametrize(
    "next_page", ["//evil.example/x", "/\\evil.example", "https://evil.example/", "patients"]
)
async def test_next_cannot_lead_off_site(
    client: httpx.AsyncClient, clinic: Clinic, next_page: str
) -> None:
    response = await sign_in(client, clinic.therapist_email, next_page=next_page)
    assert response.headers["location"] == "/"


async def test_wrong_password_and_unknown_email_read_the_same(
    client: httpx.AsyncClient, clinic: Clinic
) -> None:
    wrong_password = await sign_in(client, clinic.therapist_email, password="not the password")
    unknown_email = await sign_in(client, "nobody@clinic.test")
    assert wrong_password.status_code == unknown_email.status_code == 400
    assert WRONG in wrong_password.text and WRONG in unknown_email.text
    assert SESSION_COOKIE not in client.cookies


@pytest.mark.parametrize("email", ["dana@clinic.test", "nobody@clinic.test"])
async def test_lockout_after_repeated_failures(
    client: httpx.AsyncClient, clinic: Clinic, email: str
) -> None:
    for attempt in range(1, MAX_FAILURES + 1):
        response = await sign_in(client, email, password=f"guess number {attempt}")
        assert response.status_code == (429 if attempt == MAX_FAILURES else 400)
    assert LOCKED in response.text
    # While locked, even the right password is refused, with the same message for everyone.
    right = await sign_in(client, email)
    assert right.status_code == 429 and LOCKED in right.text
    assert SESSION_COOKIE not in client.cookies


async def test_a_success_clears_earlier_failures(client: httpx.AsyncClient, clinic: Clinic) -> None:
    for _ in range(MAX_FAILURES - 1):
        await sign_in(client, clinic.therapist_email, password="wrong password!")
    assert (await sign_in(client, clinic.therapist_email)).status_code == 303
    await client.post("/sign-out", headers=csrf(client))
    for _ in range(MAX_FAILURES - 1):
        assert (
            await sign_in(client, clinic.therapist_email, password="wrong again!")
        ).status_code == 400


async def test_sign_in_without_csrf_token_is_refused(
    client: httpx.AsyncClient, clinic: Clinic
) -> None:
    await client.get("/sign-in")
    response = await client.post(
        "/sign-in", data={"email": clinic.therapist_email, "password": "correct horse battery"}
    )
    assert response.status_code == 403
    assert "This page has expired" in response.text


async def test_htmx_post_without_csrf_header_is_refused(
    therapist_client: httpx.AsyncClient,
) -> None:
    response = await therapist_client.post("/settings/tokens", data={"name": "sneaky"}, headers=HX)
    assert response.status_code == 403
    assert response.headers["hx-retarget"] == "#flash"
    accepted = await therapist_client.post(
        "/settings/tokens", data={"name": "honest"}, headers={**HX, **csrf(therapist_client)}
    )
    assert accepted.status_code == 200 and "honest" in accepted.text


async def test_sign_in_issues_a_new_session_id(client: httpx.AsyncClient, clinic: Clinic) -> None:
    """A session id planted before sign-in (session fixation) is not the one signed in."""
    planted = "a" * 64
    client.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")
    response = await sign_in(client, clinic.therapist_email)
    assert response.status_code == 303
    issued = client.cookies.get(SESSION_COOKIE)
    assert issued and issued != planted
    assert (await client.get("/")).status_code == 200


async def test_session_cookies_are_http_only_and_same_site(
    client: httpx.AsyncClient, clinic: Clinic
) -> None:
    response = await sign_in(client, clinic.therapist_email)
    cookie = response.headers["set-cookie"].lower()
    assert f"{SESSION_COOKIE}=" in cookie and "httponly" in cookie and "samesite=lax" in cookie


async def test_cookies_are_secure_when_served_over_https(
    db: None, redis: object, settings: object, clinic: Clinic
) -> None:
    app = create_app(settings.model_copy(update={"public_url": "https://tb.example.org"}))  # type: ignore[attr-defined]
    async with serve_runtime(app), app.stores.get(SESSION_STORE):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
            form = await client.get("/sign-in")
            assert "secure" in form.headers["set-cookie"].lower()
            response = await sign_in(client, clinic.therapist_email)
            session_cookie = [
                c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
            ]
            assert session_cookie and "secure" in session_cookie[0].lower()


async def test_sign_out_ends_the_session(therapist_client: httpx.AsyncClient) -> None:
    assert (await therapist_client.get("/")).status_code == 200
    response = await therapist_client.post("/sign-out", headers=csrf(therapist_client))
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?reason=signed-out"
    assert (await therapist_client.get("/")).status_code == 303


class Clock:
    """Stands in for `time` in web.auth so tests can let minutes pass."""

    def __init__(self) -> None:
        self.now = time.time()

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("web.auth.time", SimpleNamespace(time=lambda: clock.now))
    return clock


async def test_idle_session_signs_out(
    app: Litestar, therapist_client: httpx.AsyncClient, clock: Clock
) -> None:
    idle = app.state.settings.session_idle_minutes
    clock.advance(idle - 1)
    assert (await therapist_client.get("/")).status_code == 200  # activity restarts the wait
    clock.advance(idle - 1)
    assert (await therapist_client.get("/")).status_code == 200
    clock.advance(idle + 1)
    response = await therapist_client.get("/patients")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/patients&reason=idle"
    clock.advance(-idle)  # the session is gone for good, not merely out of date
    assert (await therapist_client.get("/")).status_code == 303


async def test_htmx_request_after_idle_redirects_the_page(
    app: Litestar, therapist_client: httpx.AsyncClient, clock: Clock
) -> None:
    clock.advance(app.state.settings.session_idle_minutes + 1)
    response = await therapist_client.get(
        "/patients?q=x", headers={**HX, "HX-Current-URL": "http://testserver/patients"}
    )
    assert response.status_code == 401
    assert response.headers["hx-redirect"] == "/sign-in?next=/patients&reason=idle"


async def test_live_refreshes_do_not_keep_an_idle_session_alive(
    app: Litestar, therapist_client: httpx.AsyncClient, clock: Clock
) -> None:
    idle = app.state.settings.session_idle_minutes
    clock.advance(idle - 2)
    assert (await therapist_client.get("/home/today", headers=HX)).status_code == 200
    clock.advance(3)  # idle + 1 minutes since the person last did anything
    assert (await therapist_client.get("/home/today", headers=HX)).status_code == 401
    assert (await therapist_client.get("/")).status_code == 303


async def test_keepalive_counts_as_activity(
    app: Litestar, therapist_client: httpx.AsyncClient, clock: Clock
) -> None:
    idle = app.state.settings.session_idle_minutes
    clock.advance(idle - 1)
    keepalive = await therapist_client.post("/session/keepalive", headers=csrf(therapist_client))
    assert keepalive.status_code == 204
    clock.advance(idle - 1)
    assert (await therapist_client.get("/")).status_code == 200


async def test_csrf_cookie_is_http_only(client: httpx.AsyncClient) -> None:
    response = await client.get("/sign-in")
    cookie = [c for c in response.headers.get_list("set-cookie") if c.startswith(CSRF_COOKIE)]
    assert cookie and "httponly" in cookie[0].lower()

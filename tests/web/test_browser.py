"""End to end in Chromium: sign in, upload a recording and watch it processed live, sign a
note, request a PDF and watch it complete live, download it, sign out.

The app and the worker run as they do in production, in their own processes, against this
run's database and Redis. Screenshots of every page go to screenshots/.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from core.enums import Role
from tests.factories import PASSWORD, make_patient_of, make_user
from tests.support import free_port

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
RECORDING = ROOT / "tests" / "fixtures" / "audio" / "dialogue_stereo.ogg"
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROCESSING_TIMEOUT_MS = 180_000

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"
    ),
]


def start(*command: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, *command], cwd=ROOT, env=dict(os.environ))


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def worker(db: None, redis: object) -> Iterator[None]:
    process = start("-m", "cli", "worker")
    yield
    stop(process)


@contextlib.asynccontextmanager
async def running_web_app() -> AsyncIterator[str]:
    """The web app in its own process, as in production; its URL once it answers /health."""
    port = free_port()
    process = start(
        "-m", "uvicorn", "web.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(300):
                try:
                    if (await client.get(f"{url}/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                pytest.fail("the app did not start")
        yield url
    finally:
        stop(process)


@pytest.fixture
async def server(db: None, redis: object, worker: None) -> AsyncIterator[str]:
    async with running_web_app() as url:
        yield url


async def test_a_therapists_day(server: str, tmp_path: Path) -> None:
    from playwright.async_api import async_playwright, expect

    therapist = await make_user(Role.therapist, full_name="Dana Reyes", email="dana@clinic.test")
    await make_patient_of(therapist, full_name="Hannah Moss")
    SCREENSHOTS.mkdir(exist_ok=True)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        context = await browser.new_context(
            base_url=server, accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
        page = await context.new_page()
        page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))

        async def shot(name: str) -> None:
            await page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

        try:
            nav = page.get_by_role("navigation", name="Main")

            # Sign in.
            await page.goto("/")
            await expect(page).to_have_url(f"{server}/sign-in?next=/")
            await shot("01-sign-in")
            await page.get_by_label("Email").fill("dana@clinic.test")
            await page.get_by_label("Password").fill(PASSWORD)
            await page.get_by_role("button", name="Sign in").click()
            await expect(
                page.get_by_role("heading", name="Good to see you, Dana Reyes")
            ).to_be_visible()

            # Upload the recording and watch the pipeline move without reloading the page.
            await nav.get_by_role("link", name="Upload", exact=True).click()
            await page.get_by_label("Patient", exact=True).select_option(label="Hannah Moss")
            await page.set_input_files("#upload-file", RECORDING)
            await page.evaluate("window.stayedOnPage = true")
            await page.get_by_role("button", name="Upload", exact=True).click()
            pipeline = page.locator("section.pipeline")
            await expect(pipeline).to_be_visible()
            await shot("02-upload-progress")
            await expect(pipeline).to_have_attribute(
                "data-status", "processed", timeout=PROCESSING_TIMEOUT_MS
            )
            assert await page.evaluate("window.stayedOnPage") is True
            await shot("03-upload-processed")

            # The session: transcript with speakers, extracted notes.
            await pipeline.get_by_role("link", name="Open the session").click()
            await expect(page.locator("ol.transcript li").first).to_be_visible()
            await shot("04-session")

            # Review and sign the SOAP note.
            await page.get_by_role("link", name="Review notes").first.click()
            await expect(page.get_by_role("heading", name="Note review")).to_be_visible()
            await shot("05-note-review")
            await page.get_by_role("button", name="Save and sign").click()
            await expect(page.get_by_text("Amend this note")).to_be_visible()
            await shot("06-note-signed")

            # Patients and the patient's page.
            await nav.get_by_role("link", name="Patients", exact=True).click()
            await page.get_by_label("Search by name").fill("moss")
            await expect(page.locator("#patients-table")).to_contain_text("Hannah Moss")
            await shot("07-patients")
            await page.get_by_role("link", name="Hannah Moss").click()
            await expect(page.get_by_role("heading", name="Sessions")).to_be_visible()
            await shot("08-patient")

            # Request a PDF and watch the job complete live.
            await nav.get_by_role("link", name="Exports", exact=True).click()
            await page.get_by_label("Document", exact=True).select_option("session_notes")
            await page.get_by_label("Patient", exact=True).select_option(label="Hannah Moss")
            await page.evaluate("window.stayedOnPage = true")
            await page.get_by_role("button", name="Request export").click()
            row = page.locator("tr.job-row").first
            await expect(row).to_be_visible()
            await shot("09-export-requested")
            await expect(row).to_have_attribute(
                "data-status", "completed", timeout=PROCESSING_TIMEOUT_MS
            )
            assert await page.evaluate("window.stayedOnPage") is True
            await expect(row).to_contain_text("days left")
            await shot("10-export-completed")
            async with page.expect_download() as download_info:
                await row.get_by_role("link", name="Download").click()
            download = await download_info.value
            saved = tmp_path / download.suggested_filename
            await download.save_as(saved)
            assert saved.suffix == ".pdf" and saved.read_bytes().startswith(b"%PDF")

            # The trail, the settings, the home page with today's work.
            await nav.get_by_role("link", name="Audit log", exact=True).click()
            await expect(page.locator("#audit-table")).to_contain_text("Signed")
            await shot("11-audit")
            await nav.get_by_role("link", name="Settings", exact=True).click()
            await page.get_by_label("Name", exact=True).fill("Practice laptop")
            await page.get_by_role("button", name="Create token").click()
            await expect(page.locator("#new-token")).to_be_visible()
            await page.get_by_role("button", name="Get a link code").click()
            await expect(page.locator("#slack-code")).to_be_visible()
            await shot("12-settings")
            await nav.get_by_role("link", name="Home", exact=True).click()
            await expect(page.locator("#today")).to_contain_text("Hannah Moss")
            await shot("13-home")

            # Sign out.
            await page.get_by_role("button", name="Sign out").click()
            await expect(page.get_by_text("You are signed out.")).to_be_visible()
            await page.goto("/patients")
            await expect(page).to_have_url(f"{server}/sign-in?next=/patients")
            assert errors == []
        except Exception:
            await shot("failure")  # what the browser showed when it went wrong
            raise
        await browser.close()

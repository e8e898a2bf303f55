"""In Chromium: draft a DAP note from its empty tab in one click, sign it, read it as the
clinician's note, amend it. Screenshots go to screenshots/ (notes-*.png)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from core.enums import NoteTemplate, Role
from core.notes.drafts import create_drafts
from tests.factories import PASSWORD, make_patient_of, make_user
from tests.web.pages.conftest import processed_session
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, running_web_app

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture
async def web(db: None, redis: object) -> AsyncIterator[str]:
    """The web app alone: drafting on demand needs no worker."""
    async with running_web_app() as url:
        yield url


async def test_draft_sign_and_amend_a_note(web: str) -> None:
    from playwright.async_api import async_playwright, expect

    therapist = await make_user(
        Role.therapist,
        full_name="Dr. Maya Rivera",
        email="maya@clinic.test",
        license="LCSW 48213",
    )
    patient = await make_patient_of(therapist, full_name="Hannah Moss")
    session = await processed_session(therapist, patient)
    assert await create_drafts(session, [NoteTemplate.soap]) == []  # the SOAP draft exists
    SCREENSHOTS.mkdir(exist_ok=True)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        context = await browser.new_context(base_url=web, viewport={"width": 1280, "height": 900})
        page = await context.new_page()
        page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))

        async def shot(name: str) -> None:
            await page.screenshot(path=SCREENSHOTS / f"notes-{name}.png", full_page=True)

        try:
            await page.goto("/sign-in")
            await page.get_by_label("Email").fill("maya@clinic.test")
            await page.get_by_label("Password").fill(PASSWORD)
            await page.get_by_role("button", name="Sign in").click()
            await expect(page.get_by_role("heading", name="Good to see you")).to_be_visible()

            # The DAP tab has no note: one click drafts it, in place.
            await page.goto(f"/sessions/{session}/notes?template=dap")
            draft_button = page.get_by_role("button", name="Draft a DAP note")
            await expect(draft_button).to_be_visible()
            await shot("1-empty-tab")
            await draft_button.click()
            await expect(page.get_by_role("button", name="Save and sign")).to_be_visible()
            await expect(page.locator("#flash")).to_contain_text("DAP draft created.")
            await expect(page.locator(".note-panel .badge.note-draft")).to_be_visible()
            await shot("2-drafted")

            # Signed, it reads as the clinician's note.
            await page.get_by_role("button", name="Save and sign").click()
            signature = page.get_by_role("note", name="Signature")
            await expect(signature).to_contain_text("Signed by Dr. Maya Rivera, LCSW 48213 on")
            await expect(page.locator(".note-panel [class*='confidence-']")).to_have_count(0)
            await expect(page.locator(".note-panel .missing-summary")).to_have_count(0)
            await shot("3-signed")

            # An amendment says whose it is and why.
            await page.get_by_text("Amend this note").click()
            await page.locator("#amend-plan-homework").fill("Sleep diary every night.")
            await page.get_by_label("Reason for the amendment").fill("Homework was left out")
            await page.get_by_role("button", name="Save and sign the amendment").click()
            await expect(signature).to_contain_text(
                "Amendment of version 1, signed by Dr. Maya Rivera, LCSW 48213 on"
            )
            await expect(signature).to_contain_text("Homework was left out")
            await shot("4-amended")
            assert errors == []
        finally:
            await browser.close()

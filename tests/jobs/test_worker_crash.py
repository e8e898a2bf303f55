"""A worker killed in the middle of a transcription: after a restart the session finishes once."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from uuid import UUID

import httpx

from core.enums import Role, SessionStatus
from core.tables import ClinicalNote, TherapySession
from jobs.lease import LEASE_SECONDS
from tests.factories import make_patient_of, make_user
from tests.jobs.test_process_session import upload
from tests.web.test_api_exports import bearer


def start_worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "worker"],
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        start_new_session=True,
    )


async def wait_for_status(
    session_id: UUID, wanted: SessionStatus, seconds: float, *, audio_gone: bool = False
) -> None:
    """Until the session is `wanted` (and, with `audio_gone`, its follow-up steps are done:
    the audio is deleted last, after the drafts)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = (
            await TherapySession.select(TherapySession.status, TherapySession.audio_path)
            .where(TherapySession.id == session_id)
            .first()
        )
        if row["status"] == wanted and not (audio_gone and row["audio_path"]):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"session never reached {wanted} (last: {row['status']})")


async def test_killed_worker_resumes_and_finishes_exactly_once(
    client: httpx.AsyncClient, redis: object
) -> None:
    therapist = await make_user(Role.therapist)
    patient = await make_patient_of(therapist)
    response = await upload(client, patient, await bearer(therapist), "dialogue_mono.m4a")
    session_id = UUID(response.json()["id"])

    first = start_worker()
    try:
        await wait_for_status(session_id, SessionStatus.transcribing, 60)
        os.killpg(first.pid, signal.SIGKILL)  # no cleanup, no goodbye
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    row = await TherapySession.select().where(TherapySession.id == session_id).first()
    assert row["status"] == SessionStatus.transcribing

    second = start_worker()
    try:
        await wait_for_status(
            session_id, SessionStatus.processed, LEASE_SECONDS + 120, audio_gone=True
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)

    session = await TherapySession.select().where(TherapySession.id == session_id).first()
    assert session["transcript_text"].startswith("T: ")
    assert session["audio_path"] is None
    assert await ClinicalNote.count().where(ClinicalNote.session_id == session_id) == 1

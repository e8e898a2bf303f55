"""The session pipeline end to end: upload through the API, the real worker, the real model."""

import asyncio
import json
from dataclasses import replace
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from arq.connections import ArqRedis
from litestar import Litestar
from redis.asyncio import Redis

from core.enums import Role, SessionStatus
from core.events import ALL_EVENTS_CHANNEL, EventPublisher
from core.infra.runtime import Runtime
from core.infra.storage import EncryptedStorage
from core.tables import ClinicalNote, TherapySession
from tests.factories import make_patient_of, make_user
from tests.support import burst_worker
from tests.web.test_api_exports import bearer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "audio"


@pytest.fixture
async def therapist_and_patient(db: None) -> tuple[UUID, UUID, dict[str, str]]:
    therapist = await make_user(Role.therapist)
    patient = await make_patient_of(therapist)
    return therapist, patient, await bearer(therapist)


def context_of(app: Litestar, redis: Redis) -> Runtime:
    """The app's runtime, publishing on the test's Redis client."""
    return replace(app.state.runtime, redis=redis, events=EventPublisher(redis))


async def upload(client: httpx.AsyncClient, patient: UUID, auth: dict, name: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/sessions/upload?patient_id={patient}",
        content=(FIXTURES / name).read_bytes(),
        headers={**auth, "Content-Type": "application/octet-stream"},
    )


def stored_audio(storage: EncryptedStorage) -> list[Path]:
    return [p for p in (storage.root / "audio").rglob("*") if p.is_file()]


async def test_recording_becomes_a_processed_session_with_drafts(
    app: Litestar,
    client: httpx.AsyncClient,
    redis: Redis,
    queue: ArqRedis,
    therapist_and_patient: tuple,
) -> None:
    _, patient, auth = therapist_and_patient
    pubsub = redis.pubsub()
    await pubsub.subscribe(ALL_EVENTS_CHANNEL)
    response = await upload(client, patient, auth, "dialogue_mono.m4a")
    assert response.status_code == 202, response.text
    session_id = UUID(response.json()["id"])
    assert response.json()["audio_format"] == "m4a"

    worker = burst_worker(queue, context_of(app, redis))
    await worker.main()
    assert worker.jobs_failed == 0

    session = (
        await TherapySession.select()
        .where(TherapySession.id == session_id)
        .output(load_json=True)
        .first()
    )
    assert session["status"] == SessionStatus.processed and session["progress"] == 100
    assert session["transcript_text"].startswith("T: Hi, Hannah")
    assert "P: " in session["transcript_text"]
    assert {s["speaker"] for s in session["transcript_segments"]} == {"therapist", "patient"}
    assert "anxiety" in session["extracted_notes"]["key_topics"]
    assert session["audio_path"] is None  # deleted after processing
    assert stored_audio(app.state.runtime.storage) == []
    assert await ClinicalNote.count().where(ClinicalNote.session_id == session_id) == 1

    statuses = []
    for _ in range(50):  # what was published while the worker ran, in order
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.05)
        if message is None:
            continue
        event = json.loads(message["data"])
        if event["type"] == "session.status":
            statuses.append(event["data"]["status"])
        elif event["type"] != "session.progress":
            statuses.append(event["type"])
    await pubsub.aclose()
    assert statuses == [
        "uploading",
        "transcribing",
        "transcribed",
        "extracting_notes",
        "processed",
        "session.processed",
    ]

    rerun = burst_worker(queue, context_of(app, redis))
    from core.infra.queue import PROCESS_SESSION, enqueue

    await enqueue(queue, PROCESS_SESSION, session_id, attempt=1)
    await rerun.main()
    assert await ClinicalNote.count().where(ClinicalNote.session_id == session_id) == 1


@pytest.mark.parametrize("name", ["garbage.mp3", "image.wav", "notes.mp3", "video_only.mp4"])
async def test_what_is_not_audio_is_refused_and_nothing_kept(
    app: Litestar, client: httpx.AsyncClient, therapist_and_patient: tuple, name: str
) -> None:
    _, patient, auth = therapist_and_patient
    response = await upload(client, patient, auth, name)
    assert response.status_code == 415
    assert response.json()["detail"].startswith("not a supported audio file")
    assert await TherapySession.count() == 0
    assert stored_audio(app.state.runtime.storage) == []


async def test_a_damaged_stored_recording_ends_failed_and_leaves_nothing(
    app: Litestar,
    client: httpx.AsyncClient,
    redis: Redis,
    queue: ArqRedis,
    therapist_and_patient: tuple,
) -> None:
    _, patient, auth = therapist_and_patient
    response = await upload(client, patient, auth, "clip.ogg")
    session_id = UUID(response.json()["id"])
    storage = app.state.runtime.storage
    [audio] = stored_audio(storage)
    damaged = bytearray(audio.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF  # the disk flipped a byte
    audio.write_bytes(bytes(damaged))

    await burst_worker(queue, context_of(app, redis)).main()

    session = await TherapySession.select().where(TherapySession.id == session_id).first()
    assert session["status"] == SessionStatus.failed
    assert session["error_message"] == "stored file failed authentication (corrupt or tampered)"
    assert session["audio_path"] is None and stored_audio(storage) == []


async def test_another_therapist_cannot_upload_for_the_patient(
    client: httpx.AsyncClient, therapist_and_patient: tuple
) -> None:
    _, patient, _ = therapist_and_patient
    other = await bearer(await make_user(Role.therapist))
    response = await upload(client, patient, other, "clip.ogg")
    assert response.status_code == 404
    assert await TherapySession.count() == 0
    await asyncio.sleep(0)

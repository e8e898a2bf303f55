"""Hostile uploads: each refused with a clear 4xx, and nothing stored, queued or audited."""

import io
import re
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from arq.connections import ArqRedis
from litestar import Litestar

from core.enums import Role
from core.settings import Settings
from core.tables import TherapySession
from tests.abuse.state import system_state
from tests.factories import make_patient_of, make_user
from tests.jobs.test_process_session import FIXTURES
from tests.web.test_api_exports import bearer
from web.app import create_app
from web.state import serve_runtime

MAX_UPLOAD_MB = 1
NOT_AUDIO = "not a supported audio file: the content is not a recognisable audio container"


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", "<script>fetch('/api/v1/sessions')</script>")
    return buffer.getvalue()


# Files that look like one thing to a sniffer and are another: each is a valid ZIP archive.
POLYGLOTS = {
    "starts like an MP3 (ID3 tag, frame sync)": b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x00",
    "starts like a WAV (RIFF/WAVE header)": b"RIFF\x24\x00\x00\x00WAVEfmt ",
    "starts like a GIF": b"GIF89a",
}


@pytest.fixture
async def upload_app(db: None, redis: object, settings: Settings) -> AsyncIterator[Litestar]:
    application = create_app(settings.model_copy(update={"max_upload_mb": MAX_UPLOAD_MB}))
    async with serve_runtime(application):
        yield application


@pytest.fixture
async def api(upload_app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=upload_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def uploader(db: None) -> tuple[UUID, dict[str, str]]:
    therapist = await make_user(Role.therapist)
    return await make_patient_of(therapist), await bearer(therapist)


async def upload(
    api: httpx.AsyncClient, patient: UUID, auth: dict[str, str], body: object, **headers: str
) -> httpx.Response:
    return await api.post(
        f"/api/v1/sessions/upload?patient_id={patient}",
        content=body,  # type: ignore[arg-type]
        headers={**auth, "Content-Type": "audio/mpeg", **headers},
    )


async def refused(
    api: httpx.AsyncClient,
    queue: ArqRedis,
    patient: UUID,
    auth: dict[str, str],
    body: object,
    **headers: str,
) -> httpx.Response:
    """Upload `body`; asserts that no file, row or queued job came of it."""
    before = await system_state(queue)
    response = await upload(api, patient, auth, body, **headers)
    assert await system_state(queue) == before
    return response


async def test_an_empty_body_is_refused(
    api: httpx.AsyncClient, queue: ArqRedis, uploader: tuple
) -> None:
    response = await refused(api, queue, *uploader, b"")
    assert (response.status_code, response.json()["detail"]) == (415, NOT_AUDIO)


async def test_a_body_over_the_limit_is_refused_and_discarded(
    api: httpx.AsyncClient, queue: ArqRedis, uploader: tuple
) -> None:
    wav = (FIXTURES / "clip.wav").read_bytes()
    body = wav * (MAX_UPLOAD_MB * 1024 * 1024 // len(wav) + 2)
    response = await refused(api, queue, *uploader, body)
    assert response.status_code == 413  # refused on its Content-Length, before it is read
    assert response.json()["detail"] == (
        f"the request body exceeds the size limit of {MAX_UPLOAD_MB} MB"
    )


async def test_a_streamed_body_over_the_limit_is_refused(
    api: httpx.AsyncClient, queue: ArqRedis, uploader: tuple
) -> None:
    """Chunked, with no Content-Length to refuse early: the stream itself is cut off."""

    async def endless() -> AsyncIterator[bytes]:
        for _ in range(MAX_UPLOAD_MB * 16 + 16):
            yield b"\0" * 65536

    response = await refused(api, queue, *uploader, endless())
    assert response.status_code == 413


@pytest.mark.parametrize("prefix", POLYGLOTS.values(), ids=POLYGLOTS.keys())
async def test_a_polyglot_is_refused(
    api: httpx.AsyncClient, queue: ArqRedis, uploader: tuple, prefix: bytes
) -> None:
    body = prefix + zip_archive()
    assert zipfile.is_zipfile(io.BytesIO(body))
    response = await refused(api, queue, *uploader, body)
    assert response.status_code == 415
    assert response.json()["detail"].startswith("not a supported audio file: ")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("audio/wav", b"<html><script>alert(document.cookie)</script></html>"),
        ("application/zip", zip_archive()),
        ("image/svg+xml", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("application/x-sh", b"#!/bin/sh\nrm -rf /\n"),
    ],
)
async def test_what_does_not_decode_as_audio_is_refused_whatever_its_type(
    api: httpx.AsyncClient, queue: ArqRedis, uploader: tuple, content_type: str, body: bytes
) -> None:
    response = await refused(api, queue, *uploader, body, **{"Content-Type": content_type})
    assert response.status_code == 415


@pytest.mark.parametrize(
    "query",
    [
        "patient_id=../../../../etc/passwd",
        "patient_id=%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "patient_id={patient}&session_date=../../etc/passwd",
        "patient_id={patient}/../../admin",
    ],
)
async def test_path_traversal_in_the_query_is_refused(
    api: httpx.AsyncClient, queue: ArqRedis, uploader: tuple, query: str
) -> None:
    patient, auth = uploader
    before = await system_state(queue)
    response = await api.post(
        "/api/v1/sessions/upload?" + query.format(patient=patient),
        content=(FIXTURES / "clip.mp3").read_bytes(),
        headers=auth,
    )
    assert await system_state(queue) == before
    assert response.status_code == 400
    assert "Invalid" in response.json()["detail"]


async def test_file_names_in_headers_never_name_the_stored_file(
    api: httpx.AsyncClient, uploader: tuple, tmp_path: Path
) -> None:
    """The recording is judged by its content and stored under a name of the server's."""
    target = tmp_path / "planted.tbe"
    response = await upload(
        api,
        *uploader,
        (FIXTURES / "clip.mp3").read_bytes(),
        **{
            "Content-Disposition": f'attachment; filename="../../../../..{target}"',
            "X-File-Name": f"../../../../..{target}",
            "Content-Type": "text/plain",
        },
    )
    assert response.status_code == 202, response.text
    session = (
        await TherapySession.select()
        .where(TherapySession.id == UUID(response.json()["id"]))
        .first()
    )
    assert re.fullmatch(r"audio/[0-9a-f]{32}\.tbe", session["audio_path"])
    assert not target.exists()

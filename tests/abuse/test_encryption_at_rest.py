"""Encryption at rest, checked on the disk: after an upload, a processed session and completed
exports in every format, no file under DATA_DIR holds any of their plaintext."""

import json
from dataclasses import replace
from pathlib import Path
from uuid import UUID

import httpx
from arq.connections import ArqRedis
from litestar import Litestar
from redis.asyncio import Redis

from core.enums import ExportStatus, Role, SessionStatus
from core.infra.storage import MAGIC, storage_from_settings
from core.settings import get_settings
from core.tables import ExportJob, TherapySession
from tests.factories import make_patient_of, make_user
from tests.jobs.test_process_session import FIXTURES, context_of
from tests.support import burst_worker
from tests.web.test_api_exports import bearer

PATIENT_NAME = "Quillon Vexhart"
FORMATS = ("pdf", "docx", "json", "csv")
FORMAT_HEADERS = [b"%PDF", b"PK\x03\x04", b"RIFF", b"WAVE"]


def fragments(plaintext: bytes, size: int = 24) -> list[bytes]:
    """Pieces from the start, middle and end of a file: none may appear on disk."""
    middle = len(plaintext) // 2
    return [plaintext[:size], plaintext[middle : middle + size], plaintext[-size:]]


def files_holding(markers: list[bytes]) -> dict[str, list[bytes]]:
    """Every file under DATA_DIR that contains one of `markers`, with what it contains."""
    found = {}
    for path in Path(get_settings().data_dir).rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            if hits := [marker for marker in markers if marker in content]:
                found[str(path)] = hits
    return found


async def test_nothing_readable_is_left_on_disk(
    app: Litestar, client: httpx.AsyncClient, redis: Redis, queue: ArqRedis
) -> None:
    therapist = await make_user(Role.therapist)
    patient = await make_patient_of(therapist, full_name=PATIENT_NAME)
    auth = await bearer(therapist)
    audio = (FIXTURES / "clip.wav").read_bytes()
    upload = await client.post(
        f"/api/v1/sessions/upload?patient_id={patient}", content=audio, headers=auth
    )
    assert upload.status_code == 202, upload.text
    context = context_of(app, redis)
    # Keep the recording after processing, so that it is on disk to be checked too.
    context = replace(
        context, settings=context.settings.model_copy(update={"audio_retention": "keep"})
    )
    await burst_worker(queue, context).main()
    session = (
        await TherapySession.select().where(TherapySession.id == UUID(upload.json()["id"])).first()
    )
    assert session["status"] == SessionStatus.processed and session["audio_path"]

    for fmt in FORMATS:
        response = await client.post(
            "/api/v1/export/full-record",
            json={"patient_id": str(patient), "format": fmt},
            headers=auth,
        )
        assert response.status_code == 202, response.text
    await burst_worker(queue, context).main()
    exports = await ExportJob.select().where(ExportJob.patient_id == patient)
    assert [job["status"] for job in exports] == [ExportStatus.completed] * len(FORMATS)

    storage = storage_from_settings(get_settings())
    documents = {job["format"]: storage.read_bytes(job["file_path"]) for job in exports}
    keys = json.loads(documents["json"]).keys()
    markers = [
        PATIENT_NAME.encode(),
        *(word.encode() for word in session["transcript_text"].split() if len(word) > 4),
        *(f'"{key}"'.encode() for key in keys),
        documents["csv"].splitlines()[0],
        *FORMAT_HEADERS,
        *fragments(audio),
        *(piece for document in documents.values() for piece in fragments(document)),
    ]
    assert files_holding(markers) == {}
    for path in [session["audio_path"], *(job["file_path"] for job in exports)]:
        assert storage.absolute(path).read_bytes().startswith(MAGIC)

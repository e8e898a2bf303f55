"""Template injection and SSRF through a custom export template, end to end: saved and
requested through the API by a therapist, rendered by the worker's real render pool."""

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from uuid import UUID

import httpx
import pytest
from arq.connections import ArqRedis
from litestar import Litestar
from pypdf import PdfReader
from redis.asyncio import Redis

from core.enums import ExportStatus, Role
from core.infra.storage import storage_from_settings
from core.settings import get_settings
from tests.abuse.state import system_state
from tests.factories import make_user
from tests.faults.exports import completion_rows, files_of, job_row
from tests.faults.records import patient_with_record
from tests.jobs.test_process_session import context_of
from tests.support import burst_worker
from tests.web.test_api_exports import bearer

PATIENT_NAME = "Quillon Vexhart"


def recording_handler(hits: list[str]) -> type[BaseHTTPRequestHandler]:
    class Recording(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, format: str, *args: object) -> None:
            pass  # the hits are the record

    return Recording


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that records every request made to it."""
    hits: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), recording_handler(hits))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


async def save_template(
    client: httpx.AsyncClient, auth: dict[str, str], source: str
) -> httpx.Response:
    return await client.post(
        "/api/v1/export/templates",
        json={
            "name": "mine",
            "export_type": "full_record",
            "format": "pdf",
            "template_content": source,
        },
        headers=auth,
    )


async def export_with_template(
    app: Litestar, client: httpx.AsyncClient, redis: Redis, queue: ArqRedis, source: str
) -> dict:
    """A therapist's template saved, a full record requested with it, and the worker's run."""
    therapist = await make_user(Role.therapist)
    patient = await patient_with_record(therapist, 1, full_name=PATIENT_NAME)
    auth = await bearer(therapist)
    saved = await save_template(client, auth, source)
    assert saved.status_code == 201, saved.text
    response = await client.post(
        "/api/v1/export/full-record",
        json={"patient_id": str(patient), "format": "pdf", "template_id": saved.json()["id"]},
        headers=auth,
    )
    assert response.status_code == 202, response.text
    job_id = UUID(response.json()["id"])
    await burst_worker(queue, context_of(app, redis)).main()
    return await job_row(job_id)


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__ }}",
        "{{ ''|attr('__class__')|attr('__mro__') }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
        "{{ patient.full_name.__class__.__subclasses__() }}",
        "{{ document.title.format.__globals__ }}",
    ],
)
async def test_template_injection_fails_the_job_cleanly(
    app: Litestar, client: httpx.AsyncClient, redis: Redis, queue: ArqRedis, source: str
) -> None:
    job = await export_with_template(app, client, redis, queue, source)
    assert job["status"] == ExportStatus.failed
    assert job["error_message"].startswith("line 1: ")  # names the line, never the data
    assert PATIENT_NAME not in job["error_message"]
    assert job["file_path"] is None and files_of(job["id"]) == []
    assert await completion_rows(job["id"]) == 0


@pytest.mark.parametrize(
    "source",
    [
        "{% include '../../../../etc/passwd' %}",
        "{% extends '/etc/passwd' %}",
        "{% import template_name as t %}",
    ],
)
async def test_templates_reaching_for_files_are_refused_on_save(
    client: httpx.AsyncClient, queue: ArqRedis, source: str
) -> None:
    auth = await bearer(await make_user(Role.therapist))
    before = await system_state(queue)
    response = await save_template(client, auth, source)
    assert response.status_code == 422
    assert await system_state(queue) == before


async def test_a_template_fetches_nothing(
    app: Litestar,
    client: httpx.AsyncClient,
    redis: Redis,
    queue: ArqRedis,
    listener: tuple[str, list[str]],
) -> None:
    base, hits = listener
    source = f"""<html><head>
      <link rel="stylesheet" href="{base}/style.css">
      <link rel="stylesheet" href="http://127.0.0.1:6379/">
      <link rel="attachment" href="file:///etc/passwd" title="passwd">
      <style>@import url("{base}/import.css"); body {{ background: url({base}/bg.png) }}</style>
    </head><body>
      <h1>Record of {{{{ patient.full_name }}}}</h1>
      <img src="file:///etc/passwd"><img src="{base}/pixel.png"><img src="//127.0.0.1:6379/">
      <object data="{base}/object"></object><iframe src="{base}/frame"></iframe>
      <svg><image href="{base}/svg.png"/></svg>
    </body></html>"""
    job = await export_with_template(app, client, redis, queue, source)

    assert hits == []  # not one request reached the server
    assert job["status"] == ExportStatus.completed, job["error_message"]
    pdf = PdfReader(io.BytesIO(storage_from_settings(get_settings()).read_bytes(job["file_path"])))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert f"Record of {PATIENT_NAME}" in text
    assert "root:" not in text
    assert pdf.attachments == {}

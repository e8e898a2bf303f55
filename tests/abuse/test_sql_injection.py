"""SQL injection in every filter and path parameter: a 4xx or an empty result, tables intact."""

from urllib.parse import quote

import httpx
import pytest
from arq.connections import ArqRedis

from tests.abuse.state import system_state
from tests.web.pages.conftest import HX, Clinic, clinic, sign_in
from tests.web.test_api_exports import bearer

__all__ = ["clinic"]  # the dashboard tests' clinic: two therapists, a patient and session each

PAYLOADS = [
    "' OR '1'='1",
    "'; DROP TABLE users; --",
    "1) UNION SELECT token_hash, user_id FROM api_tokens --",
    "%' OR full_name ILIKE '%",
    "\\'; SELECT pg_sleep(5); --",
    "$1",
    "\x00",
    "{}",
]

# Every filter and path parameter of the JSON API; {patient} is a real patient of the caller.
API_TARGETS = [
    "/api/v1/sessions?patient_id={}",
    "/api/v1/sessions?status={}",
    "/api/v1/sessions?start_date={}",
    "/api/v1/sessions?end_date={}",
    "/api/v1/sessions?page={}",
    "/api/v1/sessions?per_page={}",
    "/api/v1/sessions/{}",
    "/api/v1/sessions/{}/notes",
    "/api/v1/notes/{}",
    "/api/v1/export/jobs?status={}",
    "/api/v1/export/jobs?page={}",
    "/api/v1/export/jobs/{}",
    "/api/v1/export/download/{}",
    "/api/v1/patients/{}/measures",
    "/api/v1/patients/{}/goals",
    "/api/v1/patients/{patient}/measures?instrument={}",
    "/api/v1/patients/{patient}/goals?start_date={}",
    "/api/v1/patients/{patient}/goals?end_date={}",
]
PAGE_TARGETS = [
    "/audit?action={}",
    "/audit?patient_id={}",
    "/audit?page={}",
    "/patients?page={}",
    "/patients/{}",
    "/patients/{}/sessions",
    "/sessions/{}",
]


def urls(targets: list[str], patient: object) -> list[str]:
    return [
        target.replace("{patient}", str(patient)).format(quote(payload, safe=""))
        for target in targets
        for payload in PAYLOADS
    ]


async def answers(client: httpx.AsyncClient, urls: list[str], **headers: str) -> dict[str, int]:
    return {url: (await client.get(url, headers=headers)).status_code for url in urls}


async def test_api_filters_and_ids_refuse_injection(
    client: httpx.AsyncClient, queue: ArqRedis, clinic: Clinic
) -> None:
    auth = await bearer(clinic.therapist)
    before = await system_state(queue)
    statuses = await answers(client, urls(API_TARGETS, clinic.patient), **auth)
    assert {url: s for url, s in statuses.items() if not 400 <= s < 500} == {}
    assert await system_state(queue) == before
    still = await client.get(f"/api/v1/sessions?patient_id={clinic.patient}", headers=auth)
    assert still.json()["total"] == 1


async def test_dashboard_filters_and_ids_refuse_injection(
    client: httpx.AsyncClient, queue: ArqRedis, clinic: Clinic
) -> None:
    assert (await sign_in(client, clinic.therapist_email)).status_code == 303
    before = await system_state(queue)
    statuses = await answers(client, urls(PAGE_TARGETS, clinic.patient))
    assert {url: s for url, s in statuses.items() if not 400 <= s < 500} == {}
    assert await system_state(queue) == before


async def test_an_id_that_is_not_an_id_is_not_found(
    client: httpx.AsyncClient, clinic: Clinic
) -> None:
    """No route takes it: 404, as for any address that leads nowhere."""
    auth = await bearer(clinic.therapist)
    in_path = [target for target in API_TARGETS if "{}" in target.partition("?")[0]]
    statuses = await answers(client, urls(in_path, clinic.patient), **auth)
    assert {url: s for url, s in statuses.items() if s != 404} == {}


@pytest.mark.parametrize("payload", PAYLOADS)
async def test_patient_search_is_text_not_sql(
    client: httpx.AsyncClient, queue: ArqRedis, clinic: Clinic, payload: str
) -> None:
    assert (await sign_in(client, clinic.therapist_email)).status_code == 303
    before = await system_state(queue)
    response = await client.get(f"/patients?q={quote(payload, safe='')}", headers=HX)
    assert response.status_code in (200, 400), response.text  # no match, or text refused
    assert "Jordan Ellis" not in response.text  # the search matched nobody...
    assert "Kim Novak" not in response.text  # ...least of all another therapist's patient
    assert await system_state(queue) == before
    found = await client.get("/patients?q=Jordan", headers=HX)
    assert "Jordan Ellis" in found.text


async def test_export_bodies_refuse_injection(
    client: httpx.AsyncClient, queue: ArqRedis, clinic: Clinic
) -> None:
    auth = await bearer(clinic.therapist)
    before = await system_state(queue)
    statuses = {}
    for payload in PAYLOADS:
        for path, body in [
            ("/export/full-record", {"patient_id": payload}),
            ("/export/session-notes", {"session_ids": [payload]}),
            ("/export/progress-report", {"patient_id": str(clinic.patient), "start_date": payload}),
            ("/export/full-record", {"patient_id": str(clinic.patient), "format": payload}),
            ("/export/full-record", {"patient_id": str(clinic.patient), payload: True}),
            ("/export/bulk", {"export_type": payload, "patient_ids": [str(clinic.patient)]}),
        ]:
            response = await client.post(f"/api/v1{path}", json=body, headers=auth)
            statuses[f"{path} {body}"] = response.status_code
    assert {call: s for call, s in statuses.items() if not 400 <= s < 500} == {}
    assert await system_state(queue) == before

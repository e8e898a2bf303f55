"""Text PostgreSQL cannot store: a NUL character (U+0000) in any free-text field.

JSON and query strings carry it happily; PostgreSQL refuses it in text and JSONB. Each request
must be answered with a 4xx and change nothing, never end as a 500 from the database.
"""

import httpx
import pytest
from arq.connections import ArqRedis

from core.enums import Role
from core.tables import ClinicalNote
from tests.abuse.state import system_state
from tests.factories import make_user
from tests.faults.records import patient_with_record
from tests.web.test_api_exports import bearer

NUL = "\u0000"


@pytest.fixture
async def targets(db: None) -> dict[str, object]:
    therapist = await make_user(Role.therapist)
    patient = await patient_with_record(therapist, 1)
    note = (
        await ClinicalNote.select(ClinicalNote.id, ClinicalNote.sections)
        .output(load_json=True)
        .first()
    )
    return {
        "auth": await bearer(therapist),
        "admin": await bearer(await make_user(Role.admin)),
        "patient": patient,
        "note": note["id"],
        "section": next(iter(note["sections"].items())),
    }


async def test_nul_in_free_text_is_refused(
    client: httpx.AsyncClient, queue: ArqRedis, targets: dict
) -> None:
    auth, admin, patient, note = (targets[k] for k in ("auth", "admin", "patient", "note"))
    goal = await client.post(
        f"/api/v1/patients/{patient}/goals", json={"description": "Sleep seven hours"}, headers=auth
    )
    goal_id = goal.json()[0]["id"]
    section, fields = targets["section"]
    field = next(iter(fields))
    calls = [
        ("PATCH", f"/api/v1/notes/{note}", {"sections": {section: {field: f"a{NUL}b"}}}, auth),
        ("POST", f"/api/v1/patients/{patient}/goals", {"description": f"Sleep{NUL} well"}, auth),
        (
            "POST",
            f"/api/v1/patients/{patient}/goals",
            {"description": "Walk daily", "baseline": f"2{NUL}/7"},
            auth,
        ),
        ("POST", f"/api/v1/goals/{goal_id}/readings", {"value": f"5{NUL}/10"}, auth),
        (
            "POST",
            "/api/v1/admin/users",
            {"role": "therapist", "full_name": f"Eve{NUL}", "email": "e@x.org", "handle": "eve"},
            admin,
        ),
        (
            "POST",
            "/api/v1/admin/break-glass",
            {"patient_id": str(patient), "reason": f"emergency{NUL}"},
            admin,
        ),
    ]
    before = await system_state(queue)
    answers = {}
    for method, path, body, headers in calls:
        response = await client.request(method, path, json=body, headers=headers)
        answers[f"{method} {path} {sorted(body)}"] = response.status_code
    assert {call: status for call, status in answers.items() if not 400 <= status < 500} == {}
    assert await system_state(queue) == before

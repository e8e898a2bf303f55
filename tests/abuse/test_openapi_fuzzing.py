"""Schemathesis against the whole published API of a running `tb serve`: none of the requests
it makes up (valid or not, with real ids or invented ones; a bounded, seeded number per
operation) gets a 5xx."""

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from uuid import UUID

import httpx

from core.enums import Role
from core.tables import ClinicalNote
from core.tokens import issue_token
from tests.factories import make_user
from tests.faults.processes import running, wait_healthy
from tests.faults.records import patient_with_record
from tests.support import free_port

EXAMPLES_PER_OPERATION = 25
SEED = 20250101  # the same cases every run; change it to explore further


async def real_ids(api: httpx.AsyncClient, therapist: UUID, patient: UUID) -> dict[str, str]:
    """One id of each kind that the therapist really owns, made through the API itself."""
    note = await ClinicalNote.select(ClinicalNote.id, ClinicalNote.session_id).first()
    job = await api.post(
        "/api/v1/export/treatment-summary", json={"patient_id": str(patient), "format": "json"}
    )
    goals = await api.post(
        f"/api/v1/patients/{patient}/goals", json={"description": "Sleep seven hours a night"}
    )
    schedule = await api.post("/api/v1/export/schedules", json={"patient_id": str(patient)})
    return {
        "patient_id": str(patient),
        "session_id": str(note["session_id"]),
        "note_id": str(note["id"]),
        "job_id": job.json()["id"],
        "goal_id": goals.json()[0]["id"],
        "schedule_id": schedule.json()["id"],
        "user_id": str(therapist),
    }


# Where each kind of id goes besides path and query parameters of its own name.
BODY_FIELDS = {
    "patient_id": ["body.patient_id", "body.patient_ids[*]"],
    "session_id": ["body.session_id", "body.session_ids[*]"],
}


def schemathesis_config(ids: dict[str, str]) -> str:
    """Ids drawn mostly from the real ones, otherwise generated."""
    lines = ["[dictionaries]"]
    lines += [f"{name} = {{ values = [{json.dumps(value)}] }}" for name, value in ids.items()]
    lines += ["", "[parameters]"]
    for name in ids:
        for key in [f"path.{name}", f"query.{name}", *BODY_FIELDS.get(name, [])]:
            lines.append(f'"{key}" = {{ dictionary = "{name}", probability = 0.7 }}')
    return "\n".join(lines) + "\n"


async def test_no_request_to_the_api_gets_a_server_error(db: None, tmp_path: Path) -> None:
    therapist = await make_user(Role.therapist)
    patient = await patient_with_record(therapist, 1)
    token = (await issue_token(therapist, "schemathesis")).token
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with running("serve", env={"PORT": str(port)}):
        await wait_healthy(base_url)
        auth = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=base_url, headers=auth) as api:
            ids = await real_ids(api, therapist, patient)
        config = tmp_path / "schemathesis.toml"
        config.write_text(schemathesis_config(ids))
        options = {
            "--checks": "not_a_server_error",
            "--phases": "examples,coverage,fuzzing",
            "--max-examples": str(EXAMPLES_PER_OPERATION),
            "--seed": str(SEED),
            "--workers": "2",
            "--generation-database": "none",
            "--generation-allow-x00": "true",
            "--request-timeout": "30",
            "--header": f"Authorization: Bearer {token}",
        }
        run = await asyncio.to_thread(
            subprocess.run,
            [
                *(sys.executable, "-m", "schemathesis.cli", "--config-file", str(config)),
                *("--no-color", "run", f"{base_url}/schema/openapi.json"),
                *(part for option in options.items() for part in option),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tmp_path,
        )
    assert run.returncode == 0, run.stdout[-12_000:] + run.stderr[-2_000:]

import httpx

from core.documents.gather import gather_treatment_summary
from core.enums import Role
from core.tables import ExportAuditLog
from tests.factories import make_patient_of, make_user
from tests.web.test_api_exports import bearer


async def test_a_recorded_plan_fills_the_treatment_summary(
    client: httpx.AsyncClient, db: None
) -> None:
    therapist = await make_user(Role.therapist)
    patient = await make_patient_of(therapist)
    auth = await bearer(therapist)
    url = f"/api/v1/patients/{patient}/treatment-plan"
    assert (await client.get(url, headers=auth)).json() is None
    before = await gather_treatment_summary(patient)
    assert before.treatment.treatment_type is None and before.treatment.diagnoses == []

    plan = {
        "treatment_type": "CBT",
        "presenting_complaints": ["worry", "poor sleep"],
        "diagnoses": ["F41.1 Generalized anxiety disorder"],
        "current_status": "ongoing",
        "prognosis": "good",
        "discharge_readiness": "approaching",
        "started_on": "2025-01-06",
    }
    saved = await client.put(url, json=plan, headers=auth)
    assert saved.status_code == 200, saved.text
    again = await client.put(url, json={**plan, "prognosis": "fair"}, headers=auth)
    assert again.json()["prognosis"] == "fair"

    summary = await gather_treatment_summary(patient)
    treatment = summary.treatment
    assert (treatment.treatment_type, treatment.prognosis, treatment.discharge_readiness) == (
        "CBT",
        "fair",
        "approaching",
    )
    assert treatment.diagnoses == ["F41.1 Generalized anxiety disorder"]
    assert treatment.primary_complaints == ["worry", "poor sleep"]
    actions = [r["action"] for r in await ExportAuditLog.select().order_by(ExportAuditLog.seq)]
    assert actions == ["viewed", "created", "edited"]


async def test_bad_plans_and_strangers_are_refused(client: httpx.AsyncClient, db: None) -> None:
    therapist = await make_user(Role.therapist)
    patient = await make_patient_of(therapist)
    url = f"/api/v1/patients/{patient}/treatment-plan"
    stranger = await bearer(await make_user(Role.therapist))
    assert (await client.put(url, json={}, headers=stranger)).status_code == 404
    bad = await client.put(url, json={"current_status": "cured"}, headers=await bearer(therapist))
    assert bad.status_code == 400 and "current_status" in bad.json()["detail"]

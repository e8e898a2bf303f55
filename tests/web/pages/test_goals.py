"""Treatment goals on the patient page: set a goal, record readings, see progress."""

from __future__ import annotations

import httpx

from core.tables import GoalMeasurement, TreatmentGoal

from .conftest import HX, Clinic, csrf, sign_in


def hx(client: httpx.AsyncClient) -> dict[str, str]:
    return {**HX, **csrf(client)}


async def add_goal(client: httpx.AsyncClient, clinic: Clinic, **fields: str) -> httpx.Response:
    return await client.post(f"/patients/{clinic.patient}/goals", data=fields, headers=hx(client))


async def test_adding_a_goal_with_a_baseline(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    response = await add_goal(
        therapist_client, clinic, description="Reduce anxiety before work", baseline="8/10"
    )
    assert response.status_code == 200, response.text
    assert "Reduce anxiety before work" in response.text
    assert "Baseline 8/10" in response.text
    goal = await TreatmentGoal.select().first()
    assert goal["direction"] == "lower_is_better"  # inferred from "reduce"


async def test_a_reading_shows_progress(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    await add_goal(
        therapist_client,
        clinic,
        description="Anxiety before work",
        direction="lower_is_better",
        baseline="8/10",
    )
    goal = await TreatmentGoal.select(TreatmentGoal.id).first()
    response = await therapist_client.post(
        f"/patients/{clinic.patient}/goals/{goal['id']}/readings",
        data={"value": "5/10", "session_id": ""},
        headers=hx(therapist_client),
    )
    assert response.status_code == 200, response.text
    assert "37.5%" in response.text and "now 5/10" in response.text
    assert await GoalMeasurement.count() == 2


async def test_refused_input_is_explained_and_nothing_is_written(
    therapist_client: httpx.AsyncClient, clinic: Clinic
) -> None:
    blank = await add_goal(therapist_client, clinic, description="  ", baseline="8/10")
    assert blank.status_code == 422
    assert "a goal needs a description" in blank.text and 'role="alert"' in blank.text
    assert await TreatmentGoal.count() == 0

    await add_goal(therapist_client, clinic, description="Sleep seven hours")
    goal = await TreatmentGoal.select(TreatmentGoal.id).first()
    too_long = await therapist_client.post(
        f"/patients/{clinic.patient}/goals/{goal['id']}/readings",
        data={"value": "9" * 101},
        headers=hx(therapist_client),
    )
    assert too_long.status_code == 422
    assert "Sleep seven hours" in too_long.text and 'role="alert"' in too_long.text
    assert await GoalMeasurement.count() == 0


async def test_another_therapists_patient_is_not_found(
    client: httpx.AsyncClient, clinic: Clinic
) -> None:
    await sign_in(client, clinic.therapist_email)
    await add_goal(client, clinic, description="Walk daily", baseline="2 days")
    goal = await TreatmentGoal.select(TreatmentGoal.id).first()
    await client.post("/sign-out", headers=hx(client))
    client.cookies.clear()
    await sign_in(client, clinic.other_email)
    assert (await add_goal(client, clinic, description="Intrude")).status_code == 404
    reading = await client.post(
        f"/patients/{clinic.other_patient}/goals/{goal['id']}/readings",
        data={"value": "5 days"},
        headers=hx(client),
    )
    assert reading.status_code == 404
    assert await TreatmentGoal.count() == 1 and await GoalMeasurement.count() == 1

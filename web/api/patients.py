"""A patient's treatment: goals with progress, and PHQ-9/GAD-7 measures."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED
from pydantic import BaseModel, ConfigDict, Field

from core.access import Actor
from core.audit import RequestOrigin
from core.enums import GoalDirection, Instrument
from core.treatment import goals, measures, plans
from core.treatment.goals import GoalProgressView, GoalReading
from core.treatment.measures import MeasureView
from core.treatment.plans import TreatmentPlanFields, TreatmentPlanView


class MeasureBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    instrument: Instrument
    items: list[int] = Field(description="Item scores 0–3: 9 for PHQ-9, 7 for GAD-7")
    session_id: UUID | None = None


class GoalBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = Field(min_length=3, max_length=500)
    direction: GoalDirection | None = Field(default=None, description="Inferred when omitted")
    baseline: str | None = Field(default=None, max_length=100, description='e.g. "8/10"')


class ReadingBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: str = Field(min_length=1, max_length=100, description='e.g. "5/10" or "6.5 hours"')
    session_id: UUID | None = None


class PatientController(Controller):
    path = "/patients/{patient_id:uuid}"
    tags = ["treatment"]

    @post("/measures", status_code=HTTP_201_CREATED, summary="Record a PHQ-9 or GAD-7")
    async def record_measure(
        self,
        patient_id: FromPath[UUID],
        data: JSONBody[MeasureBody],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> MeasureView:
        return await measures.record_measure(
            actor, patient_id, data.instrument, data.items, data.session_id, origin
        )

    @get("/measures", summary="Measures, oldest first")
    async def list_measures(
        self,
        patient_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        instrument: FromQuery[Instrument | None] = None,
    ) -> list[MeasureView]:
        return await measures.list_measures(actor, patient_id, origin, instrument)

    @get("/goals", summary="Treatment goals with baseline, current value and progress")
    async def list_goals(
        self,
        patient_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        start_date: FromQuery[date | None] = None,
        end_date: FromQuery[date | None] = None,
    ) -> list[GoalProgressView]:
        return await goals.patient_goals(actor, patient_id, origin, start_date, end_date)

    @post("/goals", status_code=HTTP_201_CREATED, summary="Set a treatment goal")
    async def create_goal(
        self,
        patient_id: FromPath[UUID],
        data: JSONBody[GoalBody],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> list[GoalProgressView]:
        await goals.create_goal(
            actor, patient_id, data.description, origin, data.direction, data.baseline
        )
        return await goals.patient_goals(actor, patient_id, origin)

    @get("/treatment-plan", summary="The treatment plan (null until one is recorded)")
    async def get_plan(
        self,
        patient_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> TreatmentPlanView | None:
        return await plans.view_treatment_plan(actor, patient_id, origin)

    @put("/treatment-plan", summary="Record or replace the treatment plan")
    async def save_plan(
        self,
        patient_id: FromPath[UUID],
        data: JSONBody[TreatmentPlanFields],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> TreatmentPlanView:
        return await plans.save_treatment_plan(actor, patient_id, data, origin)


class GoalController(Controller):
    tags = ["treatment"]

    @post(
        "/goals/{goal_id:uuid}/readings",
        status_code=HTTP_201_CREATED,
        summary="Record a goal measurement",
    )
    async def record_reading(
        self,
        goal_id: FromPath[UUID],
        data: JSONBody[ReadingBody],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> GoalReading:
        return await goals.record_goal_measurement(
            actor, goal_id, data.session_id, data.value, origin
        )

"""The treatment plan: what the therapist records about a patient's treatment as a whole.

Treatment summaries print it; anything not recorded here prints "Not recorded".
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from core import audit
from core.access import Actor, require_patient, require_role
from core.audit import RequestOrigin
from core.enums import AuditAction, DischargeReadiness, Role, TreatmentStatus
from core.tables import TreatmentPlan

PLAN_RESOURCE = "treatment_plan"


class TreatmentPlanFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    treatment_type: str | None = Field(default=None, max_length=100, description="e.g. CBT")
    presenting_complaints: list[str] = Field(default_factory=list, max_length=20)
    diagnoses: list[str] = Field(
        default_factory=list, max_length=20, description='e.g. "F41.1 Generalized anxiety disorder"'
    )
    current_status: TreatmentStatus = TreatmentStatus.ongoing
    prognosis: str | None = Field(default=None, max_length=100)
    discharge_readiness: DischargeReadiness | None = None
    started_on: date | None = None


class TreatmentPlanView(TreatmentPlanFields):
    patient_id: UUID
    therapist_id: UUID
    updated_at: datetime


async def treatment_plan(patient_id: UUID) -> TreatmentPlanView | None:
    """For documents and pages that already checked access."""
    row = (
        await TreatmentPlan.select()
        .where(TreatmentPlan.patient_id == patient_id)
        .output(load_json=True)
        .first()
    )
    return TreatmentPlanView.model_validate(_without_id(row)) if row else None


async def view_treatment_plan(
    actor: Actor, patient_id: UUID, origin: RequestOrigin
) -> TreatmentPlanView | None:
    await require_patient(actor, patient_id)
    plan = await treatment_plan(patient_id)
    await audit.record(
        AuditAction.viewed,
        user_id=actor.id,
        patient_id=patient_id,
        origin=origin,
        resource_type=PLAN_RESOURCE,
    )
    return plan


async def save_treatment_plan(
    actor: Actor, patient_id: UUID, fields: TreatmentPlanFields, origin: RequestOrigin
) -> TreatmentPlanView:
    """Create or replace the patient's plan; audited `created` or `edited`."""
    require_role(actor, Role.therapist)
    await require_patient(actor, patient_id)
    values = {**fields.model_dump(mode="json"), "therapist_id": actor.id}
    values["started_on"] = fields.started_on
    async with TreatmentPlan._meta.db.transaction():
        existing = (
            await TreatmentPlan.select(TreatmentPlan.id)
            .where(TreatmentPlan.patient_id == patient_id)
            .first()
        )
        if existing:
            await TreatmentPlan.update(
                {
                    **{getattr(TreatmentPlan, k): v for k, v in values.items()},
                    TreatmentPlan.updated_at: datetime.now(UTC),
                }
            ).where(TreatmentPlan.id == existing["id"])
        else:
            await TreatmentPlan.insert(TreatmentPlan(patient_id=patient_id, **values))
        await audit.record(
            AuditAction.edited if existing else AuditAction.created,
            user_id=actor.id,
            patient_id=patient_id,
            origin=origin,
            resource_type=PLAN_RESOURCE,
        )
    plan = await treatment_plan(patient_id)
    assert plan is not None
    return plan


def _without_id(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "id"}

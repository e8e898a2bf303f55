"""Reading the audit trail: a therapist sees every recorded access to their patients' data,
whoever made it (colleagues, admins through break-glass, the worker)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from piccolo.custom_types import Combinable

from core.access import Actor, require_patient
from core.enums import AuditAction
from core.patients import reachable_patient_ids
from core.tables import ExportAuditLog

AUDIT_ROW = (
    ExportAuditLog.seq,
    ExportAuditLog.created_at,
    ExportAuditLog.action,
    ExportAuditLog.resource_type,
    ExportAuditLog.resource_id,
    ExportAuditLog.export_job_id,
    ExportAuditLog.ip_address,
    ExportAuditLog.user_agent,
    ExportAuditLog.user_id,
    ExportAuditLog.user_id.full_name.as_alias("user_name"),
    ExportAuditLog.patient_id,
    ExportAuditLog.patient_id.full_name.as_alias("patient_name"),
)


async def list_audit_rows(
    actor: Actor,
    *,
    patient_id: UUID | None = None,
    action: AuditAction | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """Audit rows about the actor's patients (or one of them), newest first."""
    if patient_id is not None:
        await require_patient(actor, patient_id)
        where: Combinable = ExportAuditLog.patient_id == patient_id
    else:
        where = ExportAuditLog.patient_id.is_in(reachable_patient_ids(actor))
    if action is not None:
        where &= ExportAuditLog.action == action
    total = await ExportAuditLog.count().where(where)
    rows = (
        await ExportAuditLog.select(*AUDIT_ROW)
        .where(where)
        .order_by(ExportAuditLog.seq, ascending=False)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return rows, total


async def already_shared(
    patient_id: UUID | None, resource_id: UUID, via: str, notices: set[str]
) -> bool:
    """Whether one of `notices` about the resource was already shared `via` a channel (the
    audit log is the memory of what a notifier sent)."""
    where = (ExportAuditLog.action == AuditAction.shared) & (
        ExportAuditLog.resource_id == str(resource_id)
    )
    if patient_id is not None:  # the log is indexed by patient
        where &= ExportAuditLog.patient_id == patient_id
    rows = (
        await ExportAuditLog.select(ExportAuditLog.action_metadata)
        .where(where)
        .output(load_json=True)
    )
    return any(
        row["action_metadata"].get("via") == via and row["action_metadata"].get("notice") in notices
        for row in rows
    )

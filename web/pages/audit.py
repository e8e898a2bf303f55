"""The audit log: every recorded access to the therapist's patients' data."""

from __future__ import annotations

from math import ceil
from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter
from litestar.plugins.htmx import HTMXRequest, HTMXTemplate

from core.access import Actor
from core.audit.trail import list_audit_rows
from core.enums import AuditAction
from core.patients import patient_choices

ROWS_PER_PAGE = 50


class AuditLogController(Controller):
    path = "/audit"
    include_in_schema = False

    @get(name="audit")
    async def index(
        self,
        request: HTMXRequest,
        actor: NamedDependency[Actor],
        patient_id: FromQuery[UUID | None] = None,
        action: FromQuery[AuditAction | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
    ) -> HTMXTemplate:
        rows, total = await list_audit_rows(
            actor, patient_id=patient_id, action=action, page=page, per_page=ROWS_PER_PAGE
        )
        filters = {k: v for k, v in (("patient_id", patient_id), ("action", action)) if v}
        context = {
            "rows": rows,
            "total": total,
            "page": page,
            "pages": max(1, ceil(total / ROWS_PER_PAGE)),
            "filters": filters,
            "query": urlencode(filters),
        }
        if request.htmx:
            url = "/audit" + (f"?{urlencode({**filters, 'page': page})}")
            return HTMXTemplate(template_name="audit/_table.html", context=context, push_url=url)
        context |= {
            "actor": actor,
            "nav": "audit",
            "patients": await patient_choices(actor),
            "actions": list(AuditAction),
        }
        return HTMXTemplate(template_name="audit/index.html", context=context)

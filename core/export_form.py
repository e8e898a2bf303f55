"""The dashboard's export form as an `ExportRequest`: a patient and a date range stand for
the session ids a session-notes export needs, and ticked boxes become the sections shown."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from uuid import UUID

from core.access import Actor, require_patient
from core.documents.context import CONTEXT_TYPES
from core.enums import ExportFormat, ExportType, PdfVariant
from core.errors import Invalid
from core.exports.requests import MAX_SESSIONS_PER_EXPORT, ExportRequest
from core.sessions.selection import processed_session_ids


def sections_of(export_type: ExportType) -> tuple[str, ...]:
    return CONTEXT_TYPES[export_type].SECTIONS


async def export_request_from_form(
    actor: Actor,
    *,
    export_type: ExportType,
    patient_id: UUID,
    start: date | None,
    end: date | None,
    export_format: ExportFormat,
    sections: Collection[str],
    pdf_variant: PdfVariant,
    signed_only: bool | None = None,
) -> ExportRequest:
    """The request the form describes; raises Invalid (or pydantic's ValidationError)."""
    session_ids: list[UUID] = []
    if export_type == ExportType.session_notes:
        await require_patient(actor, patient_id)
        session_ids = await processed_session_ids(patient_id, start=start, end=end)
        if not session_ids:
            raise Invalid("this patient has no processed sessions in the chosen dates")
        if len(session_ids) > MAX_SESSIONS_PER_EXPORT:
            raise Invalid(
                f"more than {MAX_SESSIONS_PER_EXPORT} sessions in the chosen dates; "
                "choose a shorter range"
            )
    return ExportRequest(
        export_type=export_type,
        format=export_format,
        patient_id=patient_id,
        session_ids=session_ids,
        start_date=start,
        end_date=end,
        include_sections={name: name in sections for name in sections_of(export_type)},
        pdf_variant=pdf_variant if export_format == ExportFormat.pdf else PdfVariant.standard,
        # unset: the export type's default (ExportRequest.signed_only)
        **({} if signed_only is None else {"signed_only": signed_only}),
    )

"""Closed vocabularies shared by the tables, the services and the API."""

from enum import StrEnum


class Role(StrEnum):
    therapist = "therapist"
    patient = "patient"
    admin = "admin"


class Relationship(StrEnum):
    primary = "primary"
    secondary = "secondary"


class SessionStatus(StrEnum):
    uploading = "uploading"
    transcribing = "transcribing"
    transcribed = "transcribed"
    extracting_notes = "extracting_notes"
    processed = "processed"
    failed = "failed"


class NoteTemplate(StrEnum):
    soap = "soap"
    dap = "dap"
    birp = "birp"
    progress = "progress"


class NoteStatus(StrEnum):
    draft = "draft"
    signed = "signed"
    amended = "amended"


class GoalDirection(StrEnum):
    lower_is_better = "lower_is_better"
    higher_is_better = "higher_is_better"


class GoalStatus(StrEnum):
    active = "active"
    achieved = "achieved"
    discontinued = "discontinued"


class Instrument(StrEnum):
    phq9 = "phq9"
    gad7 = "gad7"


class ExportType(StrEnum):
    session_notes = "session_notes"
    progress_report = "progress_report"
    treatment_summary = "treatment_summary"
    full_record = "full_record"


class ExportFormat(StrEnum):
    pdf = "pdf"
    docx = "docx"
    json = "json"
    csv = "csv"
    zip = "zip"  # bulk exports only


class PdfVariant(StrEnum):
    standard = "standard"
    pdfa = "pdf/a-3b"
    pdfua = "pdf/ua-1"


class ExportStatus(StrEnum):
    pending = "pending"
    processing = "processing"
    completed = "completed"
    failed = "failed"
    expired = "expired"


class AuditAction(StrEnum):
    created = "created"
    viewed = "viewed"
    downloaded = "downloaded"
    deleted = "deleted"
    shared = "shared"
    edited = "edited"
    signed = "signed"
    amended = "amended"
    break_glass = "break_glass"


class Cadence(StrEnum):
    weekly = "weekly"
    monthly = "monthly"


class TreatmentStatus(StrEnum):
    ongoing = "ongoing"
    on_hold = "on_hold"
    discharged = "discharged"


class DischargeReadiness(StrEnum):
    not_ready = "not_ready"
    approaching = "approaching"
    ready = "ready"

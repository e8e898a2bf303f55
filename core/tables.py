"""The PostgreSQL schema as piccolo tables. Migrations live in `piccolo_migrations/`.

Foreign keys are named `<thing>_id`, so the attribute, the SQL column and the key in a
selected row are one name (`ExportJob.user_id`, `row["user_id"]`). Composite indexes and
unique pairs that piccolo cannot express as column options are created by raw SQL in the
migrations; they are listed next to the table they belong to.
"""

from piccolo.columns import (
    JSONB,
    UUID,
    BigInt,
    Boolean,
    Date,
    Integer,
    Real,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.column_types import ForeignKey, OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from core.enums import (
    AuditAction,
    Cadence,
    DischargeReadiness,
    ExportFormat,
    ExportStatus,
    ExportType,
    GoalDirection,
    GoalStatus,
    Instrument,
    NoteStatus,
    NoteTemplate,
    Relationship,
    Role,
    SessionStatus,
    TreatmentStatus,
)


def _now() -> Timestamptz:
    return Timestamptz(default=TimestamptzNow())


class User(Table, tablename="users"):
    id = UUID(primary_key=True)
    role = Varchar(length=16, choices=Role)
    full_name = Varchar(length=200)
    first_name = Varchar(length=100, default="")
    last_name = Varchar(length=100, default="")
    email = Varchar(length=254, unique=True)
    dob = Date(null=True, default=None)
    phone = Varchar(length=40, null=True, default=None)
    license = Varchar(length=100, null=True, default=None)
    handle = Varchar(length=64, unique=True)  # what `@patient` in Slack refers to
    slack_user_id = Varchar(length=32, unique=True, null=True, default=None)
    password_hash = Text(null=True, default=None)
    active = Boolean(default=True)
    created_at = _now()
    updated_at = _now()


class TherapistPatient(Table, tablename="therapist_patients"):
    # unique (therapist, patient)
    id = UUID(primary_key=True)
    therapist_id = ForeignKey(null=False, references=User, on_delete=OnDelete.cascade)
    patient_id = ForeignKey(null=False, references=User, on_delete=OnDelete.cascade, index=True)
    relationship_type = Varchar(length=16, choices=Relationship, default=Relationship.primary)
    created_at = _now()


class TherapySession(Table, tablename="therapy_sessions"):
    # index (patient, session_date, status); index (therapist, session_date)
    id = UUID(primary_key=True)
    patient_id = ForeignKey(null=False, references=User, on_delete=OnDelete.restrict)
    therapist_id = ForeignKey(null=False, references=User, on_delete=OnDelete.restrict)
    session_date = Timestamptz(default=TimestamptzNow())
    status = Varchar(length=20, choices=SessionStatus, default=SessionStatus.uploading)
    progress = Integer(default=0)
    duration_seconds = Integer(null=True, default=None)
    audio_path = Text(null=True, default=None)
    audio_sha256 = Varchar(length=64, null=True, default=None)
    audio_format = Varchar(length=16, null=True, default=None)
    language = Varchar(length=16, null=True, default=None)
    transcript_text = Text(null=True, default=None)
    transcript_segments = JSONB(null=True, default=None)
    extracted_notes = JSONB(null=True, default=None)
    therapist_summary = Text(null=True, default=None)
    patient_summary = Text(null=True, default=None)
    risk_flags = JSONB(null=True, default=None)
    error_message = Text(null=True, default=None)
    sweep_count = Integer(default=0)  # times the sweeper re-enqueued a lost pipeline job
    # Each transcript correction advances the first; re-analysis brings the second up to it.
    transcript_revision = Integer(default=0)
    analysed_revision = Integer(default=0)
    processed_at = Timestamptz(null=True, default=None)
    created_at = _now()
    updated_at = _now()


class ClinicalNote(Table, tablename="clinical_notes"):
    # unique (session, template) among current versions is enforced by the notes service
    id = UUID(primary_key=True)
    session_id = ForeignKey(
        null=False, references=TherapySession, on_delete=OnDelete.cascade, index=True
    )
    author_id = ForeignKey(null=False, references=User, on_delete=OnDelete.restrict)
    template = Varchar(length=16, choices=NoteTemplate)
    sections = JSONB(default="{}")
    confidence_scores = JSONB(default="{}")
    missing_fields = JSONB(default="{}")
    metadata = JSONB(default="{}")
    # What the note states as reports count it (core.notes.record), kept as it was signed.
    record = JSONB(null=True, default=None)
    status = Varchar(length=16, choices=NoteStatus, default=NoteStatus.draft)
    version = Integer(default=1)
    signed_by_id = ForeignKey(references=User, null=True, on_delete=OnDelete.restrict)
    signed_at = Timestamptz(null=True, default=None)
    content_sha256 = Varchar(length=64, null=True, default=None)
    amendment_of_id: ForeignKey["ClinicalNote"] = ForeignKey(
        references="self", null=True, on_delete=OnDelete.restrict
    )
    amendment_reason = Text(null=True, default=None)
    created_at = _now()
    updated_at = _now()


class TreatmentGoal(Table, tablename="treatment_goals"):
    id = UUID(primary_key=True)
    patient_id = ForeignKey(null=False, references=User, on_delete=OnDelete.cascade, index=True)
    therapist_id = ForeignKey(null=False, references=User, on_delete=OnDelete.restrict)
    description = Text()
    direction = Varchar(length=20, choices=GoalDirection, default=GoalDirection.lower_is_better)
    status = Varchar(length=16, choices=GoalStatus, default=GoalStatus.active)
    source_session_id = ForeignKey(
        references=TherapySession, null=True, on_delete=OnDelete.set_null
    )
    created_at = _now()
    updated_at = _now()


class TreatmentPlan(Table, tablename="treatment_plans"):
    """What the therapist records about the treatment as a whole (one per patient)."""

    id = UUID(primary_key=True)
    patient_id = ForeignKey(null=False, references=User, on_delete=OnDelete.cascade, unique=True)
    therapist_id = ForeignKey(null=False, references=User, on_delete=OnDelete.restrict)
    treatment_type = Varchar(length=100, null=True, default=None)
    presenting_complaints = JSONB(default="[]")
    diagnoses = JSONB(default="[]")  # ["F41.1 Generalized anxiety disorder", …]
    current_status = Varchar(length=16, choices=TreatmentStatus, default=TreatmentStatus.ongoing)
    prognosis = Varchar(length=100, null=True, default=None)
    discharge_readiness = Varchar(length=16, choices=DischargeReadiness, null=True, default=None)
    started_on = Date(null=True, default=None)
    updated_at = _now()


class GoalMeasurement(Table, tablename="goal_measurements"):
    # unique (goal, session): one reading per goal per session
    id = UUID(primary_key=True)
    goal_id = ForeignKey(
        null=False, references=TreatmentGoal, on_delete=OnDelete.cascade, index=True
    )
    session_id = ForeignKey(references=TherapySession, null=True, on_delete=OnDelete.cascade)
    value = Varchar(length=100)  # as said: "8/10", "4 hours", "better"
    numeric_value = Real(null=True, default=None)
    scale_max = Real(null=True, default=None)
    recorded_at = _now()


class MeasureScore(Table, tablename="measure_scores"):
    # index (patient, recorded_at)
    id = UUID(primary_key=True)
    patient_id = ForeignKey(null=False, references=User, on_delete=OnDelete.cascade)
    session_id = ForeignKey(references=TherapySession, null=True, on_delete=OnDelete.set_null)
    recorded_by_id = ForeignKey(null=False, references=User, on_delete=OnDelete.restrict)
    instrument = Varchar(length=8, choices=Instrument)
    items = JSONB()
    total = Integer()
    severity = Varchar(length=32)
    recorded_at = _now()


class ExportTemplate(Table, tablename="export_templates"):
    id = UUID(primary_key=True)
    name = Varchar(length=200)
    export_type = Varchar(length=32, choices=ExportType)
    format = Varchar(length=8, choices=ExportFormat)
    template_content = Text(null=True, default=None)
    include_sections = JSONB(default="{}")
    is_system = Boolean(default=False)
    created_by_id = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = _now()
    updated_at = _now()


class ScheduledExport(Table, tablename="scheduled_exports"):
    id = UUID(primary_key=True)
    user_id = ForeignKey(null=False, references=User, on_delete=OnDelete.cascade, index=True)
    patient_id = ForeignKey(null=False, references=User, on_delete=OnDelete.cascade)
    export_type = Varchar(length=32, choices=ExportType)
    format = Varchar(length=8, choices=ExportFormat)
    cadence = Varchar(length=16, choices=Cadence)
    parameters = JSONB(default="{}")
    slack_channel_id = Varchar(length=32, null=True, default=None)
    next_run_at = Timestamptz(index=True)
    last_run_at = Timestamptz(null=True, default=None)
    active = Boolean(default=True)
    created_at = _now()


class ExportJob(Table, tablename="export_jobs"):
    # index (user, created_at); index (status, created_at) for the sweeper
    id = UUID(primary_key=True)
    user_id = ForeignKey(null=False, references=User, on_delete=OnDelete.restrict)
    patient_id = ForeignKey(references=User, null=True, on_delete=OnDelete.restrict)
    template_id = ForeignKey(references=ExportTemplate, null=True, on_delete=OnDelete.set_null)
    schedule_id = ForeignKey(references=ScheduledExport, null=True, on_delete=OnDelete.set_null)
    export_type = Varchar(length=32, choices=ExportType)
    format = Varchar(length=8, choices=ExportFormat)
    status = Varchar(length=16, choices=ExportStatus, default=ExportStatus.pending)
    parameters = JSONB(default="{}")
    delivery = JSONB(default="{}")  # where to deliver when done, e.g. a Slack channel
    file_path = Text(null=True, default=None)
    file_size_bytes = BigInt(null=True, default=None)
    file_sha256 = Varchar(length=64, null=True, default=None)
    file_format = Varchar(length=8, null=True, default=None)  # "zip" when split into volumes
    error_message = Text(null=True, default=None)
    attempts = Integer(default=0)
    sweep_count = Integer(default=0)  # times the sweeper re-enqueued a lost job
    started_at = Timestamptz(null=True, default=None)
    completed_at = Timestamptz(null=True, default=None)
    expires_at = Timestamptz(null=True, default=None)
    created_at = _now()


class ExportAuditLog(Table, tablename="export_audit_log"):
    """The PHI audit trail: every creation, view, edit, download, deletion and share.

    Rows are hash-chained in `seq` order (`row_hash` covers the row and `prev_hash`);
    the application has no update or delete path for them.
    """

    # index (patient, created_at)
    id = UUID(primary_key=True)
    seq = Serial()
    export_job_id = ForeignKey(references=ExportJob, null=True, on_delete=OnDelete.restrict)
    user_id = ForeignKey(references=User, null=True, on_delete=OnDelete.restrict)
    patient_id = ForeignKey(references=User, null=True, on_delete=OnDelete.restrict)
    action = Varchar(length=16, choices=AuditAction)
    resource_type = Varchar(length=32, default="export")
    resource_id = Varchar(length=64, null=True, default=None)
    ip_address = Varchar(length=45, null=True, default=None)
    user_agent = Text(null=True, default=None)
    action_metadata = JSONB(default="{}")
    prev_hash = Varchar(length=64, default="")
    row_hash = Varchar(length=64, default="")
    created_at = _now()


class ApiToken(Table, tablename="api_tokens"):
    id = UUID(primary_key=True)
    user_id = ForeignKey(null=False, references=User, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=100)
    token_hash = Varchar(length=64, unique=True)
    prefix = Varchar(length=16)
    created_at = _now()
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class SlackLinkCode(Table, tablename="slack_link_codes"):
    id = UUID(primary_key=True)
    user_id = ForeignKey(null=False, references=User, on_delete=OnDelete.cascade)
    code_hash = Varchar(length=64, unique=True)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class BreakGlassGrant(Table, tablename="break_glass_grants"):
    id = UUID(primary_key=True)
    admin_id = ForeignKey(null=False, references=User, on_delete=OnDelete.restrict)
    patient_id = ForeignKey(null=False, references=User, on_delete=OnDelete.restrict)
    reason = Text()
    expires_at = Timestamptz()
    created_at = _now()


ALL_TABLES: list[type[Table]] = [
    User,
    TherapistPatient,
    TherapySession,
    ClinicalNote,
    TreatmentGoal,
    TreatmentPlan,
    GoalMeasurement,
    MeasureScore,
    ExportTemplate,
    ScheduledExport,
    ExportJob,
    ExportAuditLog,
    ApiToken,
    SlackLinkCode,
    BreakGlassGrant,
]

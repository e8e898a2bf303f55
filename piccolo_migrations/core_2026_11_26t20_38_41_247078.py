from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-26T20:38:41:247078"
VERSION = "1.38.0"
DESCRIPTION = "composite keys and indexes, checks, append-only audit log"

# What piccolo cannot express as column options.
RAW_SQL = [
    "ALTER TABLE therapist_patients ADD CONSTRAINT therapist_patients_pair_key"
    " UNIQUE (therapist_id, patient_id)",
    "CREATE UNIQUE INDEX therapist_patients_one_primary ON therapist_patients (patient_id)"
    " WHERE relationship_type = 'primary'",
    "ALTER TABLE therapy_sessions ADD CONSTRAINT therapy_sessions_progress_range"
    " CHECK (progress BETWEEN 0 AND 100)",
    "CREATE INDEX therapy_sessions_patient_date_status"
    " ON therapy_sessions (patient_id, session_date DESC, status)",
    "CREATE INDEX therapy_sessions_therapist_date ON therapy_sessions (therapist_id, session_date DESC)",
    "CREATE INDEX therapy_sessions_status ON therapy_sessions (status) WHERE status <> 'processed'",
    "CREATE INDEX clinical_notes_session_template ON clinical_notes (session_id, template, version)",
    "CREATE UNIQUE INDEX goal_measurements_goal_session ON goal_measurements (goal_id, session_id)",
    "CREATE INDEX measure_scores_patient_recorded ON measure_scores (patient_id, recorded_at)",
    "CREATE INDEX export_jobs_user_created ON export_jobs (user_id, created_at DESC)",
    "CREATE INDEX export_jobs_status_created ON export_jobs (status, created_at)",
    "CREATE INDEX export_jobs_expires ON export_jobs (expires_at) WHERE status = 'completed'",
    "CREATE INDEX export_audit_log_patient_created ON export_audit_log (patient_id, created_at DESC)",
    "CREATE UNIQUE INDEX export_audit_log_seq ON export_audit_log (seq)",
    """CREATE FUNCTION export_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'export_audit_log is append-only';
    END $$""",
    "CREATE TRIGGER export_audit_log_no_update_delete BEFORE UPDATE OR DELETE ON export_audit_log"
    " FOR EACH ROW EXECUTE FUNCTION export_audit_log_append_only()",
]


class RawSQL(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def run_raw_sql() -> None:
        for statement in RAW_SQL:
            await RawSQL.raw(statement)

    manager.add_raw(run_raw_sql)
    return manager

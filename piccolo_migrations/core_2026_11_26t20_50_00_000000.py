from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-26T20:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one current clinical note per session and template; one amendment per note"

RAW_SQL = [
    "CREATE UNIQUE INDEX clinical_notes_one_current ON clinical_notes (session_id, template)"
    " WHERE status <> 'amended'",
    "CREATE UNIQUE INDEX clinical_notes_one_amendment ON clinical_notes (amendment_of_id)",
    "CREATE UNIQUE INDEX clinical_notes_session_template_version"
    " ON clinical_notes (session_id, template, version)",
    "DROP INDEX clinical_notes_session_template",
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

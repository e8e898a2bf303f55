"""Applies the committed piccolo migrations (idempotent: applied ones are skipped)."""

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import run_forwards


class MigrationFailed(Exception):
    pass


async def migrate() -> None:
    # piccolo prints a progress report for every migration; keep start-up output to our lines.
    with contextlib.redirect_stdout(io.StringIO()):
        result = await run_forwards(app_name="core")
    if not result.success:
        raise MigrationFailed(f"migration failed: {result.message}")

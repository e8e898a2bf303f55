"""`tb audit verify`: walk the audit log's hash chain."""

from __future__ import annotations

import asyncio

import click

from cli.errors import CommandError, one_line_errors
from cli.runtime import require_services
from core.settings import get_settings

EXIT_TAMPERED = 4


@click.group()
def audit() -> None:
    """Inspect the PHI audit log."""


@audit.command("verify")
@one_line_errors
def verify() -> None:
    """Check every row's hash and link; report the first broken one."""
    from core.audit import verify_chain

    require_services(get_settings(), redis=False)
    report = asyncio.run(verify_chain())
    if not report.intact:
        raise CommandError(
            f"audit chain broken at row seq={report.first_broken_seq}: {report.reason} "
            f"({report.rows_checked} rows before it verified)",
            EXIT_TAMPERED,
        )
    click.echo(f"audit chain intact: {report.rows_checked} rows verified")


COMMANDS = [audit]

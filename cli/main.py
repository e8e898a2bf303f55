"""The `tb` command group; each command module adds its commands here."""

from __future__ import annotations

import click

from cli import admin, audit, run, tokens


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """TherapyBridge: clinical documentation for psychotherapists."""


for command in (*run.COMMANDS, *admin.COMMANDS, *audit.COMMANDS, *tokens.COMMANDS):
    main.add_command(command)

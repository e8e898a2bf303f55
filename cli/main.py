"""The `tb` command group; each command module adds its commands here."""

from __future__ import annotations

import click

from cli import admin, audit, documents, keys, notes, pipeline, run, slack, tokens


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """TherapyBridge: clinical documentation for psychotherapists."""


for module in (run, admin, audit, documents, keys, notes, pipeline, tokens, slack):
    for command in module.COMMANDS:
        main.add_command(command)

"""`tb keys generate|rotate`: the encryption key of stored files."""

from __future__ import annotations

import os

import click

from cli.errors import CommandError, one_line_errors
from core.settings import get_settings, new_encryption_key, replace_dev_encryption_key


@click.group()
def keys() -> None:
    """Manage the key that encrypts stored audio and documents."""


@keys.command("generate")
def generate() -> None:
    """Print a new random key for ENCRYPTION_KEY."""
    click.echo(new_encryption_key())


@keys.command("rotate")
@click.option(
    "--generate",
    "generate_key",
    is_flag=True,
    help="Development: make a new key in DATA_DIR/secrets.json first.",
)
@one_line_errors
def rotate(generate_key: bool) -> None:
    """Re-seal every stored file under ENCRYPTION_KEY.

    In production, set the new ENCRYPTION_KEY and the old one in PREVIOUS_ENCRYPTION_KEYS,
    restart, run this, then drop PREVIOUS_ENCRYPTION_KEYS. Stop the worker while it runs.
    """
    from core.infra.storage import storage_from_settings

    settings = get_settings()
    if generate_key:
        if settings.is_production or os.environ.get("ENCRYPTION_KEY"):
            raise CommandError("--generate is for development keys kept in DATA_DIR/secrets.json")
        replace_dev_encryption_key(settings.data_dir, keep_previous=True)
        get_settings.cache_clear()
        settings = get_settings()  # with the new key
    rotated, current = storage_from_settings(settings).rotate()
    if generate_key:
        replace_dev_encryption_key(get_settings().data_dir, keep_previous=False)
    click.echo(f"{rotated} files re-sealed, {current} already under the current key")
    if get_settings().previous_encryption_keys and not generate_key:
        click.echo("every file is now under ENCRYPTION_KEY: PREVIOUS_ENCRYPTION_KEYS can go")


COMMANDS = [keys]

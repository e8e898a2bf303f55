"""`tb render`: a document from a context file, offline."""

from __future__ import annotations

from pathlib import Path

import click
from pydantic import ValidationError

from cli.errors import CommandError, one_line_errors
from core.enums import ExportFormat, ExportType


@click.command()
@click.argument("export_type", type=click.Choice([t.value.replace("_", "-") for t in ExportType]))
@click.option(
    "--context",
    "context_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A context JSON file (an export's JSON form; see templates/exports/examples/).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in ExportFormat if f != ExportFormat.zip]),
    default="pdf",
    show_default=True,
)
@click.option(
    "-o", "--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@one_line_errors
def render(export_type: str, context_path: Path, fmt: str, out_path: Path) -> None:
    """Render EXPORT_TYPE (session-notes, progress-report, …) from a context file."""
    from core.documents.errors import DocumentError
    from core.documents.service import render_context_file

    try:
        render_context_file(export_type.replace("-", "_"), context_path, fmt, out_path)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CommandError(f"{context_path}: {where}: {first['msg']}") from None
    except (DocumentError, ValueError, UnicodeDecodeError) as error:
        raise CommandError(f"{context_path}: {error}") from None
    click.echo(f"wrote {out_path} ({out_path.stat().st_size:,} bytes)")


COMMANDS = [render]

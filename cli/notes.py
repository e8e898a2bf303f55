"""`tb autofill`: draft a clinical note from a transcript file, offline."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cli.errors import CommandError, one_line_errors
from core.enums import NoteTemplate
from core.errors import DomainError


@click.command()
@click.argument("transcript", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--template",
    type=click.Choice([t.value for t in NoteTemplate]),
    default="soap",
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@one_line_errors
def autofill(transcript: Path, template: str, as_json: bool) -> None:
    """Fill a SOAP/DAP/BIRP/progress note from a `T:`/`P:` transcript."""
    from core.notes.transcript_draft import autofill_transcript_file

    try:
        result = autofill_transcript_file(transcript, NoteTemplate(template))
    except (DomainError, UnicodeDecodeError) as error:
        raise CommandError(f"{transcript}: {error}") from None
    if as_json:
        click.echo(json.dumps(result.model_dump(mode="json"), indent=2))
        return
    for section, fields in result.sections.items():
        score = result.confidence_scores.get(section, 0.0)
        click.echo(f"{section.upper()}  (confidence {score:.2f})")
        for name, text in fields.items():
            click.echo(f"  {name}: {text or '— missing'}")
    click.echo(f"overall confidence {result.metadata.overall_confidence}")


COMMANDS = [autofill]

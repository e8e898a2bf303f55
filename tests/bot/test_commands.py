"""Parsing `/tb` text: pure, no database."""

from __future__ import annotations

from datetime import date

import pytest

from bot.commands import (
    CommandError,
    ExportCommand,
    Help,
    LinkCommand,
    NoteCommand,
    SessionsCommand,
    SessionSelection,
    StatusCommand,
    command_text,
    parse_command,
)
from core.enums import ExportFormat, ExportType, NoteTemplate

TODAY = date(2025, 3, 31)


def parse(text: str) -> object:
    return parse_command(text, TODAY)


@pytest.mark.parametrize("text", ["", "help", "HELP", "  help  "])
def test_help(text: str) -> None:
    assert parse(text) == Help()


def test_progress_report_defaults_to_the_last_30_days_as_pdf() -> None:
    assert parse("export progress-report @river") == ExportCommand(
        ExportType.progress_report,
        "river",
        ExportFormat.pdf,
        start_date=date(2025, 3, 1),
        end_date=TODAY,
    )


@pytest.mark.parametrize(
    ("period", "start"),
    [
        ("last 30d", date(2025, 3, 1)),
        ("last 30 days", date(2025, 3, 1)),
        ("last 2w", date(2025, 3, 17)),
        ("last 1m", date(2025, 2, 28)),  # 31 March → 28 February, clamped
        ("last 12 months", date(2024, 3, 31)),
    ],
)
def test_progress_report_periods(period: str, start: date) -> None:
    command = parse(f"export progress-report @river {period}")
    assert isinstance(command, ExportCommand)
    assert (command.start_date, command.end_date) == (start, TODAY)


def test_progress_report_with_a_range_and_a_format_in_any_order() -> None:
    command = parse("export progress-report @River docx 2025-01-01..2025-03-15")
    assert command == ExportCommand(
        ExportType.progress_report,
        "river",
        ExportFormat.docx,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 3, 15),
    )


@pytest.mark.parametrize(
    ("options", "selection"),
    [
        ("", SessionSelection("latest")),
        ("latest", SessionSelection("latest")),
        ("last 3", SessionSelection("last", count=3)),
        ("2025-03-04 csv", SessionSelection("date", day=date(2025, 3, 4))),
    ],
)
def test_session_notes_selection(options: str, selection: SessionSelection) -> None:
    command = parse(f"export session-notes river {options}")
    assert isinstance(command, ExportCommand)
    assert command.sessions == selection


def test_other_exports_take_a_format_only() -> None:
    assert parse("export full-record @river json") == ExportCommand(
        ExportType.full_record, "river", ExportFormat.json
    )
    with pytest.raises(CommandError, match="is not an option"):
        parse("export treatment-summary @river last 30d")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("export", "Usage: `/tb export TYPE @patient"),
        ("export invoice @river", "is not an export type"),
        ("export full-record @Ri ver!", "is not an option"),
        ("export full-record @x", "is not a patient handle"),
        ("export full-record @river zip", "Documents come as"),
        ("export full-record @river pdf docx", "one format at most"),
        ("export progress-report @river 2025-03-10..2025-03-01", "ends (2025-03-01) before"),
        ("export progress-report @river 2025-02-30..2025-03-01", "is not a date"),
        ("export progress-report @river last 0d", "at least one day"),
        ("export progress-report @river last fortnight", "is not a period"),
        ("export session-notes @river last 0", "takes N from 1"),
        ("export session-notes @river yesterday", "is not a session choice"),
        ("note", "Usage: `/tb note TEMPLATE @patient"),
        ("note soap", "Usage: `/tb note TEMPLATE @patient"),
        ("note narrative @river", "`narrative` is not a note template; use one of `soap`"),
        ("note soap @x", "is not a patient handle"),
        ("note soap @river yesterday", "`yesterday` is not a session choice"),
        ("note soap @river 2025-02-30", "is not a date"),
        ("note soap @river last 3", "is not a session choice"),
        ("status one two", "at most one argument"),
        ("status xyz", "is not a job id"),
        ("link", "Usage: `/tb link CODE`"),
        ("dance", "I don't know `dance`"),
    ],
)
def test_malformed_commands_say_why(text: str, message: str) -> None:
    with pytest.raises(CommandError) as raised:
        parse(text)
    assert message in str(raised.value)


def test_status_sessions_and_link() -> None:
    assert parse("status") == StatusCommand()
    assert parse("status 1A2B3C4D") == StatusCommand("1a2b3c4d")
    assert parse("sessions") == SessionsCommand()
    assert parse("sessions @river") == SessionsCommand("river")
    assert parse("link abcd-efgh") == LinkCommand("abcd-efgh")


@pytest.mark.parametrize(
    "text",
    [
        "export progress-report @river 2025-01-01..2025-03-15 docx",
        "export session-notes @river last 3 pdf",
        "export session-notes @river 2025-03-04 csv",
        "export full-record @river json",
    ],
)
def test_command_text_asks_for_the_same_export(text: str) -> None:
    command = parse(text)
    assert isinstance(command, ExportCommand)
    assert command_text(command) == text
    assert parse(command_text(command.with_handle("sky"))) == command.with_handle("sky")


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("note soap @river", NoteCommand(NoteTemplate.soap, "river")),
        ("note DAP River last", NoteCommand(NoteTemplate.dap, "river")),
        ("note birp @river latest", NoteCommand(NoteTemplate.birp, "river")),
        (
            "note progress @river 2025-03-04",
            NoteCommand(NoteTemplate.progress, "river", date(2025, 3, 4)),
        ),
    ],
)
def test_note_commands(text: str, command: NoteCommand) -> None:
    assert parse(text) == command
    assert parse(command_text(command.with_handle("sky"))) == command.with_handle("sky")

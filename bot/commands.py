"""`/tb …` text → a command, or a message saying what is wrong. Pure: no I/O.

help
export progress-report @patient [last 30d | 2025-01-01..2025-03-31] [pdf|docx|json|csv]
export session-notes @patient [latest | last N | 2025-03-04] [pdf|docx|json|csv]
export treatment-summary @patient [pdf|docx|json|csv]
export full-record @patient [pdf|docx|json|csv]
note soap|dap|birp|progress @patient [last | 2025-03-04]
status [JOB]
sessions [@patient]
link CODE
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from core.documents.formats import DOCUMENT_FORMATS
from core.enums import ExportFormat, ExportType, NoteTemplate
from core.exports.requests import MAX_SESSIONS_PER_EXPORT
from core.users import HANDLE_PATTERN

USAGE = """\
`/tb help` — this list
`/tb export progress-report @patient [last 30d | 2025-01-01..2025-03-31] [pdf|docx|json|csv]`
`/tb export session-notes @patient [latest | last N | 2025-03-04] [pdf|docx|json|csv]`
`/tb export treatment-summary @patient [pdf|docx|json|csv]`
`/tb export full-record @patient [pdf|docx|json|csv]`
`/tb note soap|dap|birp|progress @patient [last | 2025-03-04]` — draft (or find) that note \
for your last processed session with them, or the one on that day
`/tb status [JOB]` — your recent exports, or one of them
`/tb sessions [@patient]` — recent sessions
`/tb link CODE` — connect Slack to your account (the code is on the dashboard's settings page)"""

EXPORT_TYPES = {export_type.value.replace("_", "-"): export_type for export_type in ExportType}
DEFAULT_PERIOD_DAYS = 30
_LAST = re.compile(r"^last\s+(\d+)\s*(d|days?|w|weeks?|m|months?)?$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_JOB = re.compile(r"^[0-9a-f]{4,8}$|^[0-9a-f]{8}-[0-9a-f-]{27}$")


class CommandError(ValueError):
    """The text is not a command we understand; the message tells the user why."""


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class SessionSelection:
    kind: Literal["latest", "last", "date"]
    count: int = 1
    day: date | None = None


@dataclass(frozen=True)
class ExportCommand:
    export_type: ExportType
    handle: str
    format: ExportFormat = ExportFormat.pdf
    start_date: date | None = None  # progress reports
    end_date: date | None = None
    sessions: SessionSelection | None = None  # session notes

    def with_handle(self, handle: str) -> ExportCommand:
        return ExportCommand(
            self.export_type, handle, self.format, self.start_date, self.end_date, self.sessions
        )


@dataclass(frozen=True)
class NoteCommand:
    template: NoteTemplate
    handle: str
    day: date | None = None  # None: the last processed session

    def with_handle(self, handle: str) -> NoteCommand:
        return NoteCommand(self.template, handle, self.day)


@dataclass(frozen=True)
class StatusCommand:
    job: str | None = None  # a job id or its first characters


@dataclass(frozen=True)
class SessionsCommand:
    handle: str | None = None


@dataclass(frozen=True)
class LinkCommand:
    code: str


SlashCommand = Help | ExportCommand | NoteCommand | StatusCommand | SessionsCommand | LinkCommand


def parse_command(text: str, today: date) -> SlashCommand:
    words = text.split()
    if not words or words[0].lower() == "help":
        return Help()
    verb, rest = words[0].lower(), words[1:]
    if verb == "export":
        return _export(rest, today)
    if verb == "note":
        return _note(rest)
    if verb == "status":
        return StatusCommand(_job_reference(rest[0]) if _one_at_most(rest, "status") else None)
    if verb == "sessions":
        return SessionsCommand(_handle(rest[0]) if _one_at_most(rest, "sessions") else None)
    if verb == "link":
        if len(rest) != 1:
            raise CommandError(
                "Usage: `/tb link CODE` with the code from the dashboard's settings."
            )
        return LinkCommand(rest[0])
    raise CommandError(f"I don't know `{verb}`. Here is what I can do:\n{USAGE}")


def _one_at_most(words: list[str], verb: str) -> bool:
    if len(words) > 1:
        raise CommandError(f"`/tb {verb}` takes at most one argument.")
    return bool(words)


def _handle(word: str) -> str:
    handle = word.removeprefix("@").lower()
    if not HANDLE_PATTERN.match(handle):
        raise CommandError(f"`{word}` is not a patient handle (like `@jdoe`).")
    return handle


def _job_reference(word: str) -> str:
    reference = word.lower()
    if not _JOB.match(reference):
        raise CommandError(f"`{word}` is not a job id (the 8 characters shown with each export).")
    return reference


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"`{text}` is not a date (use YYYY-MM-DD).") from None


def _export(words: list[str], today: date) -> ExportCommand:
    if len(words) < 2:
        raise CommandError(
            "Usage: `/tb export TYPE @patient …` where TYPE is one of "
            f"{', '.join(f'`{name}`' for name in EXPORT_TYPES)}."
        )
    export_type = EXPORT_TYPES.get(words[0].lower().replace("_", "-"))
    if export_type is None:
        raise CommandError(
            f"`{words[0]}` is not an export type; use one of "
            f"{', '.join(f'`{name}`' for name in EXPORT_TYPES)}."
        )
    handle = _handle(words[1])
    fmt, options = _take_format(words[2:])
    if export_type == ExportType.progress_report:
        start, end = _period(options, today)
        return ExportCommand(export_type, handle, fmt, start_date=start, end_date=end)
    if export_type == ExportType.session_notes:
        return ExportCommand(export_type, handle, fmt, sessions=_selection(options))
    if options:
        raise CommandError(f"`{' '.join(options)}` is not an option of {words[0]}.")
    return ExportCommand(export_type, handle, fmt)


def _note(words: list[str]) -> NoteCommand:
    templates = ", ".join(f"`{template.value}`" for template in NoteTemplate)
    if len(words) < 2:
        raise CommandError(
            "Usage: `/tb note TEMPLATE @patient [last | YYYY-MM-DD]` where TEMPLATE is one of "
            f"{templates}."
        )
    name = words[0].lower()
    if name not in NoteTemplate.__members__:
        raise CommandError(f"`{words[0]}` is not a note template; use one of {templates}.")
    handle = _handle(words[1])
    choice = " ".join(words[2:]).lower()
    if choice in ("", "last", "latest"):
        return NoteCommand(NoteTemplate(name), handle)
    if _DAY.match(choice):
        return NoteCommand(NoteTemplate(name), handle, _day(choice))
    raise CommandError(f"`{' '.join(words[2:])}` is not a session choice; use `last` or a date.")


def _take_format(words: list[str]) -> tuple[ExportFormat, list[str]]:
    formats = [w for w in words if w.lower() in ExportFormat.__members__]
    if len(formats) > 1:
        raise CommandError("Give one format at most.")
    if formats and ExportFormat(formats[0].lower()) not in DOCUMENT_FORMATS:
        raise CommandError(
            f"Documents come as {', '.join(f.value for f in DOCUMENT_FORMATS)}, not {formats[0]}."
        )
    fmt = ExportFormat(formats[0].lower()) if formats else ExportFormat.pdf
    return fmt, [w for w in words if w.lower() not in ExportFormat.__members__]


def _period(options: list[str], today: date) -> tuple[date, date]:
    text = " ".join(options).lower()
    if not text:
        return today - timedelta(days=DEFAULT_PERIOD_DAYS), today
    if last := _LAST.match(text):
        count, unit = int(last[1]), (last[2] or "d")[0]
        if count < 1:
            raise CommandError("The period must be at least one day.")
        if unit == "m":
            return _months_before(today, count), today
        return today - timedelta(days=count * (7 if unit == "w" else 1)), today
    if span := _RANGE.match(text):
        start, end = _day(span[1]), _day(span[2])
        if end < start:
            raise CommandError(f"The period ends ({end}) before it starts ({start}).")
        return start, end
    raise CommandError(
        f"`{text}` is not a period; use `last 30d`, `last 12w`, `last 6m` or "
        "`2025-01-01..2025-03-31`."
    )


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def _selection(options: list[str]) -> SessionSelection:
    text = " ".join(options).lower()
    if text in ("", "latest"):
        return SessionSelection("latest")
    if (last := re.fullmatch(r"last\s+(\d+)", text)) is not None:
        count = int(last[1])
        if not 1 <= count <= MAX_SESSIONS_PER_EXPORT:
            raise CommandError(f"`last N` takes N from 1 to {MAX_SESSIONS_PER_EXPORT}.")
        return SessionSelection("last", count=count)
    if _DAY.match(text):
        return SessionSelection("date", day=_day(text))
    raise CommandError(f"`{text}` is not a session choice; use `latest`, `last N` or a date.")


def command_text(command: ExportCommand | NoteCommand) -> str:
    """The `/tb` text that asks for this again (what a suggestion button carries)."""
    if isinstance(command, NoteCommand):
        return f"note {command.template.value} @{command.handle} {command.day or 'last'}"
    words = ["export", command.export_type.value.replace("_", "-"), f"@{command.handle}"]
    if command.start_date and command.end_date:
        words.append(f"{command.start_date}..{command.end_date}")
    if command.sessions is not None:
        selection = command.sessions
        words.append(
            "latest"
            if selection.kind == "latest"
            else f"last {selection.count}"
            if selection.kind == "last"
            else str(selection.day)
        )
    words.append(command.format.value)
    return " ".join(words)

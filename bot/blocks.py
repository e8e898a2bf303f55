"""Block Kit builders: every message and view the app sends is made here.

A message is a dict with `text` (the notification and screen-reader fallback) and `blocks`,
ready to be spread into `chat_postMessage(**message)` or a response URL post. Patient
identifiers arrive already shaped by `bot.phi.patient_label`; nothing here decides on PHI.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from bot.commands import USAGE
from bot.links import export_url, notes_url, session_url, settings_url
from bot.patients import NoSuchPatient
from core.enums import ExportStatus, ExportType, NoteStatus, NoteTemplate, SessionStatus
from core.exports.jobs import ExportJobView
from core.extracted_notes import RiskFlag, Severity
from core.settings import Settings

Message = dict[str, Any]
PICK_PATIENT_ACTION = "tb_pick_patient"

DOCUMENT_NAMES = {
    ExportType.session_notes: "Session notes",
    ExportType.progress_report: "Progress report",
    ExportType.treatment_summary: "Treatment summary",
    ExportType.full_record: "Full record",
}
JOB_ICONS = {
    ExportStatus.pending: ":hourglass_flowing_sand:",
    ExportStatus.processing: ":gear:",
    ExportStatus.completed: ":white_check_mark:",
    ExportStatus.failed: ":x:",
    ExportStatus.expired: ":wastebasket:",
}
SESSION_ICONS = {SessionStatus.processed: ":white_check_mark:", SessionStatus.failed: ":x:"}
SEVERITY_ORDER = {Severity.high: 0, Severity.medium: 1, Severity.low: 2}


def escape(text: str) -> str:
    """Slack's mrkdwn control characters, so user text cannot form links or mentions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def text_message(text: str) -> Message:
    return {"text": text, "blocks": [section(text)]}


def short_id(job_id: UUID | str) -> str:
    return str(job_id)[:8]


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def help_message() -> Message:
    return {
        "text": "TherapyBridge commands",
        "blocks": [section("*TherapyBridge commands*"), section(USAGE)],
    }


def unlinked_message(settings: Settings) -> Message:
    return text_message(
        "Your Slack account is not linked to TherapyBridge yet, so I can't act for you. "
        f"Open <{settings_url(settings)}|your settings> on the dashboard, create a Slack "
        "link code, and send `/tb link CODE` here."
    )


def choose_patient_message(missing: NoSuchPatient, command_for: Callable[[str], str]) -> Message:
    """`@handle` is not one of yours: buttons for the close ones, each re-running the command."""
    if not missing.suggestions:
        return text_message(f"None of your patients has the handle `@{missing.handle}`.")
    buttons = [
        {
            "type": "button",
            "action_id": f"{PICK_PATIENT_ACTION}:{index}",
            "text": {"type": "plain_text", "text": f"@{handle}"},
            "value": command_for(handle),
        }
        for index, handle in enumerate(missing.suggestions)
    ]
    text = f"None of your patients has the handle `@{missing.handle}`. Did you mean:"
    return {"text": text, "blocks": [section(text), {"type": "actions", "elements": buttons}]}


def job_line(job: ExportJobView, label: str, settings: Settings) -> str:
    """One export on one line; `label` names the patient, or is empty to name nobody."""
    whom = f" for {label}" if label else ""
    line = (
        f"{JOB_ICONS[job.status]} {DOCUMENT_NAMES[job.export_type]} ({job.format}){whom} — "
        f"{job.status.value} · job `{short_id(job.id)}`"
    )
    if job.status == ExportStatus.completed:
        line += f" · <{export_url(settings, job.id)}|open>"
    if job.status == ExportStatus.failed and job.error_message:
        line += f"\n> {escape(job.error_message)}"
    return line


def job_message(job: ExportJobView, label: str, settings: Settings, note: str = "") -> Message:
    line = job_line(job, label, settings)
    blocks = [section(line)]
    if note:
        blocks.append(context(note))
    return {"text": line, "blocks": blocks}


def jobs_message(lines: list[str]) -> Message:
    if not lines:
        return text_message("You have no exports yet. Try `/tb export progress-report @patient`.")
    title = "*Your recent exports*"
    return {"text": title, "blocks": [section(title)] + [section(line) for line in lines]}


def session_line(session: dict[str, Any], label: str, settings: Settings) -> str:
    """One session on one line; `label` names the patient, or is empty to name nobody."""
    status = SessionStatus(session["status"])
    parts = [
        f"{SESSION_ICONS.get(status, ':hourglass_flowing_sand:')} {_day(session['session_date'])}",
        label,
        status.value.replace("_", " "),
        f"<{session_url(settings, session['id'])}|open>",
    ]
    return " · ".join(part for part in parts if part)


def sessions_message(lines: list[str], whose: str) -> Message:
    if not lines:
        return text_message(f"No sessions for {whose} yet.")
    title = f"*Recent sessions — {whose}*"
    return {"text": title, "blocks": [section(title)] + [section(line) for line in lines]}


def note_name(template: NoteTemplate) -> str:
    return "progress" if template == NoteTemplate.progress else template.value.upper()


def note_message(
    session: dict[str, Any],
    template: NoteTemplate,
    label: str,
    settings: Settings,
    *,
    created: bool,
    status: NoteStatus,
) -> Message:
    """A note drafted (or found) on request: where to review it; none of its content."""
    name = note_name(template)
    link = notes_url(settings, session["id"], template)
    whose = f"the session with {label} on {_day(session['session_date'])}"
    if created:
        text = f":memo: Drafted a {name} note for {whose}: <{link}|review and sign it>."
    else:
        state = "a draft waiting for review" if status == NoteStatus.draft else status.value
        text = f":memo: {whose[0].upper()}{whose[1:]} already has a {name} note ({state}): "
        text += f"<{link}|open it>."
    return text_message(text)


def note_sessions_message(
    sessions: list[dict[str, Any]], template: NoteTemplate, label: str, settings: Settings
) -> Message:
    """Several sessions on the day asked for: one link each, to draft from the right one."""
    day = _day(sessions[0]["session_date"])
    title = (
        f"You had {len(sessions)} processed sessions with {label} on {day}; "
        f"open the one you mean to draft its {note_name(template)} note:"
    )
    lines = [
        f"• {session['session_date']:%H:%M} UTC · <{notes_url(settings, session['id'], template)}|"
        "open its notes>"
        for session in sessions
    ]
    return {"text": title, "blocks": [section(title), section("\n".join(lines))]}


def session_processed_message(session_id: UUID, label: str, settings: Settings) -> Message:
    text = f":memo: A session with {label} is processed and its notes are ready for review."
    return {
        "text": text,
        "blocks": [section(f"{text}\n<{session_url(settings, session_id)}|Open the session>")],
    }


def _flag_name(flag: RiskFlag) -> str:
    return flag.type.value.replace("_", " ").capitalize()


def risk_alert_message(
    session_id: UUID, label: str, flags: list[RiskFlag], settings: Settings, *, quote: bool
) -> Message:
    """Urgent: what was flagged and how severe; the patient's words only when `quote`."""
    ordered = sorted(flags, key=lambda flag: SEVERITY_ORDER[flag.severity])
    headline = f":rotating_light: *Urgent — risk flagged in a session with {label}*"
    lines = []
    for flag in ordered:
        line = f"• *{_flag_name(flag)}* — severity *{flag.severity.value}*"
        if quote:
            line += f"\n> “{escape(flag.evidence)}”"
        lines.append(line)
    link = f"<{session_url(settings, session_id)}|Review the session now>"
    text = f"Urgent: risk flagged in a session with {label} ({len(flags)} flag(s))"
    return {"text": text, "blocks": [section(headline), section("\n".join(lines)), section(link)]}


def document_link_message(job: ExportJobView, label: str, settings: Settings) -> Message:
    name = DOCUMENT_NAMES[job.export_type]
    text = (
        f":page_facing_up: The {name.lower()} for {label} is ready: "
        f"<{export_url(settings, job.id)}|download it from TherapyBridge>."
    )
    return text_message(text)


def home_view(session_lines: list[str], job_lines: list[str]) -> dict[str, Any]:
    """The App Home tab. Slack's HIPAA terms allow PHI in messages and files only, so the
    lines given here must name no patient."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "TherapyBridge"}},
        section("*Recent sessions*"),
        *[section(line) for line in session_lines or ["No sessions yet."]],
        {"type": "divider"},
        section("*Recent exports*"),
        *[section(line) for line in job_lines or ["No exports yet."]],
        context("Type `/tb help` for commands."),
    ]
    return {"type": "home", "blocks": blocks}


def unlinked_home_view(settings: Settings) -> dict[str, Any]:
    return {"type": "home", "blocks": unlinked_message(settings)["blocks"]}

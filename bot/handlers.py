"""What `/tb` commands and the App Home do, once Slack has had its ack.

Every answer goes to the requester alone (ephemeral, through the response URL). Anything
that is not an exact request for one of the requester's own patients ends in a message and
nothing enqueued.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from pydantic import ValidationError
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks
from bot.blocks import Message, text_message
from bot.commands import (
    CommandError,
    ExportCommand,
    Help,
    LinkCommand,
    NoteCommand,
    SessionsCommand,
    SlashCommand,
    StatusCommand,
    command_text,
)
from bot.notes import note
from bot.patients import NoSuchPatient, find_patient
from bot.phi import PhiLevel, patient_label
from bot.replies import Requester, reply
from core.access import Actor, load_actor
from core.enums import ExportType
from core.errors import DomainError, NotFound, describe
from core.exports.jobs import ExportJobView
from core.exports.requests import ExportRequest
from core.exports.service import ExportRateLimited, ExportService
from core.infra.runtime import Runtime
from core.patients import PatientRef, own_patients, patients_by_id
from core.sessions.queries import list_sessions
from core.sessions.selection import processed_session_ids
from core.slack_link import actor_for_slack_user, consume_link_code

logger = logging.getLogger(__name__)

RECENT = 5
SESSION_LIST_LENGTH = 10
JOB_PREFIX_SEARCH = 100


async def run_command(
    runtime: Runtime, requester: Requester, command: SlashCommand, *, replace: bool = False
) -> None:
    try:
        message = await answer(runtime, requester, command)
    except CommandError as error:
        message = text_message(str(error))
    except Exception as error:
        # The exception's text may quote database values; the type is enough to look further.
        logger.error("/tb %s failed: %s", type(command).__name__, type(error).__name__)
        message = text_message("Something went wrong on our side. Please try again shortly.")
    await reply(runtime.redis, requester, message, replace=replace)


async def answer(runtime: Runtime, requester: Requester, command: SlashCommand) -> Message:
    if isinstance(command, Help):
        return blocks.help_message()
    if isinstance(command, LinkCommand):
        return await _link(requester, command)
    actor = await actor_for_slack_user(requester.user_id)
    if actor is None:
        return blocks.unlinked_message(runtime.settings)
    if isinstance(command, ExportCommand):
        return await _export(runtime, actor, requester, command)
    if isinstance(command, NoteCommand):
        return await note(runtime, actor, requester, command)
    if isinstance(command, StatusCommand):
        return await _status(runtime, actor, command)
    return await _sessions(runtime, actor, command)


async def _link(requester: Requester, command: LinkCommand) -> Message:
    user_id = await consume_link_code(command.code, requester.user_id)
    actor = await load_actor(user_id) if user_id else None
    if actor is None:
        return text_message(
            "That code is unknown, already used or expired. Create a new one on the "
            "dashboard's settings page."
        )
    return text_message(
        f"Linked: in TherapyBridge, this Slack account now acts as {blocks.escape(actor.full_name)}."
        " Try `/tb help`."
    )


def _label(level: PhiLevel, patient: PatientRef | None) -> str:
    if patient is None:
        return "several patients"
    return patient_label(level, patient.handle, patient.full_name)


async def _export(
    runtime: Runtime, actor: Actor, requester: Requester, command: ExportCommand
) -> Message:
    patient = find_patient(command.handle, await own_patients(actor))
    if isinstance(patient, NoSuchPatient):
        return blocks.choose_patient_message(
            patient, lambda handle: command_text(command.with_handle(handle))
        )
    try:
        request = await _export_request(actor, command, patient)
        job = await ExportService(runtime).request(
            actor, request, origin=requester.origin, delivery=requester.delivery()
        )
    except ExportRateLimited as error:
        return text_message(f"Not now: {error}.")
    except NotFound:  # unassigned since we looked
        return text_message(f"None of your patients has the handle `@{command.handle}`.")
    except (DomainError, ValidationError) as error:
        return text_message(f"That export cannot be made: {_reason(error)}")
    label = _label(runtime.settings.slack_phi_level, patient)
    note = "I'll update this message and send the document when it is ready."
    return blocks.job_message(job, label, runtime.settings, note)


def _reason(error: DomainError | ValidationError) -> str:
    described = describe(error)
    assert described is not None
    return described[1]


async def _export_request(
    actor: Actor, command: ExportCommand, patient: PatientRef
) -> ExportRequest:
    fields: dict[str, Any] = {
        "export_type": command.export_type,
        "format": command.format,
        "patient_id": patient.id,
    }
    if command.export_type == ExportType.progress_report:
        fields.update(start_date=command.start_date, end_date=command.end_date)
    if command.export_type == ExportType.session_notes:
        fields["session_ids"] = await _chosen_sessions(actor, command, patient)
    return ExportRequest(**fields)


async def _chosen_sessions(actor: Actor, command: ExportCommand, patient: PatientRef) -> list[UUID]:
    selection = command.sessions
    assert selection is not None
    if selection.kind == "date":
        assert selection.day is not None
        ids = await processed_session_ids(patient.id, start=selection.day, end=selection.day)
        if not ids:
            raise CommandError(f"`@{patient.handle}` has no processed session on {selection.day}.")
        return ids
    ids = await processed_session_ids(patient.id, latest=selection.count)
    if not ids:
        raise CommandError(f"`@{patient.handle}` has no processed sessions yet.")
    return ids


async def _status(runtime: Runtime, actor: Actor, command: StatusCommand) -> Message:
    level = runtime.settings.slack_phi_level
    exports = ExportService(runtime)
    if command.job is None:
        jobs, _ = await exports.list(actor, per_page=RECENT)
        patients = await patients_by_id({job.patient_id for job in jobs if job.patient_id})
        lines = [
            blocks.job_line(job, _label(level, _patient_of(job, patients)), runtime.settings)
            for job in jobs
        ]
        return blocks.jobs_message(lines)
    job = await _find_job(exports, actor, command.job)
    patients = await patients_by_id({job.patient_id} if job.patient_id else set())
    return blocks.job_message(job, _label(level, _patient_of(job, patients)), runtime.settings)


def _patient_of(job: ExportJobView, patients: dict[UUID, PatientRef]) -> PatientRef | None:
    """None for a caseload export, which is about several patients."""
    return patients.get(job.patient_id) if job.patient_id else None


async def _find_job(exports: ExportService, actor: Actor, reference: str) -> ExportJobView:
    missing = CommandError(f"None of your exports has the id `{reference}`.")
    if len(reference) == 36:
        try:
            return await exports.get(actor, UUID(reference))
        except NotFound:
            raise missing from None
    jobs, _ = await exports.list(actor, per_page=JOB_PREFIX_SEARCH)
    matching = [job for job in jobs if str(job.id).startswith(reference)]
    if not matching:
        raise missing
    if len(matching) > 1:
        raise CommandError(f"Several of your exports start with `{reference}`; give more of it.")
    return matching[0]


async def _sessions(runtime: Runtime, actor: Actor, command: SessionsCommand) -> Message:
    level = runtime.settings.slack_phi_level
    patient: PatientRef | None = None
    if command.handle is not None:
        found = find_patient(command.handle, await own_patients(actor))
        if isinstance(found, NoSuchPatient):
            return blocks.choose_patient_message(found, lambda handle: f"sessions @{handle}")
        patient = found
    rows, _ = await list_sessions(
        actor, patient_id=patient.id if patient else None, per_page=SESSION_LIST_LENGTH
    )
    patients = await patients_by_id({row["patient_id"] for row in rows})
    lines = [
        blocks.session_line(row, _label(level, patients.get(row["patient_id"])), runtime.settings)
        for row in rows
    ]
    return blocks.sessions_message(lines, _label(level, patient) if patient else "your patients")


async def publish_home(runtime: Runtime, client: AsyncWebClient, slack_user_id: str) -> None:
    """The App Home tab. Slack's HIPAA terms allow PHI in messages and files only, so the tab
    lists sessions and exports without naming anyone, whatever SLACK_PHI_LEVEL says."""
    actor = await actor_for_slack_user(slack_user_id)
    if actor is None:
        view = blocks.unlinked_home_view(runtime.settings)
    else:
        sessions, _ = await list_sessions(actor, per_page=RECENT)
        jobs, _ = await ExportService(runtime).list(actor, per_page=RECENT)
        view = blocks.home_view(
            [blocks.session_line(row, "", runtime.settings) for row in sessions],
            [blocks.job_line(job, "", runtime.settings) for job in jobs],
        )
    await client.views_publish(user_id=slack_user_id, view=view)

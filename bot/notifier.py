"""Telling therapists in Slack: a session processed, risk flagged, a document ready.

Runs in arq tasks, which may run more than once. Each notice is sent only while the audit log
holds no `shared` row for it, and that row is written as soon as Slack accepted the notice:
the log is both the record of what reached Slack and the memory of what was already sent.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from uuid import UUID

from redis.asyncio import Redis
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks
from bot.client import slack_client, slack_enabled
from bot.phi import is_direct_message, may_quote_patient, may_upload_document, patient_label
from bot.replies import Requester, reply
from core import audit
from core.audit.trail import already_shared
from core.enums import AuditAction, ExportStatus, ExportType, SessionStatus
from core.exports.jobs import ExportJobView, download_filename, load_job
from core.extracted_notes import RiskFlag
from core.infra.runtime import Runtime
from core.infra.storage import EncryptedStorage
from core.notices import Delivery
from core.patients import PatientRef, patients_by_id
from core.sessions.queries import session_outcome
from core.settings import Settings
from core.slack_link import linked_slack_user

logger = logging.getLogger(__name__)

VIA = "slack"
RISK_ALERT = "risk_alert"
SESSION_PROCESSED = "session_processed"
DOCUMENT = "document"
DOCUMENT_LINK = "document_link"
# The bot cannot post where it is not a member: the requester's DM with the app is used instead.
UNREACHABLE_CHANNEL_ERRORS = frozenset({"not_in_channel", "channel_not_found", "is_archived"})


class SlackNotifier:
    def __init__(
        self, client: AsyncWebClient, settings: Settings, redis: Redis, storage: EncryptedStorage
    ) -> None:
        self._client = client
        self._settings = settings
        self._redis = redis
        self._storage = storage

    def _label(self, patient: PatientRef | None) -> str:
        if patient is None:
            return "several patients"
        return patient_label(self._settings.slack_phi_level, patient.handle, patient.full_name)

    async def _direct_channel(self, slack_user_id: str) -> str:
        response = await self._client.conversations_open(users=slack_user_id)
        return str(response["channel"]["id"])

    async def session_processed(self, session_id: UUID) -> None:
        """DM the session's therapist: an urgent alert first when risk was flagged, then the
        notice that the notes are ready."""
        session = await session_outcome(session_id)
        if session is None or session["status"] != SessionStatus.processed:
            return
        slack_user = await linked_slack_user(session["therapist_id"])
        if slack_user is None:
            return
        patient = (await patients_by_id({session["patient_id"]})).get(session["patient_id"])
        label = self._label(patient)
        flags = [RiskFlag.model_validate(flag) for flag in session["risk_flags"] or []]
        notices = []
        if flags:
            quote = may_quote_patient(self._settings.slack_phi_level)
            alert = blocks.risk_alert_message(session_id, label, flags, self._settings, quote=quote)
            notices.append((RISK_ALERT, alert))
        notices.append(
            (SESSION_PROCESSED, blocks.session_processed_message(session_id, label, self._settings))
        )
        channel: str | None = None
        for notice, message in notices:
            if await already_shared(session["patient_id"], session_id, VIA, {notice}):
                continue
            channel = channel or await self._direct_channel(slack_user)
            await self._client.chat_postMessage(channel=channel, **message)
            await audit.record(
                AuditAction.shared,
                user_id=session["therapist_id"],
                patient_id=session["patient_id"],
                resource_type="session",
                resource_id=session_id,
                metadata={"channel": channel, "via": VIA, "notice": notice},
            )

    async def export_finished(self, job_id: UUID) -> None:
        """Deliver a completed export where it was asked for; report a failed one."""
        job = await load_job(job_id)
        requester = Requester.from_delivery(Delivery.of(job["delivery"])) if job else None
        if job is None or requester is None:
            return
        view = ExportJobView.of(job)
        status = view.status
        patient = (await patients_by_id({job["patient_id"]})).get(job["patient_id"])
        label = self._label(patient)
        if status == ExportStatus.failed:
            await self._tell(requester, blocks.job_message(view, label, self._settings))
            return
        if status != ExportStatus.completed:
            return
        if await already_shared(job["patient_id"], job_id, VIA, {DOCUMENT, DOCUMENT_LINK}):
            return
        channel, notice = await self._deliver(job, requester, label)
        await audit.record(
            AuditAction.shared,
            user_id=job["user_id"],
            patient_id=job["patient_id"],
            export_job_id=job_id,
            resource_type="export",
            resource_id=job_id,
            metadata={"channel": channel, "via": VIA, "notice": notice},
        )
        where = "here" if channel == requester.channel_id else "in your DM with TherapyBridge"
        note = (
            f"The document is posted {where}."
            if notice == DOCUMENT
            else f"Documents are not posted to this conversation; the link is {where}."
        )
        await self._tell(requester, blocks.job_message(view, label, self._settings, note))

    async def _deliver(
        self, job: dict[str, Any], requester: Requester, label: str
    ) -> tuple[str, str]:
        """Where the command came from if the app may post there, else the requester's DM."""
        try:
            return requester.channel_id, await self._deliver_to(
                requester.channel_id, job, requester, label
            )
        except SlackApiError as error:
            if error.response.get("error") not in UNREACHABLE_CHANNEL_ERRORS:
                raise
        direct = await self._direct_channel(requester.user_id)
        return direct, await self._deliver_to(direct, job, requester, label)

    async def _deliver_to(
        self, channel: str, job: dict[str, Any], requester: Requester, label: str
    ) -> str:
        name = blocks.DOCUMENT_NAMES[ExportType(job["export_type"])]
        if may_upload_document(self._settings, channel):
            data = await asyncio.to_thread(self._storage.read_bytes, job["file_path"])
            await self._client.files_upload_v2(
                channel=channel,
                file=data,
                filename=download_filename(job),
                title=name,
                initial_comment=f"{name} for {label}",
            )
            return DOCUMENT
        message = blocks.document_link_message(ExportJobView.of(job), label, self._settings)
        if is_direct_message(channel):
            await self._client.chat_postMessage(channel=channel, **message)
        else:
            await self._client.chat_postEphemeral(
                channel=channel, user=requester.user_id, **message
            )
        return DOCUMENT_LINK

    async def _tell(self, requester: Requester, message: blocks.Message) -> None:
        """Update the command's reply; a DM once its response URL is spent or expired."""
        if await reply(self._redis, requester, message, replace=True):
            return
        channel = await self._direct_channel(requester.user_id)
        await self._client.chat_postMessage(channel=channel, **message)


def slack_notifier(runtime: Runtime) -> SlackNotifier | None:
    """The worker's notifier for Slack, or None when Slack is not configured."""
    if not slack_enabled(runtime.settings):
        return None
    settings = runtime.settings
    return SlackNotifier(slack_client(settings), settings, runtime.redis, runtime.storage)

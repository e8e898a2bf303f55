"""Accepting a recording: streamed, checked by decoding, encrypted, queued for processing."""

from __future__ import annotations

from collections.abc import AsyncIterable
from datetime import UTC, datetime
from uuid import UUID

from arq.connections import ArqRedis
from pydantic import BaseModel

from core import audit
from core.access import Actor, require_patient
from core.audio import store_upload
from core.audit import RequestOrigin
from core.enums import AuditAction, Role, SessionStatus
from core.errors import Forbidden, InsufficientStorage
from core.events import Event, EventPublisher
from core.infra.queue import PROCESS_SESSION, enqueue
from core.infra.storage import EncryptedStorage
from core.tables import TherapySession


class UploadedSession(BaseModel):
    id: UUID
    status: SessionStatus
    audio_format: str
    duration_seconds: int
    audio_sha256: str


class UploadRefused(Forbidden):
    """The upload cannot be accepted; the message is fit for the uploader."""


class UploadNotStored(InsufficientStorage):
    """The server could not write the recording (disk full, storage unwritable)."""


async def upload_session_audio(
    actor: Actor,
    patient_id: UUID,
    chunks: AsyncIterable[bytes],
    *,
    session_date: datetime | None,
    max_bytes: int,
    storage: EncryptedStorage,
    queue: ArqRedis,
    events: EventPublisher,
    origin: RequestOrigin,
) -> UploadedSession:
    """Store the audio and create an `uploading` session queued for the pipeline.

    Raises NotFound (patient not reachable), FileTooLarge or UnsupportedAudio; on any error
    nothing is left on disk and no session row exists.
    """
    if actor.role != Role.therapist:
        raise UploadRefused("only therapists can upload session recordings")
    await require_patient(actor, patient_id)
    try:
        stored, info = await store_upload(storage, chunks, max_bytes)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise UploadNotStored(f"could not store the recording: {reason}") from None
    session = TherapySession(
        patient_id=patient_id,
        therapist_id=actor.id,
        session_date=session_date or datetime.now(UTC),
        status=SessionStatus.uploading,
        audio_path=stored.path,
        audio_sha256=stored.sha256,
        audio_format=info.format,
        duration_seconds=round(info.duration_seconds),
    )
    try:
        await session.save()
    except BaseException:
        storage.delete(stored.path)
        raise
    await audit.record(
        AuditAction.created,
        user_id=actor.id,
        patient_id=patient_id,
        origin=origin,
        resource_type="session",
        resource_id=session.id,
        metadata={"format": info.format, "bytes": stored.size},
    )
    await enqueue(queue, PROCESS_SESSION, session.id)
    await events.publish(
        Event.session_status,
        user_id=actor.id,
        session_id=str(session.id),
        status=str(SessionStatus.uploading),
        progress=0,
    )
    return UploadedSession(
        id=session.id,
        status=SessionStatus.uploading,
        audio_format=info.format,
        duration_seconds=round(info.duration_seconds),
        audio_sha256=stored.sha256,
    )

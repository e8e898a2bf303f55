"""Sessions as a service for the dashboard and the API: one way to accept a recording."""

from __future__ import annotations

from collections.abc import AsyncIterable
from datetime import datetime
from uuid import UUID

from core.access import Actor
from core.audit import RequestOrigin
from core.infra.runtime import Runtime
from core.sessions.upload import UploadedSession, upload_session_audio


class SessionService:
    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    async def upload(
        self,
        actor: Actor,
        patient_id: UUID,
        chunks: AsyncIterable[bytes],
        *,
        session_date: datetime | None,
        origin: RequestOrigin,
    ) -> UploadedSession:
        """Store the recording (at most MAX_UPLOAD_MB) and queue the session for processing."""
        runtime = self._runtime
        return await upload_session_audio(
            actor,
            patient_id,
            chunks,
            session_date=session_date,
            max_bytes=runtime.settings.max_upload_bytes,
            storage=runtime.storage,
            queue=runtime.queue,
            events=runtime.events,
            origin=origin,
        )

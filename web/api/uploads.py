"""`POST /sessions/upload`: a recording streamed as the request body.

Apart from the other session routes because its body limit is MAX_UPLOAD_MB, set by the router
`create_app` builds from the settings, not the API's JSON limit.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.status_codes import HTTP_202_ACCEPTED

from core.access import Actor
from core.audit import RequestOrigin
from core.infra.runtime import Runtime
from core.sessions.service import SessionService
from core.sessions.upload import UploadedSession


class UploadController(Controller):
    path = "/sessions"
    tags = ["sessions"]

    @post(
        "/upload",
        status_code=HTTP_202_ACCEPTED,
        summary="Upload a session recording (raw audio body)",
        description=(
            "Send the audio file itself as the request body (wav, mp3, m4a, ogg/opus, webm or "
            "flac; checked by decoding, not by name). The session is created `uploading` and "
            "processed in the background."
        ),
    )
    async def upload(
        self,
        request: Request,
        patient_id: FromQuery[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        runtime: NamedDependency[Runtime],
        session_date: FromQuery[datetime | None] = None,
    ) -> UploadedSession:
        sessions = SessionService(runtime)
        return await sessions.upload(
            actor, patient_id, request.stream(), session_date=session_date, origin=origin
        )

"""One session: its transcript (correctable), extracted notes and risk flags; and the live
status partials that lists and the upload page refresh on events."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.plugins.htmx import ClientRefresh, HTMXTemplate

from core.access import Actor
from core.audit import RequestOrigin
from core.dashboard import note_states, session_row
from core.extracted_notes import ExtractedNotes, RiskFlag, Speaker, TranscriptSegment
from core.infra.runtime import Runtime
from core.sessions.queries import view_session
from core.sessions.reanalysis import analysis_state
from core.sessions.transcript import SegmentEdit, edit_transcript, swap_speakers
from web.auth import LIVE_REFRESH


async def _session_context(actor: Actor, session_id: UUID, origin: RequestOrigin) -> dict[str, Any]:
    summary = await session_row(actor, session_id)
    session = await view_session(actor, session_id, origin)
    flags = [RiskFlag.model_validate(flag) for flag in session["risk_flags"] or []]
    notes = session["extracted_notes"]
    return {
        "actor": actor,
        "nav": "patients",
        "session": {**session, "patient_name": summary["patient_name"]},
        "segments": [
            TranscriptSegment.model_validate(s) for s in session["transcript_segments"] or []
        ],
        "notes": ExtractedNotes.model_validate(notes) if notes else None,
        "risk_flags": flags,
        "risky_segments": {f.segment_index for f in flags if f.segment_index is not None},
        "clinical_notes": (await note_states([session_id])).get(session_id, []),
        "analysis": await analysis_state(actor, session_id),
        "speakers": list(Speaker),
        "can_edit": session["therapist_id"] == actor.id,
    }


class SessionController(Controller):
    path = "/sessions/{session_id:uuid}"
    include_in_schema = False

    @get(name="session")
    async def show(
        self,
        session_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> HTMXTemplate:
        context = await _session_context(actor, session_id, origin)
        return HTMXTemplate(template_name="sessions/show.html", context=context)

    @get("/extracted", opt={LIVE_REFRESH: True}, name="session.extracted")
    async def extracted(
        self,
        session_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> HTMXTemplate:
        """The extraction beside the transcript, fresh after a corrected transcript's analysis."""
        context = await _session_context(actor, session_id, origin)
        return HTMXTemplate(template_name="sessions/_extracted.html", context=context)

    @get("/analysis", opt={LIVE_REFRESH: True}, name="session.analysis")
    async def analysis(
        self, session_id: FromPath[UUID], actor: NamedDependency[Actor]
    ) -> HTMXTemplate:
        """The note page's banner: a corrected transcript being analysed, or just analysed."""
        return HTMXTemplate(
            template_name="sessions/_analysis_live.html",
            context={
                "session": {"id": session_id},
                "analysis": await analysis_state(actor, session_id),
                "refreshed": True,
            },
        )

    @get("/status", opt={LIVE_REFRESH: True}, name="session.status")
    async def status(
        self, session_id: FromPath[UUID], actor: NamedDependency[Actor]
    ) -> HTMXTemplate:
        session = await session_row(actor, session_id)
        return HTMXTemplate(
            template_name="partials/session_status.html", context={"session": session}
        )

    @get("/pipeline", opt={LIVE_REFRESH: True}, name="session.pipeline")
    async def pipeline(
        self, session_id: FromPath[UUID], actor: NamedDependency[Actor]
    ) -> HTMXTemplate:
        session = await session_row(actor, session_id)
        return HTMXTemplate(
            template_name="sessions/_pipeline_card.html", context={"session": session}
        )

    @post("/transcript/swap-speakers", name="session.transcript.swap")
    async def swap(
        self,
        session_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        runtime: NamedDependency[Runtime],
    ) -> ClientRefresh:
        await swap_speakers(actor, session_id, origin, queue=runtime.queue)
        return ClientRefresh()

    @post("/transcript/{index:int}", name="session.transcript.edit")
    async def edit_segment(
        self,
        request: Request,
        session_id: FromPath[UUID],
        index: FromPath[int],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        runtime: NamedDependency[Runtime],
    ) -> HTMXTemplate:
        form = await request.form()
        edit = SegmentEdit.model_validate(
            {"index": index, "speaker": form.get("speaker") or None, "text": form.get("text", "")}
        )
        segments = await edit_transcript(actor, session_id, [edit], origin, queue=runtime.queue)
        context = {
            "session": {"id": session_id},
            "index": index,
            "segment": segments[index],
            "speakers": list(Speaker),
            "can_edit": True,
        }
        return HTMXTemplate(template_name="sessions/_segment.html", context=context)

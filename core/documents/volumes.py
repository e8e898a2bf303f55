"""Long records as several PDF volumes, so no single render outgrows its memory limit.

WeasyPrint keeps the layout of every page until the PDF is written: about 5 MB per session
with its transcript. A record is therefore rendered in volumes of SESSIONS_PER_VOLUME
sessions, each a complete PDF (header, identity block, signatures) titled "Volume n of m";
the record-wide sections (goals, measures) print in the first volume only.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.documents.context import DocumentContext, FullRecordContext, SessionNotesContext

SESSIONS_PER_VOLUME = 100
FIRST_VOLUME_ONLY = ("treatment_goals", "measures")


@dataclass(frozen=True)
class Volume:
    number: int
    count: int
    first_session: int  # 1-based number of the volume's first session in the whole record


def volume_count(context: DocumentContext, per_volume: int = SESSIONS_PER_VOLUME) -> int:
    if not isinstance(context, FullRecordContext | SessionNotesContext):
        return 1
    return max(1, -(-len(context.sessions) // per_volume))


def split_into_volumes(
    context: DocumentContext, per_volume: int = SESSIONS_PER_VOLUME
) -> list[tuple[DocumentContext, Volume | None]]:
    """The context as it prints in each volume; a short record is one unnumbered volume."""
    count = volume_count(context, per_volume)
    if count == 1:
        return [(context, None)]
    assert isinstance(context, FullRecordContext | SessionNotesContext)
    volumes: list[tuple[DocumentContext, Volume | None]] = []
    for index in range(count):
        start = index * per_volume
        sessions = context.sessions[start : start + per_volume]
        ids = {session.id for session in sessions}
        sections = dict(context.include_sections)
        if index > 0:
            sections.update({name: False for name in FIRST_VOLUME_ONLY if name in sections})
        part = context.model_copy(
            update={
                "sessions": sessions,
                "clinical_notes": [n for n in context.clinical_notes if n.session_id in ids],
                "include_sections": sections,
            }
        )
        volumes.append((part, Volume(number=index + 1, count=count, first_session=start + 1)))
    return volumes

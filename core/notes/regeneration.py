"""Bringing a draft up to date with a new extraction without losing the clinician's words.

When a session is analysed again (its transcript was corrected), each unsigned draft is drafted
anew. A field takes the new text when the clinician had not touched it (it still reads as the
machine last wrote it); a field the clinician edited keeps their text, and when the new
extraction would now say something else there, the difference is kept as a conflict for them to
settle. Fields the clinician added are kept. Signed notes are never regenerated.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from core.notes.content import Sections, canonical_text


class Conflict(BaseModel):
    """A field the clinician edited whose regenerated text differs."""

    model_config = ConfigDict(extra="forbid")

    section: str
    field: str
    regenerated: str


def merge_regenerated(
    current: Sections,
    generated_before: Sections | None,
    regenerated: Sections,
    conflicts: list[Conflict],
) -> tuple[Sections, list[Conflict]]:
    """The draft's new sections and its open conflicts.

    `generated_before` is what the machine last wrote (None when unknown: then only a field
    that already equals the new text, or is empty, counts as untouched).
    """
    merged = {section: dict(fields) for section, fields in current.items()}
    open_conflicts = {(c.section, c.field): c for c in conflicts}
    for section, fields in regenerated.items():
        for field, new in fields.items():
            mine = current.get(section, {}).get(field)
            before = (generated_before or {}).get(section, {}).get(field)
            if mine is None or _same(mine, new) or _untouched(mine, before):
                merged.setdefault(section, {})[field] = new
                open_conflicts.pop((section, field), None)
            elif before is not None and _same(new, before):
                continue  # the machine's view did not change; theirs stands
            else:
                open_conflicts[(section, field)] = Conflict(
                    section=section, field=field, regenerated=new
                )
    return merged, list(open_conflicts.values())


def settled(conflicts: list[Conflict], changes: Sections) -> list[Conflict]:
    """The conflicts left once the clinician has saved the fields in `changes`."""
    return [c for c in conflicts if c.field not in changes.get(c.section, {})]


def _untouched(mine: str, before: str | None) -> bool:
    if before is None:
        return not mine.strip()
    return _same(mine, before)


def _same(one: str, other: str) -> bool:
    return canonical_text(one) == canonical_text(other)

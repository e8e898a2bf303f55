"""One `ExtractedNotes` from the notes of consecutive parts of a long session.

Lists are joined without repeats (compared case-insensitively, first wording kept), risk flags
are all kept (only exact repeats go), and the prose fields are joined in order.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from core.extracted_notes import ExtractedNotes, MoodLevel, MoodTrajectory

T = TypeVar("T")
_MOOD_ORDER = list(MoodLevel)


def merge_notes(parts: list[ExtractedNotes]) -> ExtractedNotes:
    if len(parts) == 1:
        return parts[0]
    return ExtractedNotes(
        key_topics=_unique_text(n.key_topics for n in parts),
        topic_summary=_join(n.topic_summary for n in parts),
        strategies=_unique([n.strategies for n in parts], lambda s: (s.name.lower(), s.status)),
        emotional_themes=_unique_text(n.emotional_themes for n in parts),
        triggers=_unique([n.triggers for n in parts], lambda t: t.trigger.lower()),
        action_items=_unique([n.action_items for n in parts], lambda a: a.task.lower()),
        significant_quotes=_unique([n.significant_quotes for n in parts], lambda q: q.quote),
        session_mood=_overall_mood([n.session_mood for n in parts]),
        mood_trajectory=_trajectory(parts),
        follow_up_topics=_unique_text(n.follow_up_topics for n in parts),
        unresolved_concerns=_unique_text(n.unresolved_concerns for n in parts),
        risk_flags=_unique(
            [n.risk_flags for n in parts], lambda f: (f.type, f.segment_index, f.evidence)
        ),
        treatment_goals=_unique(
            [n.treatment_goals for n in parts], lambda g: g.description.lower()
        ),
        therapist_notes=_join((n.therapist_notes for n in parts), "\n\n"),
        patient_summary=_join((n.patient_summary for n in parts), "\n\n"),
    )


def _unique(lists: Iterable[list[T]], key: Callable[[T], Hashable]) -> list[T]:
    kept: dict[Hashable, T] = {}
    for items in lists:
        for item in items:
            kept.setdefault(key(item), item)
    return list(kept.values())


def _unique_text(lists: Iterable[list[str]]) -> list[str]:
    return _unique(lists, str.lower)


def _join(texts: Iterable[str], separator: str = " ") -> str:
    return separator.join(text for text in texts if text)


def _overall_mood(moods: list[MoodLevel | None]) -> MoodLevel | None:
    """The median mood of the parts that had one (the lower one of two middles)."""
    ranks = sorted(_MOOD_ORDER.index(mood) for mood in moods if mood is not None)
    return _MOOD_ORDER[ranks[(len(ranks) - 1) // 2]] if ranks else None


def _trajectory(parts: list[ExtractedNotes]) -> MoodTrajectory | None:
    """How the mood moved from the first part with a mood to the last."""
    with_mood = [n for n in parts if n.session_mood is not None]
    if len(with_mood) < 2:
        return with_mood[0].mood_trajectory if with_mood else None
    ranks = [_MOOD_ORDER.index(n.session_mood) for n in with_mood if n.session_mood]
    if ranks[-1] > ranks[0]:
        return MoodTrajectory.improving
    if ranks[-1] < ranks[0]:
        return MoodTrajectory.declining
    return MoodTrajectory.fluctuating if len(set(ranks)) > 1 else MoodTrajectory.stable

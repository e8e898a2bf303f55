"""Prose summaries assembled only from extracted facts: nothing here adds information.

`therapist_notes` is a factual clinical summary; `patient_summary` says the same things in plain,
friendly words, leaving out the clinical detail (risk evidence, triggers) a patient summary should
not repeat back.
"""

from __future__ import annotations

from core.extracted_notes import (
    ExtractedGoal,
    ExtractedNotes,
    MoodLevel,
    RiskFlag,
    StrategyStatus,
)

_MOOD_WORDS = {
    MoodLevel.very_low: "very low",
    MoodLevel.low: "low",
    MoodLevel.neutral: "neutral",
    MoodLevel.positive: "positive",
    MoodLevel.very_positive: "very positive",
}
_STATUS_WORDS = {
    StrategyStatus.introduced: "introduced",
    StrategyStatus.practiced: "practiced in session",
    StrategyStatus.assigned: "assigned",
    StrategyStatus.reviewed: "reviewed",
}
_SAFETY_LINE = (
    "If you ever feel unsafe, contact your therapist straight away or call your local "
    "emergency number."
)


def topic_summary(key_topics: list[str]) -> str:
    return f"Discussed {_join(key_topics)}." if key_topics else ""


def therapist_notes(notes: ExtractedNotes) -> str:
    lines = []
    if notes.key_topics:
        lines.append(f"Topics: {', '.join(notes.key_topics)}.")
    if notes.session_mood:
        trend = f", {notes.mood_trajectory.value} over the session" if notes.mood_trajectory else ""
        lines.append(f"Expressed mood: {_MOOD_WORDS[notes.session_mood]}{trend}.")
    if notes.emotional_themes:
        lines.append(f"Emotional themes: {', '.join(notes.emotional_themes)}.")
    if notes.triggers:
        lines.append(f"Reported triggers: {'; '.join(t.trigger for t in notes.triggers)}.")
    if notes.strategies:
        used = (f"{s.name} ({_STATUS_WORDS[s.status]})" for s in notes.strategies)
        lines.append(f"Interventions: {'; '.join(used)}.")
    if notes.action_items:
        lines.append(f"Homework: {'; '.join(item.task for item in notes.action_items)}.")
    if notes.treatment_goals:
        lines.append(f"Goals stated: {'; '.join(_goal(g) for g in notes.treatment_goals)}.")
    if notes.unresolved_concerns:
        lines.append(f"Open concerns: {'; '.join(notes.unresolved_concerns)}.")
    if notes.risk_flags:
        lines.append(f"RISK — review required: {'; '.join(map(_risk, notes.risk_flags))}.")
    if notes.follow_up_topics:
        lines.append(f"Follow up: {'; '.join(notes.follow_up_topics)}.")
    return "\n".join(lines)


def patient_summary(notes: ExtractedNotes) -> str:
    lines = []
    if notes.key_topics:
        lines.append(f"Today we talked about {_join(notes.key_topics)}.")
    practiced = _names(notes, StrategyStatus.practiced)
    if practiced:
        lines.append(f"Together we practised {_join(practiced)}.")
    introduced = _names(notes, StrategyStatus.introduced)
    if introduced:
        lines.append(f"We looked at something new that may help: {_join(introduced)}.")
    if notes.action_items:
        tasks = "; ".join(_lower_first(item.task) for item in notes.action_items)
        lines.append(f"Before our next session: {tasks}.")
    if notes.treatment_goals:
        goals = "; ".join(_lower_first(goal.description) for goal in notes.treatment_goals)
        lines.append(f"Your goals: {goals}.")
    if notes.follow_up_topics:
        lines.append(f"Next time we plan to talk about {_join(notes.follow_up_topics)}.")
    if notes.risk_flags:
        lines.append(_SAFETY_LINE)
    return "\n".join(lines)


def _goal(goal: ExtractedGoal) -> str:
    if goal.baseline and goal.current and goal.baseline != goal.current:
        return f"{goal.description} (from {goal.baseline} to {goal.current})"
    reading = goal.current or goal.baseline
    return f"{goal.description} ({reading})" if reading else goal.description


def _risk(flag: RiskFlag) -> str:
    where = f" (segment {flag.segment_index})" if flag.segment_index is not None else ""
    return f'{flag.type.value.replace("_", " ")}, {flag.severity.value}: "{flag.evidence}"{where}'


def _names(notes: ExtractedNotes, status: StrategyStatus) -> list[str]:
    return [_lower_first(s.name) for s in notes.strategies if s.status is status]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"

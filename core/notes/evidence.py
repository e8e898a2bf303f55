"""What a session's extracted notes say, ready to fill template fields.

Each piece of evidence is either text or a list of one-line items, and keeps that type so
confidence can be scored on it. Nothing is invented: a source the notes leave empty gives ""
or [], and risk is described only from flags or from a screening exchange that happened.
"""

from core.extracted_notes import (
    ActionItem,
    ExtractedGoal,
    ExtractedNotes,
    RiskCategory,
    RiskFlag,
    RiskType,
    SignificantQuote,
    Strategy,
    StrategyStatus,
    Trigger,
)
from core.notes.screening import RiskScreening, ScreeningAnswer, ScreeningTopic

Evidence = str | list[str]

RISK_LABELS = {
    RiskType.suicidal_ideation_passive: "Passive suicidal ideation",
    RiskType.suicidal_ideation_active: "Active suicidal ideation",
    RiskType.self_harm: "Self-harm",
    RiskType.harm_to_others: "Harm to others",
    RiskType.lethal_means: "Access to lethal means",
    RiskType.abuse_neglect: "Abuse or neglect",
}
CATEGORY_LABELS = {
    RiskCategory.wish_to_be_dead: "Wish to be dead",
    RiskCategory.passive_ideation: "Passive suicidal ideation",
    RiskCategory.active_ideation: "Active suicidal ideation",
    RiskCategory.ideation_with_method: "Suicidal ideation with a method",
    RiskCategory.ideation_with_intent: "Suicidal ideation with intent",
    RiskCategory.ideation_with_plan: "Suicidal ideation with a plan",
    RiskCategory.preparatory_behaviour: "Suicidal preparatory behaviour",
    RiskCategory.self_injury: "Self-harm",
    RiskCategory.reckless_overdose: "Overdose or reckless substance use",
    RiskCategory.harm_to_others: "Harm to others",
    RiskCategory.lethal_means: "Access to lethal means",
    RiskCategory.abuse_neglect: "Abuse or neglect",
}
_SCREENING_LABELS = {
    ScreeningTopic.suicidal_ideation: "suicidal ideation",
    ScreeningTopic.self_harm: "self-harm",
}


def gather_evidence(
    notes: ExtractedNotes, screening: RiskScreening | None = None
) -> dict[str, Evidence]:
    """Every evidence source the templates refer to, by name."""
    mood = _words(notes.session_mood)
    strategies = notes.strategies
    return {
        # The specification maps session_mood + topic_summary here and its example shows the
        # summary alone: the mood stands in only when there is no summary.
        "chief_complaint": notes.topic_summary or (f"Session mood: {mood}" if mood else ""),
        "topic_summary": notes.topic_summary,
        "mood": mood,
        "mood_trajectory": _words(notes.mood_trajectory),
        "key_topics": notes.key_topics,
        "emotional_themes": notes.emotional_themes,
        "unresolved_concerns": notes.unresolved_concerns,
        "follow_up_topics": notes.follow_up_topics,
        "next_session_focus": notes.follow_up_topics[:3],
        "significant_quotes": [_quote(quote) for quote in notes.significant_quotes],
        "triggers": [_trigger(trigger) for trigger in notes.triggers],
        "action_items": [_action(item) for item in notes.action_items],
        "therapist_notes": notes.therapist_notes,
        "treatment_goals": [_goal(goal) for goal in notes.treatment_goals],
        "strategies": _strategies(strategies, set(StrategyStatus)),
        "strategies_reviewed": _strategies(strategies, {StrategyStatus.reviewed}),
        "strategies_assigned": _strategies(strategies, {StrategyStatus.assigned}),
        "strategies_applied": _strategies(
            strategies, {StrategyStatus.practiced, StrategyStatus.introduced}
        ),
        # "Engagement summary": what the patient did with the strategies, nothing inferred.
        "engagement": _strategies(strategies, {StrategyStatus.practiced, StrategyStatus.reviewed}),
        # Observed presentation only: what the session describes, never the detected themes.
        "presentation": notes.presentation,
        "observations": _sentences(notes.topic_summary, *notes.presentation),
        "risk": risk_evidence(notes.risk_flags, screening),
    }


NOT_ASSESSED = "Not assessed this session (no screening question found in the transcript)"
_ANSWERS = {
    ScreeningAnswer.negative: "answered no",
    ScreeningAnswer.affirmative: "answered yes",
    ScreeningAnswer.unclear: "the answer was unclear",
}


def risk_evidence(flags: list[RiskFlag], screening: RiskScreening | None) -> Evidence:
    """What the session shows about risk: the flags, and what was asked and answered.

    A denial is written only when the question was asked and plainly answered no, and never
    beside flags as if it settled them: with flags, the exchange is stated as it happened. No
    flags and no screening question: "not assessed", never an implied all-clear.
    """
    if flags:
        lines = [_risk_flag(flag) for flag in flags]
        if screening is not None:
            lines.append(_exchange(screening))
        return lines
    if screening is None:
        return NOT_ASSESSED
    topics = _topics(screening)
    if screening.answer_segment is None:
        return (
            f"Patient was asked about {topics} (segment {screening.question_segment}) and no "
            "answer was recorded; clinician review required"
        )
    where = f"(segment {screening.answer_segment})"
    if screening.answer == ScreeningAnswer.negative:
        return f"Patient denied {topics} when asked {where}"
    return (
        f"Patient's answer when asked about {topics} was {screening.answer} {where}; "
        "clinician review required"
    )


def _topics(screening: RiskScreening) -> str:
    return " and ".join(_SCREENING_LABELS[topic] for topic in screening.topics)


def _exchange(screening: RiskScreening) -> str:
    asked = f"Asked about {_topics(screening)} (segment {screening.question_segment})"
    if screening.answer_segment is None:
        return f"{asked}; no answer was recorded"
    return f"{asked}; {_ANSWERS[screening.answer]} (segment {screening.answer_segment})"


def render(evidence: Evidence) -> str:
    """Text as it is; list items as "• item" lines."""
    if isinstance(evidence, list):
        return "\n".join(f"• {item}" for item in evidence)
    return evidence


def _words(value: str | None) -> str:
    """An enum value as words: "very_low" → "very low"."""
    return value.replace("_", " ") if value else ""


def _strategies(strategies: list[Strategy], statuses: set[StrategyStatus]) -> list[str]:
    return [_strategy(strategy) for strategy in strategies if strategy.status in statuses]


def _strategy(strategy: Strategy) -> str:
    kind = ", ".join(part for part in (strategy.category, strategy.status) if part)
    return _with_context(f"{strategy.name} ({kind})", strategy.context)


def _trigger(trigger: Trigger) -> str:
    severity = f" ({trigger.severity})" if trigger.severity else ""
    return _with_context(trigger.trigger + severity, trigger.context)


def _action(item: ActionItem) -> str:
    return _with_context(item.task, item.details)


def _goal(goal: ExtractedGoal) -> str:
    """ "Walk daily — 6/10": the goal and the session's reading (core.notes.record reads it)."""
    reading = goal.current or goal.baseline
    if not reading:
        return goal.description
    stated_both = goal.current and goal.baseline and goal.current != goal.baseline
    earlier = f" (earlier {goal.baseline})" if stated_both else ""
    return f"{goal.description} — {reading}{earlier}"


def _quote(quote: SignificantQuote) -> str:
    return _with_context(f'"{quote.quote}"', quote.context)


def _risk_flag(flag: RiskFlag) -> str:
    where = f" (segment {flag.segment_index})" if flag.segment_index is not None else ""
    return f'{risk_label(flag)} ({flag.severity} severity): "{flag.evidence}"{where}'


def risk_label(flag: RiskFlag) -> str:
    """The flag's name as a clinician reads it: its C-SSRS category when the screen gave one."""
    return CATEGORY_LABELS[flag.category] if flag.category else RISK_LABELS[flag.type]


def _with_context(text: str, context: str | None) -> str:
    return f"{text} — {context}" if context else text


def _sentences(*parts: str) -> str:
    """Non-empty parts as sentences: each ends with a full stop unless it has its own."""
    return " ".join(part if part[-1] in ".!?" else f"{part}." for part in parts if part)

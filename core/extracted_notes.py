"""The structured notes extracted from a session transcript.

Every back end (local rules, OpenAI) produces an `ExtractedNotes`; it is validated again
whenever it is written to the database. Nothing here has an invented default: what a
transcript does not say stays empty (or None).
"""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class StrategyStatus(StrEnum):
    introduced = "introduced"
    practiced = "practiced"
    assigned = "assigned"
    reviewed = "reviewed"


class MoodLevel(StrEnum):
    very_low = "very_low"
    low = "low"
    neutral = "neutral"
    positive = "positive"
    very_positive = "very_positive"


class MoodTrajectory(StrEnum):
    improving = "improving"
    declining = "declining"
    stable = "stable"
    fluctuating = "fluctuating"


class RiskType(StrEnum):
    """The kind of risk, as alerts and reports group it."""

    suicidal_ideation_passive = "suicidal_ideation_passive"
    suicidal_ideation_active = "suicidal_ideation_active"
    self_harm = "self_harm"
    harm_to_others = "harm_to_others"
    lethal_means = "lethal_means"
    abuse_neglect = "abuse_neglect"


class RiskCategory(StrEnum):
    """What exactly was said, after the Columbia Suicide Severity Rating Scale (C-SSRS): the
    suicidal ladder from a wish to be dead to a plan and preparation, then the other risks."""

    wish_to_be_dead = "wish_to_be_dead"
    passive_ideation = "passive_ideation"
    active_ideation = "active_ideation"
    ideation_with_method = "ideation_with_method"
    ideation_with_intent = "ideation_with_intent"
    ideation_with_plan = "ideation_with_plan"
    preparatory_behaviour = "preparatory_behaviour"
    self_injury = "self_injury"
    reckless_overdose = "reckless_overdose"
    harm_to_others = "harm_to_others"
    lethal_means = "lethal_means"
    abuse_neglect = "abuse_neglect"

    @property
    def risk_type(self) -> RiskType:
        return _TYPE_OF_CATEGORY[self]


_TYPE_OF_CATEGORY = {
    RiskCategory.wish_to_be_dead: RiskType.suicidal_ideation_passive,
    RiskCategory.passive_ideation: RiskType.suicidal_ideation_passive,
    RiskCategory.active_ideation: RiskType.suicidal_ideation_active,
    RiskCategory.ideation_with_method: RiskType.suicidal_ideation_active,
    RiskCategory.ideation_with_intent: RiskType.suicidal_ideation_active,
    RiskCategory.ideation_with_plan: RiskType.suicidal_ideation_active,
    RiskCategory.preparatory_behaviour: RiskType.suicidal_ideation_active,
    RiskCategory.self_injury: RiskType.self_harm,
    RiskCategory.reckless_overdose: RiskType.self_harm,
    RiskCategory.harm_to_others: RiskType.harm_to_others,
    RiskCategory.lethal_means: RiskType.lethal_means,
    RiskCategory.abuse_neglect: RiskType.abuse_neglect,
}


class Severity(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Speaker(StrEnum):
    therapist = "therapist"
    patient = "patient"


class TranscriptSegment(_Model):
    start: float = Field(ge=0)
    end: float = Field(ge=0)
    text: str
    speaker: Speaker | None = None


class Strategy(_Model):
    name: str = Field(min_length=1, description="e.g. 'Box breathing'")
    category: str = Field(description="e.g. 'breathing', 'cognitive', 'behavioral'")
    status: StrategyStatus
    context: str = Field(default="", description="How it came up in the session")


class Trigger(_Model):
    trigger: str = Field(min_length=1)
    context: str = ""
    severity: str | None = Field(default=None, description="mild, moderate or severe")


class ActionItem(_Model):
    task: str = Field(min_length=1)
    category: str = Field(default="homework", description="homework, reflection, behavioral…")
    details: str | None = None


class SignificantQuote(_Model):
    quote: str = Field(min_length=1)
    context: str = ""
    timestamp_start: float | None = None
    segment_index: int | None = Field(default=None, ge=0)


class RiskFlag(_Model):
    type: RiskType
    severity: Severity
    evidence: str = Field(min_length=1, description="The patient's words that raised the flag")
    segment_index: int | None = Field(default=None, ge=0)
    context: str = Field(default="", description="What the words answered, e.g. a question")
    category: RiskCategory | None = Field(
        default=None, description="What was said, after C-SSRS; None from older analyses"
    )
    score: float | None = Field(
        default=None, ge=0, le=1, description="How close the words came to the category"
    )
    reason: str = Field(default="", description="Why the screen raised it, for the clinician")


class ExtractedGoal(_Model):
    description: str = Field(min_length=1)
    baseline: str | None = Field(default=None, description="e.g. '8/10'")
    current: str | None = None
    evidence: str | None = None


class ExtractedNotes(_Model):
    key_topics: list[str] = Field(default_factory=list)
    topic_summary: str = ""
    strategies: list[Strategy] = Field(default_factory=list)
    emotional_themes: list[str] = Field(default_factory=list)
    triggers: list[Trigger] = Field(default_factory=list)
    action_items: list[ActionItem] = Field(default_factory=list)
    significant_quotes: list[SignificantQuote] = Field(default_factory=list)
    session_mood: MoodLevel | None = None
    mood_trajectory: MoodTrajectory | None = None
    follow_up_topics: list[str] = Field(default_factory=list)
    unresolved_concerns: list[str] = Field(default_factory=list)
    risk_flags: list[RiskFlag] = Field(default_factory=list)
    treatment_goals: list[ExtractedGoal] = Field(default_factory=list)
    presentation: list[str] = Field(
        default_factory=list,
        description="How the patient presented, as observed in the session (not inferred)",
    )
    therapist_notes: str = ""
    patient_summary: str = ""

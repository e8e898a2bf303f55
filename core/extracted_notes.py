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
    suicidal_ideation_passive = "suicidal_ideation_passive"
    suicidal_ideation_active = "suicidal_ideation_active"
    self_harm = "self_harm"
    harm_to_others = "harm_to_others"
    abuse_neglect = "abuse_neglect"


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

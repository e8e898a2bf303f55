import pytest

from core.extracted_notes import (
    ActionItem,
    ExtractedNotes,
    MoodLevel,
    MoodTrajectory,
    Strategy,
    StrategyStatus,
)


@pytest.fixture
def spec_notes() -> ExtractedNotes:
    """The extracted notes of the specification's usage example (section 7)."""
    return ExtractedNotes(
        topic_summary="Discussed anxiety management strategies",
        session_mood=MoodLevel.positive,
        mood_trajectory=MoodTrajectory.improving,
        key_topics=["anxiety", "breathing"],
        emotional_themes=["hopeful", "engaged"],
        strategies=[
            Strategy(
                name="Box breathing",
                category="breathing",
                status=StrategyStatus.practiced,
                context="Patient used during session",
            )
        ],
        action_items=[
            ActionItem(
                task="Practice breathing exercises",
                category="homework",
                details="5 minutes daily",
            )
        ],
        risk_flags=[],
        therapist_notes="Good engagement, making progress on anxiety management",
    )

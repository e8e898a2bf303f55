from core.extracted_notes import (
    ExtractedNotes,
    MoodLevel,
    MoodTrajectory,
    RiskFlag,
    RiskType,
    Severity,
    Strategy,
    StrategyStatus,
)
from core.extraction.merge import merge_notes


def flag(index: int, evidence: str = "I want to die.") -> RiskFlag:
    return RiskFlag(
        type=RiskType.suicidal_ideation_passive,
        severity=Severity.medium,
        evidence=evidence,
        segment_index=index,
    )


def test_lists_are_joined_without_repeats_and_every_risk_flag_is_kept() -> None:
    breathing = Strategy(name="Box breathing", category="breathing", status="practiced")
    first = ExtractedNotes(
        key_topics=["anxiety", "sleep"],
        strategies=[breathing],
        risk_flags=[flag(3)],
        topic_summary="Discussed anxiety.",
    )
    second = ExtractedNotes(
        key_topics=["Anxiety", "work stress"],
        strategies=[
            breathing,
            breathing.model_copy(update={"status": StrategyStatus.assigned}),
        ],
        risk_flags=[flag(3), flag(40)],
        topic_summary="Discussed work.",
    )

    merged = merge_notes([first, second])

    assert merged.key_topics == ["anxiety", "sleep", "work stress"]
    assert [s.status for s in merged.strategies] == ["practiced", "assigned"]
    assert [f.segment_index for f in merged.risk_flags] == [3, 40]
    assert merged.topic_summary == "Discussed anxiety. Discussed work."


def test_mood_is_the_median_and_the_trajectory_runs_from_first_to_last_part() -> None:
    parts = [
        ExtractedNotes(session_mood=MoodLevel.low),
        ExtractedNotes(),
        ExtractedNotes(session_mood=MoodLevel.neutral),
        ExtractedNotes(session_mood=MoodLevel.positive),
    ]

    merged = merge_notes(parts)

    assert merged.session_mood is MoodLevel.neutral
    assert merged.mood_trajectory is MoodTrajectory.improving


def test_a_mood_that_moves_and_comes_back_fluctuates() -> None:
    moods = [MoodLevel.low, MoodLevel.positive, MoodLevel.low]

    merged = merge_notes([ExtractedNotes(session_mood=mood) for mood in moods])

    assert merged.mood_trajectory is MoodTrajectory.fluctuating


def test_a_single_part_is_returned_as_it_is() -> None:
    notes = ExtractedNotes(key_topics=["grief"], mood_trajectory=MoodTrajectory.declining)

    assert merge_notes([notes]) is notes

import pytest

from core.annomi import load_conversations
from core.extracted_notes import (
    ExtractedNotes,
    MoodLevel,
    MoodTrajectory,
    RiskType,
    Speaker,
    StrategyStatus,
    TranscriptSegment,
)
from core.extraction.local import LocalExtractor, extract_notes
from core.extraction.transcript import parse_transcript


def notes_of(transcript: str) -> ExtractedNotes:
    return extract_notes(parse_transcript(transcript))


NEUTRAL = """
T: Good to see you. How was the drive over?
P: Fine, the roads were clear. I listened to the radio.
T: Shall we start with what you'd like to cover today?
P: Sure. I went to the shops on Saturday and cooked dinner on Sunday.
"""


def test_a_neutral_transcript_invents_nothing() -> None:
    notes = notes_of(NEUTRAL)

    assert notes.risk_flags == []
    assert notes.strategies == []
    assert notes.action_items == []
    assert notes.triggers == []
    assert notes.treatment_goals == []
    assert notes.unresolved_concerns == []
    assert notes.follow_up_topics == []
    assert notes.key_topics == []
    assert notes.topic_summary == ""
    assert notes.session_mood is None
    assert notes.mood_trajectory is None
    assert notes.patient_summary == ""


def test_key_topics_are_the_best_evidenced_first() -> None:
    # A topic needs two sentences (or one very close in meaning and one more): work comes up
    # in two sentences here, not in one as before, when each word counted.
    notes = notes_of(
        "T: How much are you drinking at the moment?\n"
        "P: Most nights a bottle of wine, more when my job gets busy. My boss keeps piling on "
        "deadlines and I drink to switch off.\n"
        "T: And sleep?\nP: I sleep badly after drinking."
    )

    assert notes.key_topics[0] == "alcohol use"
    assert "work stress" in notes.key_topics
    assert notes.topic_summary.startswith("Discussed alcohol use")


def test_a_single_passing_mention_is_not_a_topic() -> None:
    assert (
        "gambling" not in notes_of("P: My uncle used to gamble, but that was years ago.").key_topics
    )


def test_mood_is_read_from_the_patient_with_negation() -> None:
    low = notes_of("T: You look happy today.\nP: I'm not happy. I feel sad and hopeless.")
    positive = notes_of("P: I'm not anxious anymore. I feel calm and hopeful.")

    assert low.session_mood in (MoodLevel.low, MoodLevel.very_low)
    assert positive.session_mood in (MoodLevel.positive, MoodLevel.very_positive)
    assert "sadness" in low.emotional_themes
    assert "anxiety" not in positive.emotional_themes


def test_mood_trajectory_compares_the_first_and_last_third_of_patient_speech() -> None:
    notes = notes_of(
        "P: I've been miserable and anxious all week.\nT: Go on.\n"
        "P: Everything felt awful.\nT: And now?\n"
        "P: We talked it through.\nT: Yes.\n"
        "P: Honestly I feel better now, a bit hopeful.\nT: Good.\n"
        "P: Calm, even.\nT: Okay.\nP: Relieved, really."
    )

    assert notes.mood_trajectory is MoodTrajectory.improving


def test_strategies_carry_what_happened_to_them() -> None:
    notes = notes_of(
        "T: How did the breathing exercises go this week?\n"
        "P: I tried the box breathing twice and it helped.\n"
        "T: Let's try box breathing together now. Breathe in for four.\n"
        "T: You could also try a thought record when the worry spikes.\n"
        "T: This week, try keeping a thought record every evening.\n"
        "P: My sister does yoga and meditation."
    )

    statuses = {(s.name, s.status) for s in notes.strategies}
    assert statuses == {
        ("Deep breathing", StrategyStatus.reviewed),
        ("Box breathing", StrategyStatus.reviewed),
        ("Box breathing", StrategyStatus.practiced),
        ("Thought record", StrategyStatus.introduced),
        ("Thought record", StrategyStatus.assigned),
    }


def test_homework_from_the_therapist_and_commitments_from_the_patient() -> None:
    notes = notes_of(
        "T: Before next session, write down three things that went well each day.\n"
        "P: I'll call the GP this week about the tablets.\n"
        "T: How did the diary go this week?"
    )

    assert [(a.task, a.details) for a in notes.action_items] == [
        ("Write down three things that went well each day", None),
        ("Call the GP about the tablets", None),
    ]
    assert notes.action_items[0].category == "reflection"


@pytest.mark.parametrize(
    ("said", "task"),
    [
        (
            "For homework, please write down one worry each evening and a kinder answer to it.",
            "Write down one worry each evening and a kinder answer to it",
        ),
        (
            "So what I'd like you to try this week is to walk for ten minutes every morning.",
            "Walk for ten minutes every morning",
        ),
        (
            "Could you maybe fill in the sleep diary every day this week?",
            "Fill in the sleep diary every day",
        ),
        (
            "Your homework is to notice when the anger starts and take a time-out.",
            "Notice when the anger starts and take a time-out",
        ),
        (
            "Okay, between sessions I want you to keep a record of your drinking, alright?",
            "Keep a record of your drinking",
        ),
        (
            "Would you be willing to text your friend before Friday?",
            "Text your friend before Friday",
        ),
    ],
)
def test_homework_reads_as_a_clean_imperative(said: str, task: str) -> None:
    assert [a.task for a in notes_of(f"T: {said}").action_items] == [task]


def test_triggers_in_the_patients_words() -> None:
    notes = notes_of(
        "P: When my boss shouts at me I just want a drink. And being around my ex makes me anxious."
    )

    assert [t.trigger for t in notes.triggers] == ["my boss shouts at me", "being around my ex"]
    assert notes.triggers[0].context == "When my boss shouts at me I just want a drink."


def test_a_stated_goal_and_a_rating_become_treatment_goals() -> None:
    notes = notes_of(
        "P: I want to cut down to two drinks a night, but it's hard.\n"
        "T: On a scale of 0 to 10, how anxious do you feel right now?\n"
        "P: Maybe an 8.\n"
        "T: And after the exercise?\n"
        "P: My anxiety is about a 5 out of 10 now."
    )

    goals = {(g.description, g.baseline, g.current) for g in notes.treatment_goals}
    assert goals == {
        ("Cut down to two drinks a night", None, None),
        ("Anxiety (0–10)", "8/10", "5/10"),
    }


def test_a_wish_to_stop_living_is_risk_not_a_goal() -> None:
    notes = notes_of("P: I just want to stop existing.")

    assert notes.treatment_goals == []
    assert [f.type for f in notes.risk_flags] == [RiskType.suicidal_ideation_passive]


def test_worries_and_follow_up_topics() -> None:
    notes = notes_of(
        "P: I'm worried about losing my job. I don't know how to tell my wife.\n"
        "T: Next time let's talk about your relationship with your sister."
    )

    assert notes.unresolved_concerns == [
        "Worried about losing my job",
        "Does not know how to tell my wife",
    ]
    assert notes.follow_up_topics == ["your relationship with your sister"]


def test_quotes_put_risk_first_and_point_at_their_segment_and_time() -> None:
    segments = [
        TranscriptSegment(start=0, end=4, text="How has it been?", speaker=Speaker.therapist),
        TranscriptSegment(
            start=4,
            end=12,
            text="I really hate myself and I feel so worthless lately. I want to die.",
            speaker=Speaker.patient,
        ),
    ]

    quotes = extract_notes(segments).significant_quotes

    assert [(q.quote, q.segment_index, q.timestamp_start) for q in quotes] == [
        ("I really hate myself and I feel so worthless lately.", 1, 4.0),
        ("I want to die.", 1, 4.0),
    ]
    assert quotes[1].context == "risk disclosure"


def test_quotes_from_untimed_text_have_no_timestamp() -> None:
    notes = notes_of("P: I feel so hopeless and exhausted about all of it.")

    assert [q.timestamp_start for q in notes.significant_quotes] == [None]


def test_summaries_repeat_only_extracted_facts() -> None:
    notes = notes_of(
        "T: Let's try box breathing together now.\n"
        "P: I want to die sometimes.\n"
        "T: This week, practise the breathing every morning."
    )

    assert "Box breathing (practiced in session)" in notes.therapist_notes
    assert 'suicidal ideation passive, medium: "I want to die sometimes."' in notes.therapist_notes
    assert "Together we practised box breathing." in notes.patient_summary
    assert "Practise the breathing every morning" in notes.therapist_notes
    assert "want to die" not in notes.patient_summary
    assert "emergency" in notes.patient_summary


def test_the_summary_never_claims_an_all_clear() -> None:
    # Risk is the risk field's to state (what was asked and answered), not the summary's.
    assert "risk" not in notes_of(NEUTRAL).therapist_notes.lower()
    assert notes_of("T: Hello, welcome.").therapist_notes == ""


def test_extraction_is_deterministic_on_a_real_conversation() -> None:
    segments = list(load_conversations()[0].segments)

    first = extract_notes(segments).model_dump()

    assert extract_notes(segments).model_dump() == first
    assert "alcohol use" in first["key_topics"]


async def test_the_local_extractor_answers_through_the_protocol() -> None:
    notes = await LocalExtractor().extract(
        parse_transcript("P: I've been smoking a lot. I smoke all day.")  # two sentences: a topic
    )

    assert notes.key_topics == ["smoking"]


def test_a_rating_of_nothing_named_or_asked_is_not_a_goal() -> None:
    assert notes_of("P: My sister gave it 9 out of 10.").treatment_goals == []


def test_a_single_rating_is_a_reading_not_a_baseline() -> None:
    notes = notes_of(
        "T: On a scale of 0 to 10, how confident are you that you can do it?\nP: Maybe a 7."
    )

    [goal] = notes.treatment_goals
    assert (goal.description, goal.baseline, goal.current) == ("Confidence (0–10)", None, "7/10")
    assert "baseline" not in notes.therapist_notes


def test_presentation_is_what_the_session_describes() -> None:
    notes = notes_of(
        "T: You seem a bit tired today.\n"
        "P: [sighs] I didn't sleep.\n"
        "T: You look like you want to say something.\n"
        "P: I look terrible, honestly."
    )

    assert notes.presentation == ["Seemed tired (therapist's observation)", "Sighed audibly"]

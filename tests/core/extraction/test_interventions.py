"""Interventions found by what the therapist does, not only by their names."""

from __future__ import annotations

import pytest

from bench.extraction.corpus_eval import INTERVENTION_NAMES
from core.extracted_notes import StrategyStatus
from core.extraction.interventions import INTERVENTIONS, find_interventions
from core.extraction.strategies import STRATEGY_LEXICON
from core.extraction.text import split_sentences
from core.extraction.transcript import parse_transcript


def found(transcript: str) -> dict[str, StrategyStatus]:
    strategies = find_interventions(split_sentences(parse_transcript(transcript)))
    return {strategy.name: strategy.status for strategy in strategies}


@pytest.mark.parametrize(
    ("transcript", "name"),
    [
        (
            "P: The thoughts were loud again on Tuesday night.\n"
            "T: Let's put together what you'll do if they come back. What's the first sign a "
            "night is turning bad?\nP: I stop answering my phone.\n"
            "T: And who could you ring, or go and sit with, when that happens?\n"
            "P: My cousin, maybe.\n"
            "T: We'll write her down, with the crisis number, on a card for your purse.",
            "Safety plan",
        ),
        (
            "P: I've got a stash of my mum's sleeping tablets in the drawer.\n"
            "T: While things are this bad, would you be willing to let your sister look after "
            "them for you, so they're not within reach?",
            "Means restriction",
        ),
        (
            "P: My chest is going, I can't think.\n"
            "T: Stay with me. Tell me five things you can see in this room.\nP: The lamp, the "
            "window, a mug, your notebook, the rug.\nT: Now four things you can hear.",
            "Grounding",
        ),
        (
            "P: I just explode at him.\n"
            "T: When you feel it climbing, say you need a break, leave the room calmly, cool "
            "down for twenty minutes and then come back to finish talking.",
            "Time-out",
        ),
        (
            "P: I suppose I should cut down on the betting.\n"
            "T: On a scale from zero to ten, how important is it to you to cut down?\n"
            "P: Maybe a six.\nT: And how confident are you that you could, from zero to ten?",
            "Motivational interviewing",
        ),
        (
            "P: Everyone at the party will think I'm boring.\n"
            "T: What evidence do you have for that thought, and what evidence against it?",
            "Cognitive restructuring",
        ),
    ],
)
def test_an_intervention_the_therapist_does_without_naming_it(transcript: str, name: str) -> None:
    statuses = found(transcript)

    assert name in statuses
    assert statuses[name] is not StrategyStatus.reviewed


def test_ordinary_talk_is_no_intervention() -> None:
    assert (
        found(
            "T: Good to see you. How was the drive over?\n"
            "P: Fine, the roads were clear. I listened to the radio.\n"
            "T: Shall we start with what you'd like to cover today?\n"
            "P: Sure. I went to the shops on Saturday and cooked dinner on Sunday."
        )
        == {}
    )


def test_the_patients_words_are_never_read_as_the_therapists() -> None:
    # The same words from the patient are not the therapist doing grounding.
    assert "Grounding" not in found(
        "P: When it gets bad I name five things I can see and four things I can hear.\nT: Mm."
    )


def test_a_named_strategy_keeps_its_status_rules() -> None:
    statuses = found(
        "T: Have you heard of progressive muscle relaxation?\n"
        "T: This week, try a thought record every evening.\n"
        "P: I tried the mindfulness app and it helped."
    )

    assert statuses == {
        "Progressive muscle relaxation": StrategyStatus.introduced,
        "Thought record": StrategyStatus.assigned,
        "Mindfulness": StrategyStatus.reviewed,
    }


def test_a_strategy_the_therapist_names_while_doing_it_counts() -> None:
    statuses = found("T: It's called box breathing. In for four, hold for four, out for four.")

    assert statuses == {"Box breathing": StrategyStatus.practiced}


def test_a_rating_question_is_not_a_motivational_ruler() -> None:
    assert "Motivational interviewing" not in found(
        "T: How would you rate your mood this week, from zero to ten?\nP: About a four."
    )


def test_each_intervention_can_be_scored_against_the_corpus() -> None:
    for intervention in INTERVENTIONS:
        assert intervention.name in STRATEGY_LEXICON, intervention.name
        assert intervention.name.lower() in INTERVENTION_NAMES, intervention.name
        assert intervention.examples

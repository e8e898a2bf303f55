"""Topics need real presence: not denied, not incidental, not a single passing word."""

from __future__ import annotations

from core.extraction.text import split_sentences
from core.extraction.topics import TOPIC_DESCRIPTIONS, TOPIC_LEXICON, find_topics, topic_evidence
from core.extraction.transcript import parse_transcript


def topics(transcript: str) -> list[str]:
    return find_topics(split_sentences(parse_transcript(transcript)))


FAMILY_ROW = (
    "P: My dad and I had another huge row about my curfew.\n"
    "T: What happened?\nP: He grounded me for a month and my mum just agreed with him.\n"
    "T: How are things with your parents now?\nP: We're not speaking. My brother takes his side.\n"
)


def test_a_denied_screening_question_is_not_a_topic() -> None:
    found = topics(
        FAMILY_ROW + "T: When it gets that bad, have you ever hurt yourself on purpose, like "
        "cutting or burning yourself?\nP: Nah. Never. I've never cut myself, I'm not like that."
    )

    assert "family" in found
    assert "self-harm" not in found


def test_a_negated_mention_is_no_evidence() -> None:
    sentences = split_sentences(
        parse_transcript(
            "P: I've never self-harmed.\nP: I'm not suicidal and I never cut myself.\n"
            "P: I don't want to kill myself."
        )
    )

    evidence = topic_evidence(sentences)

    assert evidence.get("self-harm") is None or evidence["self-harm"].mentions == 0
    assert evidence.get("suicidal thoughts") is None or evidence["suicidal thoughts"].mentions == 0


def test_medication_as_a_means_to_lock_away_is_not_medication_adherence() -> None:
    found = topics(
        "P: I've been thinking I'd be better off dead. I keep thinking about killing myself.\n"
        "T: Is there anything at home you've thought about using?\n"
        "P: There are my tablets in the bathroom cabinet.\n"
        "T: Could your husband lock the tablets away for now, or hold on to the medication?\n"
        "P: Yes, he can keep the pills in his safe.\n"
    )

    assert "medication adherence" not in found
    assert "suicidal thoughts" in found


def test_a_topic_is_found_by_meaning_without_its_words() -> None:
    found = topics(
        "P: Some nights I lie there and wish I could just go to sleep and not wake up.\n"
        "T: How often?\nP: Most nights. Everyone would be better off without me around.\n"
    )

    assert "suicidal thoughts" in found


def test_the_best_evidenced_topics_come_first_and_are_few() -> None:
    found = topics(
        "P: I'm drinking most nights, a bottle of wine at least.\n"
        "T: How much at the weekend?\nP: More. I drink until I pass out on Saturdays.\n"
        "P: The hangovers are making me late for work.\n"
        "P: My boss has noticed. My sister says I drink too much too.\n"
    )

    assert found[0] == "alcohol use"
    assert len(found) <= 3


def test_one_passing_sentence_is_not_a_topic() -> None:
    assert topics("P: My uncle used to gamble, but that was years ago.") == []


def test_every_topic_has_descriptions() -> None:
    assert set(TOPIC_DESCRIPTIONS) == set(TOPIC_LEXICON)
    assert all(TOPIC_DESCRIPTIONS.values())

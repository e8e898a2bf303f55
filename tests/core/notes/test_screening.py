import csv
from collections import defaultdict
from pathlib import Path

import pytest

from core.extracted_notes import Speaker, TranscriptSegment
from core.notes.screening import (
    ScreeningAnswer,
    ScreeningTopic,
    classify_answer,
    find_risk_screening,
)

THERAPIST, PATIENT = Speaker.therapist, Speaker.patient
ANNOMI = Path(__file__).parents[3] / "data" / "annomi" / "AnnoMI-simple.csv"


def dialogue(*turns: tuple[Speaker | None, str]) -> list[TranscriptSegment]:
    return [
        TranscriptSegment(start=5.0 * index, end=5.0 * index + 5, text=text, speaker=speaker)
        for index, (speaker, text) in enumerate(turns)
    ]


def test_finds_the_question_and_the_patients_answer() -> None:
    screening = find_risk_screening(
        dialogue(
            (THERAPIST, "How has your week been?"),
            (PATIENT, "Busy, but okay."),
            (THERAPIST, "Have you had any thoughts of suicide since we last met?"),
            (PATIENT, "No, never."),
        )
    )
    assert screening is not None
    assert screening.topics == (ScreeningTopic.suicidal_ideation,)
    assert (screening.question_segment, screening.answer_segment) == (2, 3)
    assert screening.answer == ScreeningAnswer.negative


def test_a_self_harm_question_is_told_apart_from_suicide() -> None:
    screening = find_risk_screening(
        dialogue((THERAPIST, "Have you been cutting yourself lately?"), (PATIENT, "No."))
    )
    assert screening is not None
    assert screening.topics == (ScreeningTopic.self_harm,)


def test_no_question_means_no_screening() -> None:
    assert find_risk_screening(dialogue((THERAPIST, "How was work?"), (PATIENT, "Fine."))) is None


@pytest.mark.parametrize(
    "turns",
    [
        # Hurting yourself in a fall is not a screening question.
        [(THERAPIST, "Did you hurt yourself when you fell?"), (PATIENT, "No.")],
        # A statement about suicide is not a question.
        [(THERAPIST, "Suicide rates rise in winter."), (PATIENT, "Oh.")],
        # The patient asking is not the therapist screening.
        [(PATIENT, "Do you ask everyone about suicide?"), (THERAPIST, "Yes, I do.")],
        # Without speaker labels nobody can tell who asked.
        [(None, "Any thoughts of suicide?"), (None, "No.")],
    ],
)
def test_what_is_not_a_screening(turns: list[tuple[Speaker | None, str]]) -> None:
    assert find_risk_screening(dialogue(*turns)) is None


def test_a_question_without_a_reply_is_unclear() -> None:
    screening = find_risk_screening(dialogue((THERAPIST, "Any thoughts of ending your life?")))
    assert screening is not None
    assert screening.answer_segment is None
    assert screening.answer == ScreeningAnswer.unclear


def test_a_later_yes_is_not_hidden_by_an_earlier_no() -> None:
    screening = find_risk_screening(
        dialogue(
            (THERAPIST, "Any thoughts of suicide?"),
            (PATIENT, "No."),
            (THERAPIST, "What about harming yourself?"),
            (PATIENT, "Yeah, sometimes I do."),
        )
    )
    assert screening is not None
    assert (screening.answer_segment, screening.answer) == (3, ScreeningAnswer.affirmative)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("No.", ScreeningAnswer.negative),
        ("Nope, nothing like that.", ScreeningAnswer.negative),
        ("Uh, no, I haven't.", ScreeningAnswer.negative),
        ("I haven’t, no.", ScreeningAnswer.negative),
        ("Not at all.", ScreeningAnswer.negative),
        ("Yes.", ScreeningAnswer.affirmative),
        ("Yeah, sometimes.", ScreeningAnswer.affirmative),
        ("Mm-hmm.", ScreeningAnswer.affirmative),
        ("I have.", ScreeningAnswer.affirmative),
        ("Sometimes I think everyone would be better off without me.", ScreeningAnswer.affirmative),
        ("I was thinking about killing myself.", ScreeningAnswer.affirmative),
        ("No, I'm not having any thoughts of hurting myself.", ScreeningAnswer.negative),
        ("I would never kill myself, no.", ScreeningAnswer.negative),
        ("No. Well, actually, last night I counted out my pills.", ScreeningAnswer.unclear),
        ("No, I'm not, but I do think about ending my life.", ScreeningAnswer.unclear),
        ("Not really.", ScreeningAnswer.unclear),
        ("No, but I think about it.", ScreeningAnswer.unclear),
        ("No, it just seems that cutting myself is the only way out.", ScreeningAnswer.unclear),
        ("I'm fine.", ScreeningAnswer.unclear),
        ("Um, I don't know.", ScreeningAnswer.unclear),
        ("", ScreeningAnswer.unclear),
    ],
)
def test_only_a_plain_no_is_a_denial(answer: str, expected: ScreeningAnswer) -> None:
    assert classify_answer(answer) == expected


def test_real_counselling_conversations() -> None:
    """AnnoMI (Wu et al., ICASSP 2022; see data/annomi/README.md): 133 real conversations.

    Only the two about self-harm hold a screening exchange, none reads as a denial, and in
    conversation 107 the patient's "I was thinking about killing myself" is affirmative.
    """
    conversations: dict[str, list[TranscriptSegment]] = defaultdict(list)
    with ANNOMI.open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            segments = conversations[row["transcript_id"]]
            speaker = THERAPIST if row["interlocutor"] == "therapist" else PATIENT
            start = float(len(segments))
            segments.append(
                TranscriptSegment(
                    start=start, end=start + 1, text=row["utterance_text"], speaker=speaker
                )
            )
    screenings = {
        conversation: screening
        for conversation, segments in conversations.items()
        if (screening := find_risk_screening(segments)) is not None
    }
    assert len(conversations) == 133
    assert set(screenings) == {"95", "107"}
    assert all(s.answer != ScreeningAnswer.negative for s in screenings.values())
    assert screenings["107"].answer == ScreeningAnswer.affirmative

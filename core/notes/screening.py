"""Did the therapist ask about suicide or self-harm, and what did the patient answer?

A note may say "Patient denied suicidal ideation when asked" only when that exchange is in the
transcript, so this looks for it. The rules lean towards caution: only a plain "no" is a denial —
which may repeat the question's words ("No, I'm not having any thoughts of hurting myself"); an
answer that hedges ("not really", "no, but…"), takes the denial back ("no… actually, last
night…") or speaks of harming oneself outside a negation is unclear, and unclear answers go to
the clinician. Segments without a speaker label are ignored: without
labels nobody can tell who asked and who answered.
"""

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from core.extracted_notes import Speaker, TranscriptSegment


class ScreeningTopic(StrEnum):
    suicidal_ideation = "suicidal_ideation"
    self_harm = "self_harm"


class ScreeningAnswer(StrEnum):
    affirmative = "affirmative"
    negative = "negative"
    unclear = "unclear"  # also: no answer was recorded


class RiskScreening(BaseModel):
    """One screening exchange; segment numbers are indexes into the transcript's segments."""

    model_config = ConfigDict(frozen=True)

    topics: tuple[ScreeningTopic, ...]
    question_segment: int
    answer_segment: int | None  # None when no patient segment follows the question
    answer: ScreeningAnswer


_QUESTION_TOPICS = {
    ScreeningTopic.suicidal_ideation: re.compile(
        r"suicid|\bkill(?:ing)? yourself|\b(?:end|ending|take|taking) your (?:own )?life"
        r"|better off dead|\bwant(?:ed|ing)? to die|\bwish(?:ed)? you (?:were|was) dead"
        r"|\bthoughts? (?:of|about) (?:death|dying)"
    ),
    # Plain "hurt yourself" is left out: therapists ask it about falls and sports too.
    ScreeningTopic.self_harm: re.compile(
        r"self[- ]?harm|\b(?:harm|harming|cut|cutting|injure|injuring) yourself"
        r"|\bhurt(?:ing)? yourself on purpose"
        r"|\b(?:thoughts?|thinking) (?:of|about) hurting yourself"
    ),
}
_QUESTION_OPENERS = {"any", "are", "could", "did", "do", "ever", "has", "have", "is", "were"}

_FILLERS = re.compile(r"^(?:(?:uh|um|er|erm|hmm|oh|well)\b[\s,.…-]*)+")
_AFFIRMATIVE_OPENERS = {"yes", "yeah", "yep", "yup", "mm-hmm", "uh-huh", "sometimes"}
_AFFIRMATIVE_PHRASES = re.compile(
    r"^i(?:'ve| have| do| did)(?:[\s,.!…]*$|\s+(?:sometimes|thought|had|been thinking))"
)
_NEGATIVE_OPENERS = {"no", "nope", "nah", "never", "none", "nothing"}
_NEGATIONS = re.compile(r"\b(?:not|never)\b|n't\b")
_HEDGES = re.compile(
    r"\b(?:sometimes|maybe|not really|not sure|don't know|do not know|i guess|kind of|kinda"
    r"|sort of|a little|a bit|used to|occasionally|once|but|except|only when|actually"
    r"|to be honest|honestly|truth is|lied|lying|last night|yesterday)\b"
)
_CLAUSES = re.compile(r"[,;.!?…]|\b(?:but|though|although|except|and|so)\b")
_SELF_HARM_TALK = re.compile(
    r"suicid|\b(?:kill(?:ing)?|hurt(?:ing)?|harm(?:ing)?|cut(?:ting)?) myself"
    r"|\bend(?:ing)? (?:it|my life)\b"
    r"|\bwant(?:ed)? to die|better off (?:dead|without me)"
    r"|\b(?:don't|do not) want to (?:live|be here|be alive)"
)

_CONCERN = {
    ScreeningAnswer.affirmative: 2,
    ScreeningAnswer.unclear: 1,
    ScreeningAnswer.negative: 0,
}


def find_risk_screening(segments: list[TranscriptSegment]) -> RiskScreening | None:
    """The screening exchange that matters most, or None when nobody asked.

    When the question was asked more than once, the most concerning answer wins
    (affirmative, then unclear, then negative), so a later "yes" is never hidden by an
    earlier "no".
    """
    screenings = [
        _exchange(segments, index, topics)
        for index, segment in enumerate(segments)
        if segment.speaker == Speaker.therapist
        and is_question(segment.text)
        and (topics := topics_asked(segment.text))
    ]
    if not screenings:
        return None
    return max(screenings, key=lambda screening: _CONCERN[screening.answer])


def classify_answer(text: str) -> ScreeningAnswer:
    """Affirmative, negative (a plain denial only) or unclear."""
    answer = _FILLERS.sub("", text.strip().lower().replace("’", "'"))
    words = answer.split()
    if not words:
        return ScreeningAnswer.unclear
    first_word = words[0].strip(",.!?…")
    opening = " ".join(words[:4])
    denies = first_word in _NEGATIVE_OPENERS or bool(_NEGATIONS.search(opening))
    affirms = first_word in _AFFIRMATIVE_OPENERS or bool(_AFFIRMATIVE_PHRASES.match(answer))
    talks_of_harm = any(
        (match := _SELF_HARM_TALK.search(clause)) and not _NEGATIONS.search(clause[: match.start()])
        for clause in _CLAUSES.split(answer)
    )
    if denies:
        if affirms or talks_of_harm or _HEDGES.search(answer):
            return ScreeningAnswer.unclear
        return ScreeningAnswer.negative
    if affirms or talks_of_harm:
        return ScreeningAnswer.affirmative
    return ScreeningAnswer.unclear


def topics_asked(text: str) -> tuple[ScreeningTopic, ...]:
    lowered = text.lower()
    return tuple(topic for topic, pattern in _QUESTION_TOPICS.items() if pattern.search(lowered))


def is_question(text: str) -> bool:
    words = text.lower().split()
    return "?" in text or (bool(words) and words[0].strip(",.") in _QUESTION_OPENERS)


def _exchange(
    segments: list[TranscriptSegment], question: int, topics: tuple[ScreeningTopic, ...]
) -> RiskScreening:
    reply = next(
        (
            index
            for index in range(question + 1, len(segments))
            if segments[index].speaker == Speaker.patient
        ),
        None,
    )
    answer = ScreeningAnswer.unclear if reply is None else classify_answer(segments[reply].text)
    return RiskScreening(
        topics=topics, question_segment=question, answer_segment=reply, answer=answer
    )

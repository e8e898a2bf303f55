"""Treatment goals the patient states, and the 0–10 ratings they give.

"I want to cut down to two drinks a night" is a goal in the patient's words. A rating ("my
anxiety is about an 8 out of 10", or "maybe a 6" after "on a scale of 0 to 10, how confident
are you…?") becomes a goal named after what was rated ("Confidence (0–10)"), its latest rating
in the session the current reading. A baseline is recorded only when the patient gave an
earlier value on that scale in the same session; nothing is assumed about where they started.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from core.extracted_notes import ExtractedGoal
from core.extraction.text import Sentence, Sentences, first_clause

_CHANGE_GOAL = re.compile(
    r"\b(?:i (?:really )?(?:want|would like|need|hope|am going|plan|am trying|have decided|"
    r"intend|am ready|would love) to|my (?:goal|aim|plan) is to) (?P<goal>(?:cut down|cut back|"
    r"reduce|quit|stop|give up|lose|get (?:back|off|down|fit|healthy|healthier|better|sober|"
    r"clean|a job|more)|start|exercise|walk|run|sleep|drink less|smoke less|be able to|feel|"
    r"manage|control|spend|find|go back|keep|stay|eat|save|pay off|finish|pass|make)\b"
    r"[^.;!?\n]{0,80})",
    re.IGNORECASE,
)
# Words that make a "goal" something else entirely ("I want to stop living").
_NOT_A_GOAL = re.compile(
    r"\b(?:living|existing|being alive|waking up|myself|kill|die|dead|hurt)\b", re.IGNORECASE
)

_NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
)
_NUMBER = rf"(?:10|[0-9]|{'|'.join(_NUMBER_WORDS)})"
_RATING = re.compile(rf"\b(?P<score>{_NUMBER})\s*(?:out of|/|on a scale of)\s*(?:10|ten)\b", re.I)
# A bare answer to a rating question: "Um, maybe a 6.", "Seven, I think."
_BARE_SCORE = re.compile(
    rf"^(?:[,\s]*(?:um|uh|well|maybe|probably|about|around|like|i would|i will|i|say|i think|"
    rf"i guess|i am|it is|a|an|so)\b)*[,\s]*(?P<score>{_NUMBER})\s*(?:[.,!?]|$|or\b|"
    rf"i (?:think|guess))",
    re.IGNORECASE,
)
_SCALE_QUESTION = re.compile(
    r"\bscale (?:of|from) (?:0|zero|1|one)\b|\b(?:0|zero|1|one) to (?:10|ten)\b|"
    r"\bout of (?:10|ten)\b|\b(?:same|that) scale\b|\bruler\b",
    re.IGNORECASE,
)
_RATED_BY_PATIENT = re.compile(
    r"\bmy (?P<thing>\w+(?: \w+)?) (?:is|was|has been|feels|would be|level is)\b", re.I
)
_RATED_IN_QUESTION = re.compile(
    r"\b(?P<adjective>anxious|depressed|stressed|confident|important|ready|motivated|sad|"
    r"worried|happy|angry|willing|committed|likely)\b|\brate your (?P<thing>\w+)\b",
    re.IGNORECASE,
)
_NOUN_OF = {
    "anxious": "anxiety",
    "depressed": "depression",
    "stressed": "stress",
    "confident": "confidence",
    "important": "importance",
    "ready": "readiness",
    "motivated": "motivation",
    "sad": "sadness",
    "worried": "worry",
    "happy": "happiness",
    "angry": "anger",
    "willing": "willingness",
    "committed": "commitment",
    "likely": "likelihood",
}


def find_goals(sentences: Sentences) -> list[ExtractedGoal]:
    return [*_change_goals(sentences), *_rated_goals(sentences)]


def _change_goals(sentences: Sentences) -> list[ExtractedGoal]:
    goals: dict[str, ExtractedGoal] = {}
    for sentence, match in sentences.by_patient().matching(_CHANGE_GOAL):
        if _NOT_A_GOAL.search(match.group("goal")):
            continue
        goal = first_clause(match.group("goal"))
        description = goal[:1].upper() + goal[1:]
        goals.setdefault(
            description.lower(), ExtractedGoal(description=description, evidence=sentence.text)
        )
    return list(goals.values())


class _RatingQuestion(NamedTuple):
    segment_index: int
    turn: str  # the therapist's words up to the question: the scale is often set up before it


def _rated_goals(sentences: Sentences) -> list[ExtractedGoal]:
    ratings: dict[str, list[tuple[str, Sentence]]] = {}
    question: _RatingQuestion | None = None
    turn: list[str] = []
    for sentence in sentences.all:
        if not sentence.by_patient:
            turn = [*turn, sentence.norm] if sentence.sentence_index else [sentence.norm]
            if _SCALE_QUESTION.search(sentence.norm):
                question = _RatingQuestion(sentence.segment_index, " ".join(turn))
            continue
        if question and sentence.segment_index != question.segment_index + 1:
            question = None  # only the turn right after the question answers it
        rating = _rating(sentence, question)
        if rating is not None:
            thing, score = rating
            ratings.setdefault(thing, []).append((score, sentence))
            question = None  # answered
    return [
        ExtractedGoal(
            description=f"{thing.capitalize()} (0–10)",
            baseline=f"{scores[0][0]}/10" if len(scores) > 1 else None,
            current=f"{scores[-1][0]}/10",
            evidence=scores[-1][1].text,
        )
        for thing, scores in ratings.items()
    ]


def _rating(sentence: Sentence, question: _RatingQuestion | None) -> tuple[str, str] | None:
    """(what was rated, score) in a patient's sentence, if it gives a rating of something named
    there ("my anxiety is an 8 out of 10") or in the question it answers."""
    stated = _RATING.search(sentence.norm)
    named = _RATED_BY_PATIENT.search(sentence.norm[: stated.start()]) if stated else None
    if stated and named:
        return named.group("thing").lower(), _score(stated.group("score"))
    answer = stated or (_BARE_SCORE.search(sentence.norm) if question else None)
    if answer is None or question is None:
        return None
    return _thing_asked(question.turn), _score(answer.group("score"))


def _thing_asked(question: str) -> str:
    asked = _RATED_IN_QUESTION.search(question)
    if asked is None:
        return "self-rating"
    if asked.group("adjective"):
        return _NOUN_OF[asked.group("adjective").lower()]
    return asked.group("thing").lower()


def _score(word: str) -> str:
    word = word.lower()
    return str(_NUMBER_WORDS.index(word)) if word in _NUMBER_WORDS else word

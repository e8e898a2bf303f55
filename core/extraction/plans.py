"""What the session sets up for the time until the next one: homework and follow-up topics."""

from __future__ import annotations

import re

from core.extracted_notes import ActionItem
from core.extraction.strategies import HOMEWORK, PATIENT_COMMITMENT
from core.extraction.text import Sentence, Sentences, first_clause

_DIRECTIVE = re.compile(
    r"(?:^|[,;:] )(?:so |okay |ok |alright |and |now |then )?(?:try|practi[cs]e|keep|write|track|notice|"
    r"use|make|call|take|spend|pick|read|fill|complete|record|log|set|plan|schedule|start|"
    r"continue|bring|think|go|do)\b|\b(?:i would like you to|i want you to|your homework|"
    r"your task|would you be willing to|could you|can you|will you|try to|make sure|"
    r"you (?:could|might|can) try|i (?:would )?suggest|see if you can)\b",
    re.IGNORECASE,
)
_REVIEW_QUESTION = re.compile(r"\b(?:how did|how has|how have|did you)\b", re.IGNORECASE)
_REFLECTION = re.compile(
    r"\b(?:think about|reflect|notice|write down|journal|consider|pay attention)\b", re.IGNORECASE
)
_FIRST_PERSON_START = re.compile(
    r"^I(?: will|'ll| am going to|'m going to| plan to| would like to| want to| intend to| can|"
    r" could| shall| might)\s+",
    re.IGNORECASE,
)
_LEADING_WORDS = re.compile(
    r"^(?:(?:so|okay|ok|alright|and|now|then|well|um|uh)\b[,\s]*)+", re.IGNORECASE
)
_FOLLOW_UP = re.compile(
    r"\b(?:next (?:time|session|week)|when we (?:meet|talk|see each other) (?:again|next)|"
    r"in our next session)\b[^\n]*?\b(?:talk about|look at|discuss|focus on|come back to|"
    r"explore|continue with|work on|go over|revisit|review|check in (?:on|about))"
    r" (?P<after>[^.?!\n]{3,80})|\b(?:come back to|revisit|pick up|return to|talk more about|"
    r"look more at|explore|continue with|follow up on|focus on|talk about|discuss|work on) "
    r"(?P<before>[^.?!\n]{3,80}?) (?:next (?:time|session|week)|later on|when we meet again|"
    r"in our next session)\b",
    re.IGNORECASE,
)


def find_action_items(sentences: Sentences) -> list[ActionItem]:
    """Homework the therapist gives, and what the patient commits to do before next time."""
    items: dict[str, ActionItem] = {}
    seen: set[Sentence] = set()
    for sentence, cue in sentences.matching(HOMEWORK):
        if sentence in seen or not _is_assignment(sentence):
            continue
        seen.add(sentence)
        task = _task_text(sentence.text, cue.group())
        if task and task.lower() not in items:
            category = "reflection" if _REFLECTION.search(sentence.norm) else "homework"
            items[task.lower()] = ActionItem(
                task=task, category=category, details=cue.group().lower()
            )
    return list(items.values())


def find_follow_up_topics(sentences: Sentences) -> list[str]:
    """What the therapist says to take up next time."""
    topics: dict[str, str] = {}
    for sentence, match in sentences.matching(_FOLLOW_UP):
        if not sentence.by_therapist:
            continue
        topic = first_clause(match.group("after") or match.group("before"))
        if topic and topic.lower() not in topics:
            topics[topic.lower()] = topic
    return list(topics.values())


def _is_assignment(sentence: Sentence) -> bool:
    norm = sentence.norm
    if sentence.by_therapist and _DIRECTIVE.search(norm) and not _REVIEW_QUESTION.search(norm):
        return True
    return sentence.by_patient and bool(PATIENT_COMMITMENT.search(norm))


def _task_text(text: str, cue: str) -> str:
    """The sentence as a task: without its time cue, leading fillers and end punctuation."""
    task = re.sub(rf"[,\s]*\b{re.escape(cue)}\b[,\s]*", " ", text, count=1, flags=re.IGNORECASE)
    task = _LEADING_WORDS.sub("", task.strip()).strip(" ,.;!?")
    task = _FIRST_PERSON_START.sub("", task)  # "I will try the diary" → "try the diary"
    return task[:1].upper() + task[1:]

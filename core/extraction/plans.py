"""What the session sets up for the time until the next one: homework and follow-up topics."""

from __future__ import annotations

import re

from core.extracted_notes import ActionItem
from core.extraction.strategies import HOMEWORK, PATIENT_COMMITMENT
from core.extraction.text import Sentence, Sentences, first_clause

_DIRECTIVE = re.compile(
    r"(?:^|[,;:] )(?:so |okay |ok |alright |and |now |then )?(?:please )?(?:try|practi[cs]e|"
    r"keep|write|track|notice|"
    r"use|make|call|take|spend|pick|read|fill|complete|record|log|set|plan|schedule|start|"
    r"continue|bring|think|go|do)\b|\b(?:i would like you to|i want you to|(?:your|for) homework|"
    r"your task|would you be willing to|could you|can you|will you|try to|make sure|"
    r"you (?:could|might|can) try|i (?:would )?suggest|see if you can)\b",
    re.IGNORECASE,
)
# What comes before the task in a therapist's (or patient's) sentence, in the order tried.
_LEAD_INS = (
    r"(?:so|okay|ok|alright|all right|and|now|then|well|um|uh|right|great|good)\b[,\s]*",
    r"for (?:your )?(?:homework|this week|next week|the (?:coming )?week|next time|"
    r"the next (?:week|few days))\b[,:\s]*",
    r"(?:this|next|over the (?:next|coming)) (?:week|few days)\b[,:\s]*",
    r"between (?:now and next time|now and our next session|sessions)\b[,:\s]*",
    r"before (?:our |the )?next (?:session|time|appointment)\b[,:\s]*",
    r"what (?:i would|i'd|i) (?:really )?(?:like|want) (?:for )?you to "
    r"(?:do|try|practi[cs]e|work on)(?: [^,]*?)? is (?:to |that you )?",
    r"(?:i would|i'd|i) (?:really )?(?:like|love|want) (?:for )?you to (?:try (?:to )?)?",
    r"(?:i think|i'd suggest|i would suggest|i suggest|my suggestion is)(?: that)?(?: you)?"
    r"(?: (?:could|might|should))?(?: try to)? ",
    r"your (?:homework|task|assignment|job|challenge|experiment)(?: for (?:this|the) week)? "
    r"(?:is|will be)(?: to| that you)?\s*",
    r"would you be (?:willing|able|open) to (?:try (?:to )?)?",
    r"(?:could|can|would|will) you (?:maybe |perhaps |please |possibly |also )?(?:try (?:to )?)?",
    r"(?:let's|let us) have you ",
    r"see if you can ",
    r"(?:make sure|be sure)(?: that)? you ",
    r"you (?:could|might|can|should|will|need to|have to)(?: (?:maybe|perhaps|also))? "
    r"(?:try (?:to )?)?",
    r"(?:i'll|i will|i'm going to|i am going to|i'm gonna|i plan to|i want to|i would like to|"
    r"i'd like to|i intend to|i can|i could|i might|i shall)(?: (?:really|definitely|also))? "
    r"(?:try (?:to )?)?",
    r"(?:please|maybe|perhaps|just|also|kindly)\b[,\s]*",
    r"try to ",
)
_LEAD = re.compile(r"^(?:" + "|".join(_LEAD_INS) + r")", re.IGNORECASE)
# When, as a scheduling word anywhere in the task ("call the GP this week about…").
_WHEN = re.compile(
    r",?\s*\b(?:this week|next week|for next time|before (?:our |the )?next "
    r"(?:session|time|appointment))\b,?",
    re.IGNORECASE,
)
# Scheduling words and question tags after the task; how often ("every day") is kept.
_TAIL = re.compile(
    r"(?:,?\s*(?:this week|next week|for next time|until (?:next time|we meet(?: again)?|"
    r"i see you)|before (?:our |the )?next (?:session|time|appointment|week)|between sessions|"
    r"over the (?:next|coming) (?:week|few days)|if you can|if that(?:'s| is) okay|okay|ok|"
    r"alright|all right|yeah|does that sound (?:okay|ok|good|doable)|how does that sound|"
    r"sound good))+\s*[?.!]*$",
    re.IGNORECASE,
)
_REVIEW_QUESTION = re.compile(r"\b(?:how did|how has|how have|did you)\b", re.IGNORECASE)
_REFLECTION = re.compile(
    r"\b(?:think about|reflect|notice|write down|journal|consider|pay attention)\b", re.IGNORECASE
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
    for sentence, _ in sentences.matching(HOMEWORK):
        if sentence in seen or not _is_assignment(sentence):
            continue
        seen.add(sentence)
        task = imperative(sentence.text)
        if len(task.split()) >= 2 and task.lower() not in items:
            category = "reflection" if _REFLECTION.search(sentence.norm) else "homework"
            items[task.lower()] = ActionItem(task=task, category=category)
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


def imperative(text: str) -> str:
    """The task as a note states it: "For homework, could you write down one thought each
    evening?" → "Write down one thought each evening". Lead-in words ("I'd like you to",
    "your homework is to", "I'll try to") and scheduling tails ("this week", "okay?") go;
    how often ("each evening", "twice a day") stays."""
    task = " ".join(text.split()).strip(" ,.;:!?")
    for _ in range(6):  # lead-ins come stacked: "So for homework, could you maybe…"
        stripped = _LEAD.sub("", task, count=1).strip(" ,")
        if stripped == task:
            break
        task = stripped
    task = _TAIL.sub("", task).strip(" ,.;:!?")
    task = _WHEN.sub(" ", task).strip(" ,.;:!?")
    task = re.sub(r"^you ", "", " ".join(task.split()), flags=re.IGNORECASE)
    return task[:1].upper() + task[1:]

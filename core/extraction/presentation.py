"""How the patient presented, as the session describes it: the clinician's own observations.

A note's Objective holds what was observed, not what was inferred. A transcript shows it where
the therapist remarks on the patient ("you seem tired today", "I notice you're smiling") and in
transcriber's annotations ("[crying]", "(laughs)"). Each becomes a short third-person line;
nothing is read into the patient's words themselves.
"""

from __future__ import annotations

import re

from core.extraction.text import Sentences

MAX_OBSERVATIONS = 4

_REMARK = re.compile(
    r"\byou (?P<verb>seem|seemed|look|looked|appear|appeared|sound|sounded)(?: (?:a bit|a little|"
    r"really|quite|very|so|kind of|somewhat|rather))? (?P<what>(?:more |less )?[a-z-]+"
    r"(?: and [a-z-]+)?)(?: (?:today|this morning|this week|right now|at the moment))?\b"
    r"|\bi (?:notice|noticed|can see|see) (?:that )?you (?:are|were|have been|keep) "
    r"(?P<doing>[a-z]+ing(?: [a-z]+)?)\b",
    re.IGNORECASE,
)
_ANNOTATION = re.compile(
    r"[\[(*](?P<note>crying|cries|tearful|in tears|sobbing|laughs|laughing|sighs|sighing|"
    r"pauses?|long pause|silence|shouting|raises voice|whispers|inaudible)[\])*]",
    re.IGNORECASE,
)
_PAST = {
    "seem": "Seemed",
    "seemed": "Seemed",
    "look": "Looked",
    "looked": "Looked",
    "appear": "Appeared",
    "appeared": "Appeared",
    "sound": "Sounded",
    "sounded": "Sounded",
}
# "you seem to…", "you look like…": not a description of presentation.
_NOT_A_STATE = frozenset({"to", "like", "as", "at", "into", "for", "forward", "back", "up"})
_ANNOTATION_LINES = {
    "crying": "Cried during the session",
    "cries": "Cried during the session",
    "tearful": "Tearful during the session",
    "in tears": "Tearful during the session",
    "sobbing": "Cried during the session",
    "laughs": "Laughed at times",
    "laughing": "Laughed at times",
    "sighs": "Sighed audibly",
    "sighing": "Sighed audibly",
    "pause": "Long pauses before answering",
    "pauses": "Long pauses before answering",
    "long pause": "Long pauses before answering",
    "silence": "Long pauses before answering",
    "shouting": "Raised voice",
    "raises voice": "Raised voice",
    "whispers": "Spoke very quietly",
    "inaudible": "Parts of the speech were inaudible",
}


def find_observations(sentences: Sentences) -> list[str]:
    """Observed presentation and behaviour, in order of first mention, without repeats."""
    lines: dict[str, str] = {}
    for sentence in sentences.all:
        if sentence.by_therapist and not sentence.is_question:
            for match in _REMARK.finditer(sentence.text):
                line = _remark(match)
                if line:
                    lines.setdefault(line.lower(), line)
        for match in _ANNOTATION.finditer(sentence.text):
            line = _ANNOTATION_LINES[match.group("note").lower()]
            lines.setdefault(line.lower(), line)
    return list(lines.values())[:MAX_OBSERVATIONS]


def _remark(match: re.Match[str]) -> str | None:
    if match.group("doing"):
        doing = match.group("doing").lower()
        return f"{doing[:1].upper()}{doing[1:]} (therapist's observation)"
    what = match.group("what").lower()
    if what.split()[0] in _NOT_A_STATE:
        return None
    return f"{_PAST[match.group('verb').lower()]} {what} (therapist's observation)"

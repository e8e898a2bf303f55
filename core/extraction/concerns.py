"""What sets the patient off, and what still worries them, in the patient's own words."""

from __future__ import annotations

import re

from core.extracted_notes import Trigger
from core.extraction.text import Sentences, first_clause

_REACTION = (
    r"(?:feel|felt|get|got|start|started|want|wanted|need|needed|reach|crave|drink|smoke|use|"
    r"eat|panic|freak|lose|snap|cry|shut|can not|go for|end up|light up|grab|relapse)"
)
_FEELING = (
    r"(?:anxious|angry|stressed|nervous|sad|upset|depressed|scared|panicky|mad|furious|tense|"
    r"worried|on edge|irritable|crave|want to \w+|drink|smoke|use)"
)
# "When I get home from work I just want a drink": the trigger follows the "when".
_WHEN_THEN = re.compile(
    r"\b(?:when|whenever|every time|each time|any ?time) (?!i was |we were )"
    rf"(?P<trigger>[^,.;!?\n]{{3,80}}?),? (?:i|it makes me|that is when i)\b(?: \w+){{0,2}}? "
    rf"{_REACTION}\b|\bi (?:drink|smoke|use|gamble|binge|eat|snack|drank|smoked|used|gambled)"
    r"(?: \w+)? (?:more )?(?:when|whenever|if) (?P<condition>[^,.;!?\n]{3,80})",
    re.IGNORECASE,
)
# "Being around my ex makes me anxious": the trigger is the clause before the verb.
_CAUSES = re.compile(
    rf"\b(?:makes|made|make|gets|got) me (?:feel )?(?:so |really |very )?{_FEELING}\b|"
    r"\b(?:stresses me out|sets me off|triggers me|winds me up|pushes my buttons)",
    re.IGNORECASE,
)
_CLAUSE_START = re.compile(r"^.*(?:[,;:]|\b(?:and|but|so|because|just))\s*", re.IGNORECASE)
_SEVERE = re.compile(
    r"\b(?:panic|terrified|unbearable|can not cope|extremely|overwhelming|furious)\b", re.I
)
_MILD = re.compile(r"\b(?:a little|a bit|slightly|somewhat|kind of)\b", re.IGNORECASE)

_CONCERNS = re.compile(
    r"\bi am (?:still |really |so |very |a (?:little|bit) )?(?:worried|concerned|scared|afraid|"
    r"nervous|anxious) (?:about|that|of) (?P<worry>[^.;!?\n]{3,90})"
    r"|\bi (?:still )?do not know (?P<unknown>(?:how|what|if|whether|where) [^.;!?\n]{3,90})"
    r"|\bi am (?:not sure|unsure) (?P<unsure>(?:how|what|if|whether) [^.;!?\n]{3,90})"
    r"|\bwhat if (?P<what_if>[^.;!?\n]{3,90})",
    re.IGNORECASE,
)
_CONCERN_WORDING = {
    "worry": "Worried about {}",
    "unknown": "Does not know {}",
    "unsure": "Unsure {}",
    "what_if": "What if {}",
}
_MAX_CONCERNS = 5


def find_triggers(sentences: Sentences) -> list[Trigger]:
    patient_sentences = sentences.by_patient()
    found = [
        (sentence, match.group("trigger") or match.group("condition"))
        for sentence, match in patient_sentences.matching(_WHEN_THEN)
    ]
    for sentence in patient_sentences.containing(_CAUSES):
        cause = _CAUSES.search(sentence.norm)
        if cause:
            found.append((sentence, _CLAUSE_START.sub("", sentence.norm[: cause.start()])))
    triggers: dict[str, Trigger] = {}
    for sentence, words in sorted(found, key=lambda item: item[0].position):
        trigger = first_clause(words)
        if len(trigger) >= 3 and trigger.lower() not in triggers:
            triggers[trigger.lower()] = Trigger(
                trigger=trigger, context=sentence.text, severity=_severity(sentence.norm)
            )
    return list(triggers.values())


def _severity(norm: str) -> str | None:
    if _SEVERE.search(norm):
        return "severe"
    return "mild" if _MILD.search(norm) else None


def find_unresolved_concerns(sentences: Sentences) -> list[str]:
    """Worries and open questions the patient voiced."""
    concerns: dict[str, str] = {}
    for _, match in sentences.by_patient().matching(_CONCERNS):
        words = first_clause(match.group(match.lastgroup or ""))
        if len(words) >= 3:
            concern = _CONCERN_WORDING[match.lastgroup or ""].format(words)
            concerns.setdefault(concern.lower(), concern)
    return list(concerns.values())[:_MAX_CONCERNS]

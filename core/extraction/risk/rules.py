"""Risk statements in a transcript: suicidal ideation, self-harm, harm to others, abuse/neglect.

Only the patient's words raise a flag (an unlabelled segment counts as the patient's, so that an
unknown speaker can never hide a disclosure). A flag's evidence is the patient's sentence as
spoken. Decisions, in the order they are checked for every rule match:

- Negated ("I would never kill myself", "I am not having thoughts of hurting myself"): no flag.
  The negation must stand in the same clause, after the clause's subject; "I can't stop
  thinking about killing myself" and "I no longer want to live" are not negations.
- Hypothetical ("if I ever felt like hurting myself I'd call you"): no flag. A conditional
  threat is not hypothetical: "if she leaves I will kill myself" is flagged.
- Idioms ("I could die of embarrassment", "killing time"), song lyrics, films and books: no flag.
- Another person's words or wishes ("my friend said she wanted to die"): not flagged, because a
  flag is a statement about the patient's own risk; the sentence stays in the transcript for the
  clinician. Abuse of the patient or of children by someone else *is* the patient's risk and is
  flagged ("my dad hit me", "no one feeds the kids").
- Accidents ("I cut myself shaving") are not self-harm.
- A therapist's screening question raises nothing; the patient's affirmative answer to it
  ("yes, sometimes") is flagged as the type the question screened for, with the question as the
  flag's context. A negative answer ("no, never") raises nothing - except to a safety question
  ("Do you feel safe at home?"), where "no" is the worrying answer.
- Severity: active suicidal ideation, harm to others and abuse are high, passive ideation and
  self-harm medium; a disclosure about the past ("I used to cut myself", "when I was a kid")
  is one level lower.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from core.extracted_notes import RiskFlag, RiskType, Severity, Speaker
from core.extraction.risk.patterns import (
    AFFIRMATIVE_ANSWER,
    LEADING_FILLER,
    NEGATIVE_ANSWER,
    PLAN_QUESTION,
    RULES,
    SAFETY_QUESTION,
    SCREENING_QUESTIONS,
    SEVERITY,
    SUICIDAL,
    Rule,
)
from core.extraction.text import Sentence, Sentences

_CLAUSE_BREAK = re.compile(
    r"[,;:\"()]|\b(?:but|though|although|however|and|so|because|cause|then|or)\b", re.IGNORECASE
)
_WORD = re.compile(r"[a-z][a-z'-]*")
_NEGATORS = frozenset({"not", "no", "never", "nor", "neither", "none", "without", "hardly"})
# "can't stop thinking about it", "I no longer want to live": not negations of what follows.
_NOT_NEGATING_NEXT = frozenset({"stop", "help", "shake", "resist", "control", "longer", "only"})
_SUBJECTS = frozenset(
    {"i", "you", "he", "she", "we", "they", "it", "that", "which", "who", "if", "why", "how"}
)
_FIRST_PERSON = frozenset({"i", "me", "you", "we", "us"})  # patients say "you" of themselves
_THIRD_PERSON = frozenset(
    {"he", "she", "they", "him", "her", "them", "his", "their", "someone", "somebody", "people"}
)
_SELF_REFERENCE = re.compile(r"\b(?:i|me|my|myself)\b", re.IGNORECASE)
_REPORTING = re.compile(
    r"\b(?:said|says|saying|told|tells|telling|texted|wrote|writes|posted|messaged|mentioned)\b",
    re.IGNORECASE,
)
_CONDITIONAL = re.compile(
    r"(?<!wonder )(?<!wondering )(?<!wondered )(?<!myself )(?<!know )(?<!sure )(?<!what )"
    r"\bif\b|\bin case\b|\bhypothetically\b|\bsuppos(?:e|ing)\b",
    re.IGNORECASE,
)
_CONSEQUENT = re.compile(
    r"\b(?:i|he|she|they|we|you) (?:will|would|am going to|is going to|are going to|might|"
    r"shall)\b",
    re.IGNORECASE,
)
_IDIOM = re.compile(
    r"\b(?:die|died|dying) (?:of|from|with) (?:embarrassment|shame|laughter|laughing|boredom|"
    r"cuteness|happiness|jealousy)|\bdying (?:to|for)\b|\bto die for\b|\bkill(?:ing)? (?:for|"
    r"time|two birds)\b|\bkill(?:ed|ing) it\b|\bkill me now\b|\bmyself in the long run\b",
    re.IGNORECASE,
)
_MEDIA = re.compile(
    r"\b(?:songs?|lyrics?|sings|sang|singing|movie|film|book|novel|episode|character|poem|meme)\b",
    re.IGNORECASE,
)
_ACCIDENT = re.compile(
    r"\b(?:by accident|accident(?:ally|al)?|cooking|shaving|chopping|stove|oven|kettle|ironing|"
    r"gym|lifting|playing|fall|falls|falling|fell|slipped|tripped|workout|football|soccer|training|"
    r"at work)\b",
    re.IGNORECASE,
)
_JOKING = re.compile(
    r"(?<!not )\b(?:joking|kidding)\b|\bhaha+\b|\blol\b|\blaugh|not literally|figure of speech",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\bused to\b|\b(?:years|months) ago\b|\bwhen i was (?:a kid|a child|little|young|younger|"
    r"a teenager|a teen|in (?:school|high school)|at school|growing up|\d+)|\bas a (?:kid|child|"
    r"teenager)\b|\bgrowing up\b|\bin the past\b|\bback then\b|(?<!not )\bstopped\b",
    re.IGNORECASE,
)
# "it hit me", "that really hurts me": a thing or a thought, not a person, did it.
_IMPERSONAL_AGENT = re.compile(
    r"\b(?:it|that|this|which|what|something|nothing|life|reality|news|thought|idea|car|ball)"
    r"(?: \w+ly| just| always| still| also| sometimes| really)? $",
    re.IGNORECASE,
)
_LOWER = {Severity.high: Severity.medium, Severity.medium: Severity.low, Severity.low: Severity.low}


class _Question(NamedTuple):
    type: RiskType  # what the question screens for
    sentence: Sentence
    no_is_worrying: bool  # "Do you feel safe at home?" - "No."


class _Found(NamedTuple):
    type: RiskType
    severity: Severity
    sentence: Sentence
    context: str = ""


def detect_risks(sentences: Sentences) -> list[RiskFlag]:
    """Risk flags raised by the patient's sentences, in transcript order."""
    # One search per rule over the whole transcript finds the few sentences worth a closer look.
    patient_sentences = sentences.by_patient()
    candidates: dict[Sentence, list[Rule]] = {}
    for rule in RULES:
        for sentence in patient_sentences.containing(rule.pattern):
            candidates.setdefault(sentence, []).append(rule)
    found: list[_Found] = []
    si_context = False  # suicidal talk so far makes "I have a plan" a risk statement
    screening: _Question | None = None  # the therapist's last screening question
    previous_segment = -1
    for sentence in sentences.all:
        new_turn = sentence.segment_index != previous_segment
        previous_segment = sentence.segment_index
        if sentence.speaker is Speaker.therapist:
            if new_turn:
                screening = None
            asked = _screening_question(sentence, si_context)
            if asked is not None:
                screening = asked
                si_context = si_context or asked.type in SUICIDAL
            continue
        here: list[_Found] = []
        if new_turn and screening is not None:
            answer = _answer_to_screening(sentence, screening)
            here.extend([answer] if answer else [])
            screening = None
        here.extend(
            _Found(rule.type, _severity(rule.severity, sentence), sentence)
            for rule in candidates.get(sentence, ())
            if (si_context or not rule.needs_si_context) and _rule_applies(rule, sentence)
        )
        si_context = si_context or any(item.type in SUICIDAL for item in here)
        found.extend(here)
    return _one_flag_per_concern(found)


def _severity(base: Severity, sentence: Sentence) -> Severity:
    return _LOWER[base] if _PAST.search(sentence.norm) else base


def _screening_question(sentence: Sentence, si_context: bool) -> _Question | None:
    if not sentence.is_question:
        return None
    if SAFETY_QUESTION.search(sentence.norm):
        return _Question(RiskType.abuse_neglect, sentence, no_is_worrying=True)
    for type_, pattern in SCREENING_QUESTIONS:
        if pattern.search(sentence.norm):
            return _Question(type_, sentence, no_is_worrying=False)
    if si_context and PLAN_QUESTION.search(sentence.norm):
        return _Question(RiskType.suicidal_ideation_active, sentence, no_is_worrying=False)
    return None


def _answer_to_screening(answer: Sentence, question: _Question) -> _Found | None:
    reply = LEADING_FILLER.sub("", answer.norm)
    said_no = bool(NEGATIVE_ANSWER.match(reply))
    said_yes = not said_no and bool(AFFIRMATIVE_ANSWER.match(reply))
    if not (said_no if question.no_is_worrying else said_yes):
        return None
    severity = _severity(SEVERITY[question.type], answer)
    return _Found(question.type, severity, answer, f'Answer to "{question.sentence.text}"')


def _rule_applies(rule: Rule, sentence: Sentence) -> bool:
    norm = sentence.norm
    for match in rule.pattern.finditer(norm):
        core_start = match.start("core")
        clause = _clause_before(norm, core_start)
        if _negated(clause) or _hypothetical(clause):
            continue
        if _overlaps(_IDIOM, norm, match.span("core")) or _MEDIA.search(norm):
            continue
        if sentence.is_question and not _SELF_REFERENCE.search(norm):
            continue  # "What, like suicidal?": asking, not telling
        if rule.type is RiskType.self_harm and _ACCIDENT.search(norm):
            continue
        if rule.type is RiskType.harm_to_others and _JOKING.search(norm):
            continue
        if rule.first_person and not _spoken_of_self(clause):
            continue
        if rule.personal_agent and _IMPERSONAL_AGENT.search(clause):
            continue
        if _reported_from_someone_else(norm[:core_start]):
            continue
        return True
    return False


def _clause_before(norm: str, position: int) -> str:
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(norm, 0, position)]
    return norm[breaks[-1] if breaks else 0 : position]


def _negated(clause: str) -> bool:
    """Whether a negator stands between the clause's subject and the matched words."""
    words = _WORD.findall(clause.lower())
    for position in range(len(words) - 1, -1, -1):
        word = words[position]
        if word in _SUBJECTS:
            return False
        following = words[position + 1] if position + 1 < len(words) else ""
        if word in _NEGATORS and following not in _NOT_NEGATING_NEXT:
            return True
    return False


def _hypothetical(clause: str) -> bool:
    conditionals = list(_CONDITIONAL.finditer(clause))
    if not conditionals:
        return False
    # "if she leaves I will kill myself": the words are the consequence, a conditional threat.
    return not _CONSEQUENT.search(clause, conditionals[-1].end())


def _spoken_of_self(clause: str) -> bool:
    """Whether the nearest person before the matched words is the patient ("I", "me")."""
    words = _WORD.findall(clause.lower())
    for position in range(len(words) - 1, -1, -1):
        word = words[position]
        if word in _FIRST_PERSON:
            return True
        # "my friend wants to die" names someone else; "my" right before the match does not.
        if word in _THIRD_PERSON or (word == "my" and position < len(words) - 1):
            return False
    return True  # no subject spoken: "just want to die sometimes"


def _reported_from_someone_else(before: str) -> bool:
    for reporting in _REPORTING.finditer(before):
        if not _spoken_of_self(before[: reporting.start()]):
            return True
    return False


def _overlaps(pattern: re.Pattern[str], text: str, span: tuple[int, int]) -> bool:
    return any(m.start() < span[1] and span[0] < m.end() for m in pattern.finditer(text))


def _one_flag_per_concern(found: list[_Found]) -> list[RiskFlag]:
    """One flag per segment and concern; suicidal ideation keeps its most severe form."""
    best: dict[tuple[int, str], _Found] = {}
    for item in found:
        concern = "suicidal" if item.type in SUICIDAL else item.type.value
        key = (item.sentence.segment_index, concern)
        kept = best.get(key)
        if kept is None or _outranks(item, kept):
            best[key] = item
    return [
        RiskFlag(
            type=item.type,
            severity=item.severity,
            evidence=item.sentence.text,
            segment_index=item.sentence.segment_index,
            context=item.context,
        )
        for item in sorted(best.values(), key=lambda f: f.sentence.segment_index)
    ]


_RANK = {Severity.low: 0, Severity.medium: 1, Severity.high: 2}


def _outranks(item: _Found, kept: _Found) -> bool:
    if (
        item.type is RiskType.suicidal_ideation_active
        and kept.type is RiskType.suicidal_ideation_passive
    ):
        return True
    return item.type is kept.type and _RANK[item.severity] > _RANK[kept.severity]

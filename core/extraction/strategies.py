"""Coping strategies and interventions named in a session, with what happened to each.

A strategy counts only where the words around it say what happened:

- practiced: done together in the session ("let's try the breathing together now"),
- assigned: given as homework, by the therapist or taken on by the patient ("this week"),
- reviewed: discussed as already used ("I tried the breathing", "how did the diary go?"),
- introduced: proposed by the therapist ("you could try…", "have you heard of…").

A bare mention ("my sister does yoga") is not a strategy of this session; a therapist naming one
("it's called box breathing") is, when the caller gives a status for such mentions
(interventions.py, which also finds the interventions a therapist does without naming them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from core.extracted_notes import Speaker, Strategy, StrategyStatus
from core.extraction.text import Sentence, Sentences

# Name → (category, words and phrases that name it).
STRATEGY_LEXICON: dict[str, tuple[str, str]] = {
    "Box breathing": ("breathing", r"box breathing|square breathing"),
    "Paced breathing": (
        "breathing",
        r"paced breathing|slow(?:er)? breathing|4-7-8 breathing|(?:breathe|breathing) out "
        r"(?:slowly|for longer|longer)|longer out-?breaths?|out-?breaths? longer",
    ),
    "Deep breathing": (
        "breathing",
        r"deep breath(?:s|ing)?|breathing (?:exercises?|techniques?)|diaphragmatic breathing|"
        r"belly breathing",
    ),
    "Progressive muscle relaxation": (
        "relaxation",
        r"progressive (?:muscle )?relaxation|muscle relaxation|tense and relax",
    ),
    "Mindfulness": ("mindfulness", r"mindful(?:ness)?|body scan"),
    "Meditation": ("mindfulness", r"meditat(?:e|ion|ing)"),
    "Grounding": (
        "grounding",
        r"grounding(?: exercise| technique)?|5-4-3-2-1|five-four-three-two-one|"
        r"five things you can see",
    ),
    "Thought record": ("cognitive", r"thought (?:records?|diary|diaries|logs?)"),
    "Cognitive restructuring": (
        "cognitive",
        r"cognitive restructuring|reframe|reframing|challeng(?:e|ing) (?:the|those|that|your|my) "
        r"thoughts?|evidence for and against|balanced thoughts?|thinking traps?|"
        r"cognitive distortions?",
    ),
    "Behavioral activation": ("behavioral", r"behaviou?ral activation|pleasant activit\w+"),
    "Activity scheduling": (
        "behavioral",
        r"activity schedul\w+|schedul(?:e|ing) (?:in )?(?:some |a few |the |your )?activities|"
        r"activity (?:plan|planner|calendar)",
    ),
    "Exposure": (
        "behavioral",
        r"exposure(?: exercises?| therapy)?|fear ladder|fear hierarchy|graded exposure",
    ),
    "Journaling": (
        "reflection",
        r"journal(?:ing|ling)?|(?:keep|keeping|write in) a diary|writ(?:e|ing) (?:down )?"
        r"(?:my|your) (?:thoughts|feelings)",
    ),
    "Self-monitoring": (
        "behavioral",
        r"(?:drink|drinking|food|mood|smoking|sleep|urge|gambling|spending|craving|anger|"
        r"activity) (?:diary|log|tracker|journal)|keep(?:ing)? track|track(?:ing)? (?:how|your|"
        r"my|the|what|every|each)|(?:log|logging|record|recording) (?:how many|your|my|each|"
        r"every)|self-monitoring|(?:mood|urge|anger|anxiety|craving|pain) (?:ratings?|numbers?|"
        r"scores?)|(?:tick|count|note|record|log|track|write down)(?:ing)? (?:off )?(?:every|each) "
        r"(?:cigarette|drink|time|urge|one|day|night)",
    ),
    "Sleep hygiene": (
        "behavioral",
        r"sleep hygiene|(?:regular|consistent|same|fixed) (?:bedtime|sleep schedule|get-up time|"
        r"wake-up time|waking time)|wind[- ]down routine|stimulus control",
    ),
    "Problem solving": ("cognitive", r"problem[- ]solving"),
    "Relapse prevention": (
        "maintenance",
        r"relapse prevention|relapse (?:plan|signature)|(?:staying|keeping) well plan|"
        r"wellness (?:recovery )?(?:action )?plan|early warning signs",
    ),
    "Safety plan": (
        "safety",
        r"safety plan(?:ning)?|crisis (?:line|plan|number|card|team)|hotline|samaritans|lifeline",
    ),
    "Means restriction": (
        "safety",
        r"means restriction|restrict(?:ing)? (?:access|the means)|safe storage|gun lock|"
        r"lock (?:up|away) (?:the|your|any) (?:pills|tablets|medications?|meds|guns?|firearms?|"
        r"weapons?)|lock (?:them|it) (?:up|away)|sharps bin|(?:out of|not within|beyond) "
        r"(?:your |easy )?reach",
    ),
    "Urge surfing": ("behavioral", r"urge surfing|ride (?:out )?the urges?"),
    "Distraction": ("behavioral", r"distraction|distract(?:ing)? (?:yourself|myself)"),
    "Self-compassion": ("cognitive", r"self[- ]compassion"),
    "Assertive communication": ("interpersonal", r"assertive(?:ness)?|i[- ]statements?"),
    "Time-out": ("anger management", r"time[- ]outs?|count(?:ing)? to ten|walk(?:ing)? away"),
    "Decisional balance": (
        "motivational",
        r"pros and cons|decisional balance|good things and (?:the )?(?:not so good|bad|less good) "
        r"things|(?:look at|weigh up|weighing up) both sides|upsides and (?:the )?downsides|"
        r"(?:costs|benefits) and (?:the )?(?:benefits|costs)",
    ),
    "Motivational interviewing": (
        "motivational",
        r"motivational interviewing|(?:importance|confidence|readiness) (?:ruler|scale)|"
        r"change talk",
    ),
    "Psychoeducation": ("education", r"psycho-?education"),
    "Validation": ("relational", r"validat(?:e|ing|ion) (?:your|how you|what you)"),
    "Goal setting": ("motivational", r"goal[- ]setting|smart goals?|small steps?"),
    "Nicotine replacement therapy": (
        "medical",
        r"nicotine (?:replacement|patch(?:es)?|gum|lozenges?)|the patch",
    ),
    "Medication reminders": (
        "behavioral",
        r"pill (?:box|organi[sz]er)|(?:alarms?|reminders?) (?:on (?:my|your) phone )?(?:to take|"
        r"for (?:my|your) (?:meds|medication|medicine|pills))",
    ),
    "Support group": (
        "social",
        r"support groups?|aa meetings?|alcoholics anonymous|narcotics anonymous|"
        r"gamblers anonymous|smart recovery|(?:12|twelve)[- ]step",
    ),
    "Gradual reduction": ("behavioral", r"cut(?:ting)? down (?:gradually|slowly)|taper\w*"),
}

_NAMES = list(STRATEGY_LEXICON)
_ANY_STRATEGY = re.compile(
    r"\b(?:"
    + "|".join(f"(?P<s{i}>{words})" for i, (_, words) in enumerate(STRATEGY_LEXICON.values()))
    + r")\b",
    re.IGNORECASE,
)

_PRACTICE = re.compile(
    r"\b(?:let us|shall we|why do not we|we can|we could) (?:\w+ ){0,2}?(?:try|do|practi[cs]e|"
    r"go through|start)\b.*\b(?:now|together|right now|here|in session)\b|\bclose your eyes\b|"
    r"\bbreathe in\b|\bhow (?:did|does) that feel\b",
    re.IGNORECASE,
)
HOMEWORK = re.compile(
    r"\b(?:this|next|coming) week\b|\bbefore (?:our |the )?next (?:session|time|appointment|visit|"
    r"week)\b|\bhomework\b|\bbetween (?:now and|sessions)\b|\bover the next (?:week|few days|"
    r"couple of weeks|two weeks|month)\b|\bfor next time\b|\buntil (?:we meet|next time|"
    r"i see you)\b|\b(?:every|each) (?:day|morning|night|evening)\b|\bdaily\b|\bat home\b|"
    r"\btimes a (?:day|week)\b|\b(?:before|by) (?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|the weekend)\b|\blet us have you\b|\byour (?:task|assignment)\b",
    re.IGNORECASE,
)
_REVIEW_BY_THERAPIST = re.compile(
    r"\bhow (?:did|has|have|was|is) (?:the |your )?[\w -]{0,30}?(?:go|going|gone|been|working|"
    r"work)\b|\bdid you (?:try|get a chance|manage|use|do|practi[cs]e|keep)\b|\blast (?:week|"
    r"session|time)\b|\bsince (?:last|we last)\b",
    re.IGNORECASE,
)
_REVIEW_BY_PATIENT = re.compile(
    r"\bi (?:have )?(?:been )?(?:tried|used|did|doing|using|practi[cs]ed|practi[cs]ing|kept|"
    r"started|went to|have gone to)\b|\b(?:it|that|this) (?:really )?(?:helped|worked|"
    r"did not help|did not work)\b",
    re.IGNORECASE,
)
PATIENT_COMMITMENT = re.compile(
    r"\bi (?:will|am going to|plan to|would like to|want to|intend to|can|could|shall|might) "
    r"(?:\w+ ){0,2}?(?:try|start|call|make|keep|write|track|cut|go|do|practi[cs]e|book|set|use|"
    r"take|talk|ask|join|walk|read|stop|quit)\b",
    re.IGNORECASE,
)
_INTRODUCE = re.compile(
    r"\b(?:you|we) (?:could|might|can|may) (?:\w+ )?(?:try|use|do|start|practi[cs]e|look at|"
    r"consider|learn)\b|\bhave you (?:ever )?(?:heard of|tried|come across|thought about)\b|"
    r"\bi would like (?:to|you to) (?:show|teach|introduce|try|talk about)\b|\bsomething called\b|"
    r"\bone (?:thing|technique|strategy|option|idea|approach|tool|way)\b|\b(?:what|how) about\b|"
    r"\bwould you be (?:willing|open|interested)\b|\b(?:it|this|that) (?:might|may|could|can) "
    r"help\b|\bhelps? (?:a lot of|many|some) people\b|\blet me (?:show|teach|explain)\b|"
    r"\b(?:recommend|suggest|introduce)\b|\boptions?\b|\bwhat do you think about\b",
    re.IGNORECASE,
)
_CONTEXT_LENGTH = 200


def find_strategies(
    sentences: Sentences, therapist_default: Mapping[str, StrategyStatus] | None = None
) -> list[Strategy]:
    """One entry per strategy and status, in order of first appearance.

    With `therapist_default`, a strategy the therapist names without words saying what happened
    ("it's called box breathing") counts too, with the status given for its name ("introduced"
    for a name not given): naming it in session is bringing it in. The patient's bare mentions
    ("my sister does yoga") never count."""
    found: dict[tuple[str, StrategyStatus], Strategy] = {}
    for sentence, match in sentences.matching(_ANY_STRATEGY):
        if match.lastgroup is None:
            continue
        status = strategy_status(sentence)
        if status is None and therapist_default is not None and _is_therapists(sentence):
            name = _NAMES[int(match.lastgroup[1:])]
            status = therapist_default.get(name, StrategyStatus.introduced)
        if status is None:
            continue
        name = _NAMES[int(match.lastgroup[1:])]
        if (name, status) not in found:
            category = STRATEGY_LEXICON[name][0]
            context = sentence.text[:_CONTEXT_LENGTH]
            found[name, status] = Strategy(
                name=name, category=category, status=status, context=context
            )
    return list(found.values())


def _is_therapists(sentence: Sentence) -> bool:
    return sentence.speaker is Speaker.therapist


def strategy_status(sentence: Sentence) -> StrategyStatus | None:
    """What the words of `sentence` say happened to a strategy it speaks of, if anything."""
    norm = sentence.norm
    if sentence.by_therapist:
        if _PRACTICE.search(norm):
            return StrategyStatus.practiced
        if sentence.is_question and _REVIEW_BY_THERAPIST.search(norm):
            return StrategyStatus.reviewed  # "how did the breathing go this week?"
        if HOMEWORK.search(norm):
            return StrategyStatus.assigned
        if _REVIEW_BY_THERAPIST.search(norm):
            return StrategyStatus.reviewed
        if _INTRODUCE.search(norm):
            return StrategyStatus.introduced
    if sentence.by_patient:
        if PATIENT_COMMITMENT.search(norm) and HOMEWORK.search(norm):
            return StrategyStatus.assigned
        if _REVIEW_BY_PATIENT.search(norm):
            return StrategyStatus.reviewed
    return None

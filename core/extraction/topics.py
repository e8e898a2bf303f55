"""Clinical topics of a session, from a fixed lexicon of words and phrases per topic.

A topic counts when its words come up at least twice (one passing mention is not a topic); the
topics are ranked by how often they come up.
"""

from __future__ import annotations

import re
from collections import Counter

from core.extraction.text import Sentences

MIN_MENTIONS = 2
MAX_TOPICS = 5

# Label → words and phrases (regular expressions, matched as whole words, any case).
TOPIC_LEXICON: dict[str, str] = {
    "alcohol use": (
        r"alcohol\w*|drink|drinks|drinking|drank|drunk|beers?|wine|vodka|whiske?y|liquor|booze|"
        r"hangovers?|binge drinking|pints?|sober|sobriety|units of alcohol|pub|bars?"
    ),
    "smoking": (
        r"smok(?:e|es|ed|ing|er|ers)|cigarettes?|cigs?|tobacco|nicotine|vap(?:e|es|ing)|"
        r"packs? a day|e-cigarettes?"
    ),
    "drug use": (
        r"drugs?|cocaine|heroin|meth|methamphetamine|marijuana|cannabis|weed|opioids?|opiates?|"
        r"ecstasy|mdma|crack|overdos(?:e|ed|ing)|needles?|inject(?:ing|ed)?|dealers?|"
        r"substances?|getting high|pot"
    ),
    "exercise": (
        r"exercis(?:e|es|ed|ing)|work(?:ing)? out|workouts?|gym|walking|walks?|running|jogg?ing|"
        r"swimming|cycling|bike|physical(?:ly)? activ\w+|active|sports?|fitness|yoga|steps a day"
    ),
    "weight": r"weight|overweight|obes(?:e|ity)|lose (?:some )?pounds|kilos?|bmi|lbs",
    "diet": (
        r"diet\w*|healthy eating|eat(?:ing)? (?:healthy|healthier|better)|nutrition\w*|"
        r"junk food|fast food|vegetables|veggies|fruits?|sugary|calories|snack(?:s|ing)?|"
        r"portions?|carbs?|meals?"
    ),
    "medication adherence": (
        r"medications?|medicines?|meds|pills?|tablets?|prescri(?:ption|bed)\w*|doses?|dosage|"
        r"side effects?|pharmac(?:y|ist)|refills?|antidepressants?|vaccin\w+|immuni[sz]ations?|"
        r"flu shots?"
    ),
    "diabetes": r"diabet(?:es|ic)|blood sugars?|glucose|insulin|a1c|sugar levels?|metformin",
    "asthma": r"asthma\w*|inhalers?|wheez(?:e|ing|y)|puffers?|peak flow|short of breath",
    "gambling": (
        r"gambl(?:e|es|ed|ing|er)|betting|bets|casinos?|slot machines?|slots|poker|pokies|"
        r"lottery|scratch cards?|bookies|wagers?"
    ),
    "recidivism": (
        r"probation|parole|jail|prison|arrest(?:ed)?|court|judge|charges|convict(?:ed|ion)|"
        r"offen(?:d|ding|der|ce|ces)|reoffend\w*|crimes?|criminal|police|cops?|lawyer|attorney|"
        r"dui|community service|juvenile|locked up|custody"
    ),
    "rules and conduct": (
        r"rules?|violations?|suspended|suspension|detention|curfew|consequences|policy|"
        r"disciplin\w+|write-?ups?|expelled|in trouble"
    ),
    "self-harm": (
        r"self[- ]?harm\w*|cut(?:ting)? (?:myself|yourself)|cutting|scars?|razors?|"
        r"burn(?:ing)? (?:myself|yourself)|hurt(?:ing)? (?:myself|yourself)"
    ),
    "suicidal thoughts": (
        r"suicid\w+|kill(?:ing)? (?:myself|yourself)|want(?:ed)? to die|end (?:my|your) life|"
        r"better off dead"
    ),
    "anxiety": (
        r"anxi(?:ety|ous)|panic(?:king)?|panic attacks?|worr(?:y|ied|ying|ies)|nervous|"
        r"on edge|phobias?|fears?|fearful"
    ),
    "depression": (
        r"depress(?:ed|ion|ing)|low mood|sad|sadness|hopeless\w*|empty|numb|crying|no energy|"
        r"unmotivated|no motivation"
    ),
    "stress": r"stress|stressed|stressful|stressors?|pressure|overwhelm\w*|burn(?:ed|t)? out",
    "sleep": (
        r"sleep\w*|slept|insomnia|nightmares?|bedtime|naps?|napping|fatigue|awake at night|"
        r"can not sleep"
    ),
    "work stress": (
        r"jobs?|boss|workload|deadlines?|overtime|co-?workers?|colleagues?|burnout|fired|"
        r"laid off|at work|my work|career|manager|shifts?"
    ),
    "relationships": (
        r"relationships?|partner|boyfriend|girlfriend|husband|wife|spouse|marriage|married|"
        r"divorce\w*|dating|break ?up|broke up|my ex|flatmates?|roommates?"
    ),
    "family": (
        r"family|mum|mom|mother|dad|father|parents?|brothers?|sisters?|siblings?|grand\w+|"
        r"aunt(?:ie)?|uncle|cousins?|in-laws"
    ),
    "parenting": (
        r"parenting|day-?care|child ?care|babysitter|nanny|toddler|my (?:son|daughter|kids|"
        r"children|baby)|single (?:mom|mum|parent)|\w+-year-old"
    ),
    "grief": (
        r"grief|griev\w+|passed away|funeral|bereave\w+|mourn\w*|lost my \w+|death of|"
        r"since (?:he|she) died"
    ),
    "trauma": r"trauma\w*|ptsd|flashbacks?|abus(?:e|ed|ive)|assault(?:ed)?|molest\w*",
    "anger and violence": (
        r"anger|angry|rage|temper|furious|violen(?:t|ce)|fights?|fighting|aggressi(?:ve|on)|"
        r"punch\w*|hit (?:him|her|someone)"
    ),
    "self-esteem": (
        r"self[- ]?esteem|self[- ]?confidence|confidence|confident|worthless|not good enough|"
        r"insecure|self[- ]?worth"
    ),
    "oral health": (
        r"teeth|tooth|dentists?|dental|floss\w*|brush(?:ing)? (?:my|your) teeth|gums?|"
        r"cavit(?:y|ies)|mouthwash"
    ),
    "sexual health": (
        r"safe sex|condoms?|birth control|contracept\w+|the pill|stds?|stis?|pregnan\w+|"
        r"sexual(?:ly)?|hiv"
    ),
    "caffeine": r"coffee|caffeine|espresso|energy drinks?|lattes?|cups of tea",
    "school": (
        r"school|classes|teachers?|grades?|exams?|college|universit(?:y|ies)|studying|gpa|"
        r"semester|classmates?|first hour"
    ),
    "social connection": (
        r"lonel(?:y|iness)|isolat(?:ed|ion)|friends?|friendships?|meet(?:ing)? (?:new )?people|"
        r"social(?:ise|ize|izing|ising)?|community|join(?:ing)? (?:a |the )?(?:club|class|group)"
    ),
    "physical health": (
        r"blood pressure|cholesterol|heart (?:attack|disease|problems?)|chronic pain|pain|"
        r"symptoms?|surgery|illness|health problems?|stomach|doctors?"
    ),
    "finances": r"money|debts?|bills|rent|afford\w*|financ(?:es|ial\w*)|paycheck|budget",
}

_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression: "a|b(?:c|d)" → ["a", "b(?:c|d)"]."""
    parts, depth, start = [], 0, 0
    for position, char in enumerate(pattern):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(pattern[start:position])
            start = position + 1
    return [*parts, pattern[start:]]


def _compile(alternatives: list[str], template: str) -> re.Pattern[str] | None:
    return re.compile(template.format("|".join(alternatives)), re.I) if alternatives else None


# Single words are looked up once per distinct word of the transcript, phrases searched for:
# much faster than searching the whole text for every word of every topic.
_WORDS = {
    label: _compile([p for p in _alternatives(words) if " " not in p], "(?:{})")
    for label, words in TOPIC_LEXICON.items()
}
_PHRASES = {
    label: _compile([p for p in _alternatives(words) if " " in p], r"\b(?:{})\b")
    for label, words in TOPIC_LEXICON.items()
}
_ANY_WORD = re.compile("|".join(f"(?:{p.pattern})" for p in _WORDS.values() if p), re.I)


def find_topics(sentences: Sentences) -> list[str]:
    """Topic labels mentioned at least `MIN_MENTIONS` times, most mentioned first."""
    mentions: Counter[str] = Counter()
    for word, count in Counter(_TOKEN.findall(sentences.text.lower())).items():
        if not _ANY_WORD.fullmatch(word):
            continue
        for label, pattern in _WORDS.items():
            if pattern and pattern.fullmatch(word):
                mentions[label] += count
    for label, pattern in _PHRASES.items():
        if pattern:
            mentions[label] += sum(1 for _ in pattern.finditer(sentences.text))
    labels = list(TOPIC_LEXICON)
    ranked = sorted(mentions.items(), key=lambda item: (-item[1], labels.index(item[0])))
    return [label for label, count in ranked[:MAX_TOPICS] if count >= MIN_MENTIONS]

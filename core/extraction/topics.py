"""Clinical topics of a session: the subjects it actually spent time on.

Two signals, counted per sentence (patient's and therapist's alike):

- the lexicon: a fixed list of words and phrases per topic. A mention does not count where the
  topic is denied — right after a negator ("I've never self-harmed") or in a screening question
  the patient answers with a plain no, and in that answer ("Nah. Never. I don't cut or
  nothing.") — nor where the word is incidental: medication or drugs as a means to put out of
  reach ("could you lock the tablets away?") is not a session about medication.
- meaning: each sentence is compared with a few plain descriptions of each topic
  (core.extraction.session_vectors); a sentence speaks of the topic it is closest to, if close
  enough (`TOPIC_NEAR`). A denied screening question and its answer do not count here either.

A topic needs real presence: `MIN_EVIDENCE` sentences speaking of it (a sentence doing so in
both ways counts `BOTH_BONUS` more), or one very close sentence in its words or with one more.
The best evidenced topics come first, at most `MAX_TOPICS`. Only self-harm, suicidal thoughts,
drug use and gambling are read for denials: "I'm not sleeping" is still a session about sleep.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, pairwise

import numpy as np

from core.extracted_notes import Speaker
from core.extraction.session_vectors import best_per_label, label_vectors, sentence_vectors
from core.extraction.text import Sentences

MAX_TOPICS = 3

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

# Label → a few plain sentences of what a session on it sounds like (the zero-shot signal).
TOPIC_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "alcohol use": (
        "I've been drinking too much, most nights a bottle of wine or a few beers.",
        "How much alcohol are you drinking in a week?",
        "I want to cut down on my drinking.",
    ),
    "smoking": (
        "I smoke a pack of cigarettes a day.",
        "I want to quit smoking.",
    ),
    "drug use": (
        "I've been using cocaine and cannabis again.",
        "I'm trying to stop taking drugs.",
    ),
    "exercise": (
        "I've started running and going to the gym.",
        "I want to be more physically active and exercise more.",
    ),
    "weight": ("I need to lose weight.", "My weight keeps going up."),
    "diet": (
        "I've been eating junk food and skipping meals.",
        "I'm trying to eat more healthily.",
    ),
    "medication adherence": (
        "I keep forgetting to take my medication.",
        "I stopped taking my tablets because of the side effects.",
        "Are you taking your medication as prescribed?",
    ),
    "diabetes": ("My blood sugar has been high since the diabetes diagnosis.",),
    "asthma": ("My asthma has been bad and I keep needing my inhaler.",),
    "gambling": ("I lost a lot of money betting again.", "I can't stop gambling."),
    "recidivism": (
        "I'm on probation and I don't want to go back to prison.",
        "I got arrested and I have a court date.",
    ),
    "rules and conduct": (
        "I got suspended for breaking the rules again.",
        "I keep getting into trouble for my behaviour.",
    ),
    "self-harm": (
        "I've been cutting myself to cope.",
        "I hurt myself on purpose when it all gets too much.",
    ),
    "suicidal thoughts": (
        "I've been thinking about killing myself.",
        "Sometimes I wish I could go to sleep and not wake up.",
        "Everyone would be better off without me.",
        "Are you having thoughts of ending your life?",
    ),
    "anxiety": (
        "I'm anxious and worried all the time.",
        "I get panic attacks and my heart races.",
    ),
    "depression": (
        "I feel low and empty and can't get out of bed.",
        "Nothing feels worth doing any more; I've lost interest in everything.",
        "My mood has been really low for weeks.",
    ),
    "stress": (
        "I'm under a lot of stress and pressure.",
        "I feel overwhelmed by everything I have to cope with.",
    ),
    "sleep": (
        "I can't sleep at night and I wake up at four.",
        "I'm exhausted because I keep waking up in the night.",
    ),
    "work stress": (
        "My boss is on my back and the workload is too much.",
        "Things at work are getting to me.",
    ),
    "relationships": (
        "My partner and I keep arguing.",
        "My marriage is falling apart.",
    ),
    "family": (
        "Things are difficult with my mum and dad.",
        "My family and I don't get on.",
    ),
    "parenting": (
        "I'm struggling to cope with my kids.",
        "My son won't listen to me and I don't know how to handle him.",
    ),
    "grief": ("Since my father died I can't stop thinking about him.", "I'm grieving."),
    "trauma": (
        "I keep having flashbacks and nightmares about what happened.",
        "I was abused as a child.",
    ),
    "anger and violence": (
        "I lost my temper, started shouting and smashed things.",
        "I wanted to hit him.",
    ),
    "self-esteem": (
        "I feel worthless and not good enough.",
        "I'm ashamed of who I am and what people think of me.",
    ),
    "oral health": ("I need to brush my teeth more and see the dentist.",),
    "sexual health": ("We didn't use condoms and I'm worried about an infection.",),
    "caffeine": ("I drink too much coffee.",),
    "school": (
        "I'm behind on my coursework and worried about my exams.",
        "The other kids at school are picking on me.",
    ),
    "social connection": (
        "I feel lonely and have nobody to talk to.",
        "I haven't seen my friends in ages.",
    ),
    "physical health": (
        "The doctor found a problem with my health.",
        "My health is getting worse and I'm worried about my body.",
    ),
    "finances": (
        "I can't pay my bills and I'm in debt.",
        "Money is really tight since I lost my job.",
    ),
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
_LABELS = list(TOPIC_LEXICON)

# Topics a patient denies ("I've never hurt myself"): a mention right after a negator, or in a
# screening question the patient answers with a plain no (and in that answer), is no evidence.
DENIABLE = frozenset({"self-harm", "suicidal thoughts", "drug use", "gambling"})
_NEGATORS = frozenset(
    {"not", "no", "never", "nothing", "nobody", "without", "nor", "neither", "nah", "none"}
)
_NEGATION_REACH = 4
_DENIAL = re.compile(
    r"^\W*(?:no|nah|nope|never|not (?:really|at all|once|me|that|ever)|god,? no|"
    r"absolutely not|definitely not|of course not)\b",
    re.IGNORECASE,
)
# Medication or drugs as a means to put out of reach ("lock the tablets away"), not as a subject.
INCIDENTAL = {
    label: re.compile(
        r"\b(?:lock\w*|safe|hold (?:on ?to )?(?:it|them|the)|give (?:them|it|those) to|"
        r"hand (?:them|it) (?:over|in)|get rid of|throw (?:them|it) (?:away|out)|out of the house|"
        r"stockpil\w*|stash\w*|hoard\w*|sav(?:e|ed|ing) (?:them )?up|count(?:ed|ing)? (?:them|out)|"
        r"overdos\w*|in the (?:cupboard|cabinet|drawer|nightstand|bathroom)|within reach|"
        r"(?:thought|think|thinking) (?:about|of) (?:using|taking)|anything like that|"
        r"in the house)\b",
        re.IGNORECASE,
    )
    for label in ("medication adherence", "drug use")
}

# Tuned on the development part of bench/extraction/corpus (sessions only).
TOPIC_NEAR = 0.50  # a sentence this close to a topic's descriptions speaks of it
MIN_WORDS = 3
MIN_EVIDENCE = 2.0  # sentences speaking of a topic (weighed) that make it one of the session's
TOPIC_STRONG = 0.70  # …or one sentence this close in meaning
STRONG_EVIDENCE = 1.5  # …that also uses its words, or with another sentence
BOTH_BONUS = 0.5  # a sentence speaking of a topic in its words and in meaning counts this more


@dataclass(frozen=True)
class TopicEvidence:
    weight: float  # sentences that speak of the topic (BOTH_BONUS more for words and meaning)
    mentions: int  # of them, sentences using the topic's words (not denied, not incidental)
    close: int  # of them, sentences close in meaning to the topic's descriptions
    best: float  # the closest any sentence came to the descriptions


def find_topics(sentences: Sentences, vectors: np.ndarray | None = None) -> list[str]:
    """Topic labels with real presence in the session, best evidenced first, at most
    `MAX_TOPICS`: a topic needs `MIN_EVIDENCE` sentences speaking of it (in its words, or close
    to its descriptions in meaning), or one very close sentence (`TOPIC_STRONG`) that also uses
    its words, or with one more."""
    evidence = topic_evidence(sentences, vectors)
    ranked = sorted(
        (
            (label, found)
            for label, found in evidence.items()
            if found.weight >= MIN_EVIDENCE
            or (found.best >= TOPIC_STRONG and found.weight >= STRONG_EVIDENCE)
        ),
        key=lambda item: (-item[1].weight, -item[1].best, _LABELS.index(item[0])),
    )
    return [label for label, _ in ranked[:MAX_TOPICS]]


def topic_evidence(
    sentences: Sentences, vectors: np.ndarray | None = None
) -> dict[str, TopicEvidence]:
    """What speaks for each topic the session touches. `vectors`: the session's sentence
    vectors (session_vectors), if already made."""
    mentioned = _mentions(sentences)
    close: list[set[str]] = [set() for _ in sentences.all]
    best: dict[str, float] = {}
    rows = [row for row, s in enumerate(sentences.all) if len(s.text.split()) >= MIN_WORDS]
    if rows:
        if vectors is None:
            vectors = sentence_vectors(sentences)
        labels, owner, described = label_vectors(TOPIC_DESCRIPTIONS)
        scores = best_per_label(vectors[rows] @ described.T, owner, len(labels))
        # A sentence speaks of the topic it is closest to, if close enough.
        speaks = (scores >= TOPIC_NEAR) & (scores >= scores.max(axis=1, keepdims=True))
        for index, column in zip(*np.nonzero(speaks), strict=True):
            close[rows[index]].add(labels[column])
        best = {label: float(scores[:, column].max()) for column, label in enumerate(labels)}
    _drop_denied(sentences, mentioned, close)
    weight: dict[str, float] = defaultdict(float)
    mentions: Counter[str] = Counter()
    near: Counter[str] = Counter()
    for words, meaning in zip(mentioned, close, strict=True):
        for label in words | meaning:
            weight[label] += 1 + BOTH_BONUS if label in words & meaning else 1
        mentions.update(words)
        near.update(meaning)
    return {
        label: TopicEvidence(weight[label], mentions[label], near[label], best.get(label, 0.0))
        for label in _LABELS
        if weight[label]
    }


def _mentions(sentences: Sentences) -> list[set[str]]:
    """Per sentence, the topics whose words it uses, without negated or incidental uses."""
    found: list[set[str]] = []
    for sentence in sentences.all:
        words = _TOKEN.findall(sentence.norm.lower())
        labels: set[str] = set()
        for position, word in enumerate(words):
            for label in _word_labels(word):
                if label in DENIABLE and _negated(words, position):
                    continue
                labels.add(label)
        found.append(labels)
    starts = list(accumulate((len(s.norm) + 1 for s in sentences.all[:-1]), initial=0))
    for label, pattern in _PHRASES.items():
        if pattern is None:
            continue
        for match in pattern.finditer(sentences.text):
            row = bisect_right(starts, match.start()) - 1
            before = _TOKEN.findall(sentences.text[starts[row] : match.start()].lower())
            if label in DENIABLE and _negated([*before, ""], len(before)):
                continue
            found[row].add(label)
    for label, means in INCIDENTAL.items():
        for row, sentence in enumerate(sentences.all):
            if label in found[row] and means.search(sentence.norm):
                found[row].discard(label)
    return found


def _drop_denied(sentences: Sentences, *evidence: list[set[str]]) -> None:
    """Take a deniable topic out of a question and its answer when the patient answers no."""
    for asked, answer in _denied_answers(sentences):
        for label in DENIABLE:
            if any(label in found[row] for found in evidence for row in asked):
                for found in evidence:
                    for row in (*asked, *answer):
                        found[row].discard(label)


def _negated(words: list[str], position: int) -> bool:
    return any(w in _NEGATORS for w in words[max(0, position - _NEGATION_REACH) : position])


def _denied_answers(sentences: Sentences) -> list[tuple[list[int], list[int]]]:
    """(rows of the therapist's turn, rows of the patient's answer) for each question the
    patient answers with a plain no."""
    turns: dict[int, list[int]] = {}
    for row, sentence in enumerate(sentences.all):
        turns.setdefault(sentence.segment_index, []).append(row)
    ordered = list(turns.values())
    denied = []
    for turn, answer in pairwise(ordered):
        question, reply = sentences.all[turn[-1]], sentences.all[answer[0]]
        if (
            question.speaker is Speaker.therapist
            and reply.speaker is Speaker.patient
            and question.is_question
            and _DENIAL.search(reply.norm)
        ):
            denied.append((turn, answer))
    return denied


@lru_cache(maxsize=4096)
def _word_labels(word: str) -> tuple[str, ...]:
    if not _ANY_WORD.fullmatch(word):
        return ()
    return tuple(label for label, pattern in _WORDS.items() if pattern and pattern.fullmatch(word))

"""The risk screen: meaning and rules together, a flag from either stands.

Every patient turn is read as a whole and sentence by sentence (a short answer also together
with the question it answers). Each reading is embedded (core.extraction.embedding) and the
labelled statements nearest in meaning vote (neighbours.py): risk statements of each category and
counter-examples that share their words without being risk. A reading is taken up for a risk
group when enough of the vote goes to the group and one of its statements is close. The rules then
set aside what is a denial, someone else's risk, a hypothetical, a past that is over, a figure of
speech or a quotation (context.py), and the rule-based screen (rules.py) adds what it finds:
screening answers and explicit wording.

The operating point is chosen on the corpus's development part for few false alarms
(bench/extraction/train_risk.py): this model cannot tell every denial or idiom from risk, and at
the recall we want it would flag half of them — an alarm on every session is one nobody reads.
What it finds beyond the rules is therefore a floor, not a promise; the README gives the figures.

A therapist's words never raise a flag; an unlabelled turn counts as the patient's. A disclosure
later in a session stands whatever was denied before it. Severity follows C-SSRS (severity.py).
Each flag keeps its evidence: the patient's words, their segment, the category, the score and
the reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from core.extracted_notes import RiskCategory, RiskFlag, RiskType, Severity, TranscriptSegment
from core.extraction.embedding import SentenceEncoder, get_encoder
from core.extraction.risk.context import set_aside, set_aside_turn
from core.extraction.risk.cues import GROUP_CATEGORIES, GROUP_OF
from core.extraction.risk.means import within_reach
from core.extraction.risk.neighbours import GROUPS, LADDER, RiskNeighbours, load_neighbours
from core.extraction.risk.rules import detect_risks
from core.extraction.risk.severity import severity_of
from core.extraction.text import split_sentences
from core.notes.screening import ScreeningAnswer, classify_answer, topics_asked

SHORT_ANSWER_WORDS = 12  # an answer this short is also read with the question it answers
MIN_WORDS = 4  # shorter speech ("Yeah.", "Eight Thursday.") is read only with its question
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True)
class Unit:
    segment_index: int
    text: str  # what is embedded
    evidence: str  # the patient's words, as flagged
    context: str = ""  # the question it answered, if read with one


def screen_risks(
    segments: list[TranscriptSegment],
    encoder: SentenceEncoder | None = None,
    examples: RiskNeighbours | None = None,
    known: Mapping[str, np.ndarray] | None = None,
) -> list[RiskFlag]:
    """Risk flags for the session, one per segment and risk group, in transcript order.
    `known` holds vectors of texts already embedded (the session's sentences): not encoded again."""
    examples = examples or load_neighbours()
    found: dict[tuple[int, str], RiskFlag] = {}
    units = reading_units(segments)
    if units:
        questions = list(dict.fromkeys(unit.context for unit in units if unit.context))
        vectors = _embedded([unit.text for unit in units] + questions, encoder, known or {})
        vote = examples.vote(vectors)
        asked = dict(zip(questions, vote.groups[len(units) :], strict=True))
        for row, unit in enumerate(units):
            shares = vote.groups[row]
            if unit.context:
                # An answer raises only the risks its question asks about. Half the threshold:
                # a question is worded unlike the patients' statements the examples hold.
                shares = np.where(asked[unit.context] >= examples.threshold / 2, shares, 0.0)
            for flag in _flags_for(
                unit, shares, vote.closest[row], int(vote.ladder[row]), examples
            ):
                _keep(found, flag)
    rules = [
        flag.model_copy(update={"reason": "explicit wording"})
        for flag in detect_risks(split_sentences(segments))
        if _rule_flag_stands(flag, segments)
    ]
    return union(list(found.values()), rules)


def union(*flag_sets: list[RiskFlag]) -> list[RiskFlag]:
    """Flags from several screens as one list: a flag from any of them stands (one per segment
    and risk group, the most severe)."""
    found: dict[tuple[int, str], RiskFlag] = {}
    for flags in flag_sets:
        for flag in flags:
            _keep(found, flag if flag.category else _categorised(flag))
    return sorted(found.values(), key=lambda f: (f.segment_index or 0, f.type.value))


def _categorised(flag: RiskFlag) -> RiskFlag:
    return flag.model_copy(update={"category": _CATEGORY_OF_RULE[flag.type]})


def _embedded(
    texts: list[str], encoder: SentenceEncoder | None, known: Mapping[str, np.ndarray]
) -> np.ndarray:
    missing = list(dict.fromkeys(text for text in texts if text not in known))
    encoded = dict(known)
    if missing:
        encoded.update(zip(missing, (encoder or get_encoder()).encode(missing), strict=True))
    return np.stack([encoded[text] for text in texts])


def reading_units(segments: list[TranscriptSegment]) -> list[Unit]:
    """What the screen reads of each patient turn: the turn and its sentences, and with its
    question a short answer or a sentence that answers ("Yes, it's the first time") — leaving out
    turns the rules set aside as a whole."""
    units: list[Unit] = []
    for index, segment in enumerate(segments):
        if segment.speaker == "therapist" or not segment.text.strip():
            continue
        text = " ".join(segment.text.split())
        if set_aside_turn(text) is not None or _denied_when_asked(segments, index, text):
            continue  # a turn about the past, someone else, a film…: its sentences too
        question = _question_before(segments, index)
        sentences = [s for s in _SENTENCE_END.split(text) if len(s.split()) >= MIN_WORDS]
        readings = [text] if len(text.split()) >= MIN_WORDS else []
        if len(sentences) > 1 or (sentences and sentences[0] != text):
            readings += sentences
        for reading in readings:
            if question and _ANSWERS.match(reading):
                units.append(Unit(index, f"{question} {reading}", reading, context=question))
            else:
                units.append(Unit(index, reading, reading))
        if question and len(text.split()) <= SHORT_ANSWER_WORDS and not _ANSWERS.match(text):
            units.append(Unit(index, f"{question} {text}", text, context=question))
    return units


# Words that open an answer: what follows means what the question asked ("Yes, the first time").
_ANSWERS = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|aye|no|nope|nah|mm+|mhm|uh-huh|sure|right|maybe|sometimes|"
    r"not really|kind of|sort of|a bit|a little)\b",
    re.IGNORECASE,
)


def _denied_when_asked(segments: list[TranscriptSegment], index: int, text: str) -> bool:
    """A plain "no" to a question about suicide or self-harm (not to "are you safe at home?",
    where no is the worrying answer)."""
    question = _question_before(segments, index)
    return bool(
        question and topics_asked(question) and classify_answer(text) is ScreeningAnswer.negative
    )


def _rule_flag_stands(flag: RiskFlag, segments: list[TranscriptSegment]) -> bool:
    """The rules' flag, unless its turn as a whole is set aside. An answer to a screening question
    ("Do you feel safe at home?" "Not really.") and abuse of or by someone else ("she leaves the
    kids alone all weekend") stand whatever the turn reads like."""
    if flag.segment_index is None or flag.context or flag.type is RiskType.abuse_neglect:
        return True
    return set_aside_turn(" ".join(segments[flag.segment_index].text.split())) is None


def _question_before(segments: list[TranscriptSegment], index: int) -> str | None:
    if index == 0 or segments[index - 1].speaker != "therapist":
        return None
    asked = segments[index - 1].text.strip()
    return asked if asked.endswith("?") else None


def _flags_for(
    unit: Unit, shares: np.ndarray, closest: np.ndarray, ladder: int, examples: RiskNeighbours
) -> list[RiskFlag]:
    if set_aside(unit.evidence) is not None:
        return []
    near = closest >= examples.floor
    strongest = int(shares.argmax())
    chosen = [strongest] if shares[strongest] >= examples.threshold and near[strongest] else []
    chosen += [
        g
        for g in range(len(GROUPS))
        if g != strongest and shares[g] >= examples.second_threshold and near[g]
    ]
    if not unit.context and within_reach(unit.evidence) and _LETHAL not in chosen:
        chosen.append(_LETHAL)  # possession said plainly: the rule's, whatever the vote
    flags = []
    for g in chosen:
        group = GROUPS[g]
        category = LADDER[ladder] if group == "suicidal" else GROUP_CATEGORIES[group][0]
        share = float(shares[g])
        flags.append(
            RiskFlag(
                type=category.risk_type,
                category=category,
                severity=severity_of(category, unit.evidence),
                evidence=unit.evidence,
                segment_index=unit.segment_index,
                context=f'Answer to "{unit.context}"' if unit.context else "",
                score=round(share, 3),
                reason=(
                    f"reads like statements of {category.value.replace('_', ' ')} "
                    f"({share:.0%} of the closest examples)"
                ),
            )
        )
    return flags


_RANK = {Severity.low: 0, Severity.medium: 1, Severity.high: 2}
_LETHAL = GROUPS.index("lethal_means")


def _keep(found: dict[tuple[int, str], RiskFlag], flag: RiskFlag) -> None:
    """One flag per segment and group: the most severe, then the surest (explicit wording, which
    the rules found, before a vote)."""
    assert flag.category is not None
    key = (flag.segment_index or 0, GROUP_OF[flag.category])
    kept = found.get(key)
    if kept is None or _strength(flag) > _strength(kept):
        found[key] = flag


def _strength(flag: RiskFlag) -> tuple[int, float]:
    return _RANK[flag.severity], 1.0 if flag.score is None else flag.score


_CATEGORY_OF_RULE = {
    RiskType.suicidal_ideation_passive: RiskCategory.passive_ideation,
    RiskType.suicidal_ideation_active: RiskCategory.active_ideation,
    RiskType.self_harm: RiskCategory.self_injury,
    RiskType.harm_to_others: RiskCategory.harm_to_others,
    RiskType.lethal_means: RiskCategory.lethal_means,
    RiskType.abuse_neglect: RiskCategory.abuse_neglect,
}

"""The patient's most significant statements: risk disclosures, change talk, strong emotion."""

from __future__ import annotations

import re

from core.extracted_notes import RiskFlag, SignificantQuote, TranscriptSegment
from core.extraction.mood import count_emotion_words
from core.extraction.text import Sentence, Sentences

MAX_QUOTES = 5
_MIN_SCORE = 2
_MIN_WORDS, _MAX_WORDS = 5, 40

_CHANGE_TALK = re.compile(
    r"\bi (?:really )?(?:want|need|have) to (?:stop|quit|change|cut|get|be|start)\b|"
    r"\bi am (?:ready|going) to\b|\bi have decided\b|\bi (?:will|can) do (?:it|this)\b",
    re.IGNORECASE,
)
_INTENSITY = re.compile(
    r"\b(?:really|so|very|completely|totally|always|never|nothing|everything|hate|love|"
    r"terrified|desperate|sick of|tired of|can not)\b",
    re.IGNORECASE,
)


def find_quotes(
    sentences: Sentences, segments: list[TranscriptSegment], risk_flags: list[RiskFlag]
) -> list[SignificantQuote]:
    risk_evidence = {(flag.segment_index, flag.evidence) for flag in risk_flags}
    scored = []
    for position, sentence in enumerate(sentences.all):
        if not sentence.by_patient:
            continue
        is_risk = (sentence.segment_index, sentence.text) in risk_evidence
        score, reason = _significance(sentence, is_risk)
        if score >= _MIN_SCORE:
            scored.append((score, position, sentence, reason))
    best = sorted(scored, key=lambda item: (-item[0], item[1]))[:MAX_QUOTES]
    return [
        SignificantQuote(
            quote=sentence.text,
            context=reason,
            timestamp_start=_start(segments[sentence.segment_index]),
            segment_index=sentence.segment_index,
        )
        for _, _, sentence, reason in sorted(best, key=lambda item: item[1])
    ]


def _significance(sentence: Sentence, is_risk: bool) -> tuple[int, str]:
    if is_risk:
        return 4, "risk disclosure"  # ranks above any other kind
    words = len(sentence.text.split())
    if not _MIN_WORDS <= words <= _MAX_WORDS:
        return 0, ""
    if _CHANGE_TALK.search(sentence.norm):
        return 2 + bool(_INTENSITY.search(sentence.norm)), "change talk"
    emotion = min(count_emotion_words(sentence.norm), 2)
    if not emotion:
        return 0, ""
    return emotion + bool(_INTENSITY.search(sentence.norm)), "strong emotion"


def _start(segment: TranscriptSegment) -> float | None:
    # A segment without duration comes from text without timing: it has no time to point to.
    return segment.start if segment.end > segment.start else None

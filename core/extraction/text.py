"""Sentences of a transcript, each with a normalised form that the extraction rules match.

Normalising keeps the letters' case (a capitalised name can matter) but straightens quotes,
expands contractions ("don't" → "do not", "I'm" → "I am"), removes stutters ("I-I-I") and turns
discourse fillers ("to be honest", "you know") into clause breaks, so that every rule can be
written once, without spelling variants. Rules match with re.IGNORECASE.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from core.extracted_notes import Speaker, TranscriptSegment

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")

_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), replacement)
    for pattern, replacement in (
        (r"[‘’ʼ`]", "'"),
        (r"[“”]", '"'),
        (r"\b(\w+)(?:-\1\b)+", r"\1"),  # stutter: "I-I-I", "my-my"
        (r"[ \t]*(?:--+|—|–)[ \t]*", ", "),
        (r"\bcan't\b|\bcannot\b", "can not"),
        (r"\bwon't\b", "will not"),
        (r"\bshan't\b", "shall not"),
        (r"\bain't\b", "is not"),
        (r"n't\b", " not"),
        (r"'m\b", " am"),
        (r"'re\b", " are"),
        (r"'ve\b", " have"),
        (r"'ll\b", " will"),
        (r"'d\b", " would"),
        (r"\b(it|that|he|she|there|what|who|here|where|this)'s\b", r"\1 is"),
        (r"\blet's\b", "let us"),
        (r"\bgonna\b", "going to"),
        (r"\bwanna\b", "want to"),
        (r"\bgotta\b", "got to"),
        (r"\bkinda\b", "kind of"),
        (r"\bsorta\b", "sort of"),
        (r"\bno-one\b", "no one"),
        (r"\bnever,? ever\b", "never"),
        (
            r"\b(?:to be honest|if i am (?:being )?(?:honest|truthful|real)|honestly|"
            r"i mean|you know|you see)\b",
            ",",
        ),
        (r"[ \t]+", " "),
    )
)


_CLAUSE_END = re.compile(
    r"[,;:]| (?:but|because|though|although|so that|and then|or whatever) |"
    r" (?:and|so) (?=(?:i|he|she|they|we|it) )",
    re.IGNORECASE,
)
_TRAILING_JOINER = re.compile(r"(?:\s+(?:and|so|then|but|or))+$|[\s\-–—]+$", re.IGNORECASE)


def first_clause(text: str) -> str:
    """The words of `text` up to its first clause break, without a dangling "and"."""
    return _TRAILING_JOINER.sub("", _CLAUSE_END.split(text, maxsplit=1)[0].strip())


def normalise(text: str) -> str:
    """The matching form of `text`; lines stay lines, so many sentences can go at once."""
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str  # exactly as spoken, used as evidence
    norm: str  # normalised, used for matching
    segment_index: int
    sentence_index: int  # position within its segment
    speaker: Speaker | None

    @property
    def by_patient(self) -> bool:
        # An unlabelled segment may be the patient's: it must not escape risk detection.
        return self.speaker is not Speaker.therapist

    @property
    def by_therapist(self) -> bool:
        return self.speaker is not Speaker.patient

    @property
    def position(self) -> tuple[int, int]:
        return self.segment_index, self.sentence_index

    @property
    def is_question(self) -> bool:
        return self.text.endswith("?")


class Sentences:
    """Sentences in transcript order, searchable all at once: one search over their joined
    text is much faster than one search per sentence."""

    def __init__(self, sentences: list[Sentence]) -> None:
        self.all = sentences
        self.text = "\n".join(sentence.norm for sentence in sentences)
        self._line_starts = list(accumulate((len(s.norm) + 1 for s in sentences[:-1]), initial=0))

    def by_patient(self) -> Sentences:
        return Sentences([sentence for sentence in self.all if sentence.by_patient])

    def containing(self, pattern: re.Pattern[str]) -> list[Sentence]:
        """The sentences in which `pattern` matches at least once, in order."""
        return list(dict.fromkeys(sentence for sentence, _ in self.matching(pattern)))

    def matching(self, pattern: re.Pattern[str]) -> Iterator[tuple[Sentence, re.Match[str]]]:
        """Each match of `pattern` (which must not cross a line) with its sentence; offsets are
        into `self.text`, not into the sentence."""
        for match in pattern.finditer(self.text):
            yield self.all[bisect_right(self._line_starts, match.start()) - 1], match


def split_sentences(segments: list[TranscriptSegment]) -> Sentences:
    spoken: list[tuple[str, int, int, Speaker | None]] = []
    for segment_index, segment in enumerate(segments):
        parts = (" ".join(part.split()) for part in _SENTENCE_END.split(segment.text))
        for sentence_index, part in enumerate(p for p in parts if p):
            spoken.append((part, segment_index, sentence_index, segment.speaker))
    # Normalising the whole transcript in one go is much faster than sentence by sentence.
    norms = normalise("\n".join(part for part, *_ in spoken)).split("\n")
    return Sentences(
        [
            Sentence(part, norm.strip(), segment_index, sentence_index, speaker)
            for (part, segment_index, sentence_index, speaker), norm in zip(
                spoken, norms, strict=True
            )
        ]
    )

"""Build the risk classifier's examples (core/extraction/risk/examples.npz) from written ones.

    .venv/bin/python -m bench.extraction.train_risk

Training examples: the statements in data/risk_training (written for this, apart from the
evaluation corpus), the screen's own example statements (core/extraction/risk/prototypes.py),
ordinary speech of clients in the AnnoMI counselling conversations as examples of no risk (from
conversations about drinking, smoking, medication and the like, leaving out any utterance with a
word of risk in it), and the development part of the evaluation corpus: its exchanges, and the
turns of its sessions (a turn labelled with risk, and turns far from any). The frozen test part
is never read here.

The threshold and the floor are chosen by 5-fold cross-validation over the development part's
patient turns (a session's turns stay in one fold): each turn is scored by the examples outside
its fold, as the screen reads it (the turn, its sentences, a short answer with its question),
and the pair kept is the one that finds the most risk turns within the false-flag budget. The
shipped examples then hold everything.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.extraction import corpus_eval
from core.annomi import load_conversations
from core.extracted_notes import RiskCategory
from core.extraction.embedding import get_encoder
from core.extraction.risk.context import set_aside
from core.extraction.risk.cues import GROUP_OF
from core.extraction.risk.neighbours import (
    EXAMPLES_PATH,
    GROUPS,
    LADDER,
    NO_LADDER,
    RiskNeighbours,
)
from core.extraction.risk.prototypes import NOT_RISK, PROTOTYPES
from core.extraction.risk.screen import reading_units

STATEMENTS = Path(__file__).resolve().parents[2] / "data" / "risk_training" / "statements.jsonl"
# At most this share of held-out turns without risk may be flagged. Recall is then what the
# examples allow: with this model, at 0.95 recall half the denials and idioms are flagged too
# (see the README), an alarm that would be ignored.
FALSE_FLAG_BUDGET = 0.03
SECOND_THRESHOLD = 0.6  # a second group of the same unit is flagged from this share of the vote
FOLDS = 5
SEED = 7


@dataclass(frozen=True)
class Example:
    text: str
    labels: frozenset[RiskCategory]
    source: str  # "statements", "prototypes" or a development id


def unit_text(question: str | None, text: str) -> str:
    """How the screen reads an answer with its question (screen.py does the same)."""
    return f"{question} {text}" if question else text


def statements() -> list[Example]:
    if not STATEMENTS.exists():
        return []
    examples = []
    for line in STATEMENTS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            labels = frozenset(RiskCategory(label) for label in item["labels"])
            examples.append(
                Example(unit_text(item.get("question"), item["text"]), labels, "statements")
            )
    return examples


def prototype_examples() -> list[Example]:
    examples = [
        Example(text, frozenset({category}), "prototypes")
        for category, texts in PROTOTYPES.items()
        for text in texts
    ]
    return examples + [Example(text, frozenset(), "prototypes") for text in NOT_RISK]


# AnnoMI conversations whose subject may bring risk up are not used as examples of no risk.
_RISKY_SUBJECTS = re.compile(
    r"self-harm|violence|unidentifiable|problem recognition|opening up|managing life|school|"
    r"anxiety|self-confidence|values|diagnosis",
    re.IGNORECASE,
)
_RISK_WORDS = re.compile(
    r"\b(?:suicid\w*|kill\w*|die|died|dying|dead|death|cut\w*|hurt\w*|harm\w*|overdos\w*|"
    r"gun|knife|rope|hit|hits|abus\w*|end it|disappear|worthless|hopeless|point)\b",
    re.IGNORECASE,
)
ANNOMI_PER_CONVERSATION = 40


def annomi_speech() -> list[Example]:
    """Clients' ordinary words in counselling, read as the screen reads them: what most of a
    session sounds like."""
    examples = []
    for conversation in load_conversations().values():
        if _RISKY_SUBJECTS.search(conversation.topic):
            continue
        units = [
            unit.text
            for unit in reading_units(list(conversation.segments))
            if not _RISK_WORDS.search(unit.text)
        ]
        examples += [
            Example(text, frozenset(), "annomi") for text in units[:ANNOMI_PER_CONVERSATION]
        ]
    return examples


def development() -> list[Example]:
    examples = []
    for item in corpus_eval.exchanges("dev"):
        if item["speaker"] != "patient":
            continue  # the screen never reads the therapist's words
        question = None
        if item["context"] and item["context"][-1]["speaker"] == "therapist":
            asked = item["context"][-1]["text"].strip()
            question = asked if asked.endswith("?") and len(item["text"].split()) <= 12 else None
        labels = frozenset(RiskCategory(label) for label in item["labels"])
        examples.append(Example(unit_text(question, item["text"]), labels, item["id"]))
    return examples


NEAR_LABEL = 4  # turns this close to a labelled risk turn are neither risk nor no-risk examples


@dataclass(frozen=True)
class Turn:
    """A patient turn of the development part, with what the screen reads of it."""

    block: str  # what a fold holds together: an exchange id or a session id
    labels: frozenset[RiskCategory]
    units: tuple[str, ...]  # the readings the rules do not set aside


def development_turns() -> list[Turn]:
    turns = []
    for item in corpus_eval.exchanges("dev"):
        if item["speaker"] != "patient":
            continue
        said = [*item["context"], {"speaker": item["speaker"], "text": item["text"]}]
        labels = frozenset(RiskCategory(label) for label in item["labels"])
        turns.append(Turn(item["id"], labels, _readings(said, len(item["context"]))))
    for session in corpus_eval.sessions("dev"):
        labelled = _labelled_turns(session)
        for index, said in enumerate(session["segments"]):
            if said["speaker"] == "therapist" or _near_label(index, labelled):
                continue
            labels = frozenset(labelled.get(index, ()))
            turns.append(Turn(session["id"], labels, _readings(session["segments"], index)))
    return turns


def _readings(turns: list[dict], index: int) -> tuple[str, ...]:
    return tuple(
        unit.text
        for unit in reading_units(corpus_eval.segments_of(turns))
        if unit.segment_index == index and set_aside(unit.evidence) is None
    )


def _labelled_turns(session: dict) -> dict[int, set[RiskCategory]]:
    labelled: dict[int, set[RiskCategory]] = {}
    for risk in session["labels"]["risk"]:
        labelled.setdefault(risk["segment"], set()).add(RiskCategory(risk["category"]))
    return labelled


def _near_label(index: int, labelled: dict[int, set[RiskCategory]]) -> bool:
    return index not in labelled and any(abs(index - at) <= NEAR_LABEL for at in labelled)


def session_units() -> list[Example]:
    """Examples from the development sessions: a turn labelled with risk, whole, carries its
    categories; every reading of a turn far from all labelled turns is an example of no risk."""
    examples = []
    for session in corpus_eval.sessions("dev"):
        labelled = _labelled_turns(session)
        for unit in reading_units(corpus_eval.segments_of(session["segments"])):
            index = unit.segment_index
            source = f"{session['id']}:{index}"
            if index in labelled and unit.text == unit.evidence and not unit.context:
                examples.append(Example(unit.text, frozenset(labelled[index]), source))
            elif index not in labelled and not _near_label(index, labelled):
                examples.append(Example(unit.text, frozenset(), source))
    return examples


def targets(examples: list[Example]) -> np.ndarray:
    return np.array(
        [[float(any(GROUP_OF[c] == group for c in e.labels)) for group in GROUPS] for e in examples]
    )


def ladder_index(labels: frozenset[RiskCategory]) -> int:
    steps = [LADDER.index(c) for c in labels if c in LADDER]
    return max(steps) if steps else NO_LADDER


def sources_sha256(examples: list[Example]) -> str:
    """What the shipped examples were built from: a test checks they are not stale."""
    digest = hashlib.sha256()
    for e in examples:
        digest.update(f"{e.text}\t{','.join(sorted(e.labels))}\n".encode())
    return digest.hexdigest()


def all_examples() -> list[Example]:
    return statements() + prototype_examples() + annomi_speech() + development() + session_units()


def neighbours(
    vectors: np.ndarray, examples: list[Example], threshold: float = 0.5, floor: float = 0.0
) -> RiskNeighbours:
    return RiskNeighbours(
        vectors=vectors.astype(np.float32),
        groups=targets(examples).astype(np.float32),
        ladder=np.array([ladder_index(e.labels) for e in examples]),
        threshold=threshold,
        second_threshold=SECOND_THRESHOLD,
        floor=floor,
        sources_sha256=sources_sha256(examples),
    )


def main() -> None:
    encoder = get_encoder()
    examples = all_examples()
    vectors = encoder.encode([e.text for e in examples])
    turns = development_turns()
    readings = sorted({text for turn in turns for text in turn.units})
    row_of = {text: row for row, text in enumerate(readings)}
    similarity = encoder.encode(readings) @ vectors.T
    # Each development turn is scored by the examples outside its fold (a session is one block).
    blocks = sorted({turn.block for turn in turns} | {_block(e) for e in examples})
    fold_of = dict(
        zip(blocks, np.random.default_rng(SEED).integers(0, FOLDS, len(blocks)), strict=True)
    )
    example_fold = np.array([fold_of.get(_block(e), -1) for e in examples])
    scores = []  # per turn: (share, similarity of the nearest) of each reading's strongest group
    for turn in turns:
        rows = [row_of[text] for text in turn.units]
        held_out = similarity[rows].copy()
        held_out[:, example_fold == fold_of[turn.block]] = _MASKED
        vote = neighbours(vectors, examples).vote_on(held_out)
        strongest = vote.groups.argmax(axis=1)
        scores.append((vote.groups.max(axis=1), vote.closest[np.arange(len(rows)), strongest]))
    threshold, floor = choose(scores, [bool(turn.labels) for turn in turns])
    neighbours(vectors, examples, threshold, floor).save(EXAMPLES_PATH)
    print(f"wrote {EXAMPLES_PATH}: {len(examples)} examples")


_MASKED = -10.0  # the similarity given to examples of the held-out fold: never among the nearest


def _block(example: Example) -> str:
    return example.source.split(":")[0]


def choose(scores: list[tuple[np.ndarray, np.ndarray]], risky: list[bool]) -> tuple[float, float]:
    """The floor and threshold that find the most held-out risk turns while flagging at most
    FALSE_FLAG_BUDGET of the held-out turns without risk."""
    wanted = np.array(risky)
    budget = int(FALSE_FLAG_BUDGET * (~wanted).sum())
    best: tuple[int, int, float, float] | None = None
    for floor in np.arange(0.40, 0.751, 0.025):
        top = np.array([float(share[near >= floor].max(initial=0.0)) for share, near in scores])
        for threshold in np.arange(0.05, 0.951, 0.05):
            flagged = top >= threshold
            found, false = int((flagged & wanted).sum()), int((flagged & ~wanted).sum())
            if false <= budget and (best is None or (found, -false) > best[:2]):
                best = (found, -false, float(threshold), float(floor))
    assert best is not None, "no floor and threshold keep within the false-flag budget"
    found, false, threshold, floor = best
    print(
        f"floor {floor:.3f}, threshold {threshold:.2f}: held-out development turns flagged — "
        f"with risk {found}/{wanted.sum()}, without {-false}/{(~wanted).sum()}"
    )
    return threshold, floor


if __name__ == "__main__":
    main()

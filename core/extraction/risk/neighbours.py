"""The risk classifier: the labelled statements nearest in meaning vote.

Thousands of short statements, each labelled with the risks it voices (or none: idioms, denials,
other people's risk, the past, everyday speech), are embedded once when the screen is built
(bench/extraction/train_risk.py) and shipped as examples.npz next to this file. A unit of speech
is compared with all of them; its K nearest vote, each by a weight that falls off fast with
distance, for the risk groups they carry. A vote, unlike a line drawn through the space, can
follow the fine structure of meaning: "my brother cut himself" sits among other people's risk,
"I cut myself" among self-injury, though the two are close.

A unit is risk when its strongest group gets at least `threshold` of the vote and one of its
neighbours of that group is at least `floor` alike (a share alone is no evidence: a fragment such
as "Eight Thursday." is near nothing, and its nearest then vote at random). Both are chosen by
cross-validation on the corpus's development part for recall first; a unit is flagged for its
strongest group, and for a second group when that one also gets `second_threshold`. Within the
suicidal group the neighbours' C-SSRS categories vote for the category.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from core.extracted_notes import RiskCategory

EXAMPLES_PATH = Path(__file__).with_name("examples.npz")
GROUPS = (
    "suicidal",
    "self_injury",
    "reckless_overdose",
    "harm_to_others",
    "lethal_means",
    "abuse_neglect",
)
LADDER = (
    RiskCategory.wish_to_be_dead,
    RiskCategory.passive_ideation,
    RiskCategory.active_ideation,
    RiskCategory.ideation_with_method,
    RiskCategory.ideation_with_intent,
    RiskCategory.ideation_with_plan,
    RiskCategory.preparatory_behaviour,
)
NO_LADDER = 255  # an example's ladder index when it is not suicidal
K = 20
TEMPERATURE = 0.05  # the weight of a neighbour is exp(similarity / TEMPERATURE)


@dataclass(frozen=True)
class Vote:
    groups: np.ndarray  # (units, groups): the share of the vote for each group
    closest: np.ndarray  # (units, groups): similarity of the nearest neighbour of each group
    ladder: np.ndarray  # (units,): the C-SSRS category index the suicidal neighbours chose


@dataclass(frozen=True)
class RiskNeighbours:
    vectors: np.ndarray  # (examples, dimension), float32, unit length
    groups: np.ndarray  # (examples, groups) 0/1
    ladder: np.ndarray  # (examples,) index into LADDER, NO_LADDER when not suicidal
    threshold: float
    second_threshold: float
    floor: float = 0.0
    sources_sha256: str = ""  # of the example texts and labels (bench/extraction/train_risk.py)

    def vote(self, units: np.ndarray) -> Vote:
        return self.vote_on(units @ self.vectors.T)

    def vote_on(self, similarity: np.ndarray) -> Vote:
        """The vote given each unit's similarity to every example (cross-validation masks some)."""
        nearest = np.argpartition(-similarity, K, axis=1)[:, :K]
        alike = np.take_along_axis(similarity, nearest, axis=1)
        weights = np.exp(alike / TEMPERATURE)
        weights /= weights.sum(axis=1, keepdims=True)
        carried = self.groups[nearest]  # (units, K, groups)
        groups = np.einsum("nk,nkg->ng", weights, carried)
        closest = (alike[:, :, None] * carried).max(axis=1)
        ladder = np.array(
            [self._ladder_vote(row, weight) for row, weight in zip(nearest, weights, strict=True)]
        )
        return Vote(groups, closest, ladder)

    def _ladder_vote(self, rows: np.ndarray, weights: np.ndarray) -> int:
        tally = np.zeros(len(LADDER))
        for row, weight in zip(rows, weights, strict=True):
            if self.ladder[row] != NO_LADDER:
                tally[self.ladder[row]] += weight
        return int(tally.argmax())

    def save(self, path: Path = EXAMPLES_PATH) -> None:
        np.savez_compressed(
            path,
            vectors=self.vectors.astype(np.float16),  # half the size; votes do not change
            groups=self.groups.astype(np.uint8),
            ladder=self.ladder.astype(np.uint8),
            threshold=np.float32(self.threshold),
            second_threshold=np.float32(self.second_threshold),
            floor=np.float32(self.floor),
            sources_sha256=np.array(self.sources_sha256),
        )


@cache
def load_neighbours(path: Path = EXAMPLES_PATH) -> RiskNeighbours:
    with np.load(path) as data:
        return RiskNeighbours(
            vectors=data["vectors"].astype(np.float32),
            groups=data["groups"].astype(np.float32),
            ladder=data["ladder"].astype(np.int64),
            threshold=float(data["threshold"]),
            second_threshold=float(data["second_threshold"]),
            floor=float(data["floor"]) if "floor" in data else 0.0,
            sources_sha256=str(data["sources_sha256"]),
        )

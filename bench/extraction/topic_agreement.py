"""Key topics against the `topic` label of the 133 AnnoMI conversations.

AnnoMI topics are stated as counselling goals ("reducing alcohol consumption"); each maps here to
the topic label the extractor uses. A conversation whose topic names no clinical subject
("problem recognition", "charging battery", "unidentifiable") has no label to agree with and is
left out. A conversation agrees when every label of its topic is among its key topics.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from core.annomi import load_conversations
from core.extraction.local import extract_notes

ANNOMI_TOPIC_LABELS: dict[str, str | None] = {
    "reducing alcohol consumption": "alcohol use",
    "smoking cessation": "smoking",
    "taking medicine / following medical procedure": "medication adherence",
    "providing information on medicines": "medication adherence",
    "following medical procedure": "medication adherence",
    "reducing recidivism": "recidivism",
    "completion of community service": "recidivism",
    "reducing drug use": "drug use",
    "more exercise / increasing activity": "exercise",
    "increasing activity": "exercise",
    "weight loss": "weight",
    "diet": "diet",
    "asthma management": "asthma",
    "diabetes management": "diabetes",
    "compliance with rules": "rules and conduct",
    "better oral health": "oral health",
    "reducing gambling": "gambling",
    "reducing self-harm": "self-harm",
    "anxiety management": "anxiety",
    "reducing violence": "anger and violence",
    "increasing self-confidence": "self-esteem",
    "reducing coffee consumption": "caffeine",
    "safe sex": "sexual health",
    "birth control": "sexual health",
    "being assertive with flatmate about moving out": "relationships",
    "taking steps towards getting help with day-care": "parenting",
    "overcoming issues at school": "school",
    "engaging in community activities": "social connection",
    # Goals of the conversation rather than subjects: nothing to agree with.
    "unidentifiable": None,
    "problem recognition": None,
    "supporting client to live in more alignment with her values": None,
    "charging battery": None,
    "changing approach to disease": None,
    "opening up": None,
    "not getting into a car with someone who is under the influence of drugs or alcohol": None,
    "recognising success": None,
    "avoiding doi": None,
    "diagnosis": None,
    "managing life": None,
}


@dataclass(frozen=True)
class Labelled:
    labels: frozenset[str]
    key_topics: list[str]


def labels_of(annomi_topic: str) -> frozenset[str]:
    parts = (part.strip().lower() for part in annomi_topic.split(";"))
    return frozenset(label for part in parts if (label := ANNOMI_TOPIC_LABELS[part]))


def run() -> tuple[list[str], list[list[object]], list[str], list[list[object]]]:
    """(summary headers, summary rows, per-topic headers, per-topic rows)."""
    conversations = list(load_conversations().values())
    labelled = [
        Labelled(labels, extract_notes(list(c.segments)).key_topics)
        for c in conversations
        if (labels := labels_of(c.topic))
    ]
    label_counts = Counter(label for item in labelled for label in item.labels)
    majority = [label_counts.most_common(1)[0][0]]
    most_common_five = [label for label, _ in label_counts.most_common(5)]

    def agreement(predict: list[str] | None, top: int | None = None) -> float:
        hits = sum(
            item.labels <= set(predict if predict is not None else item.key_topics[:top])
            for item in labelled
        )
        return hits / len(labelled)

    mean_topics = sum(len(item.key_topics) for item in labelled) / len(labelled)
    summary = [
        ["local extractor, all key topics", agreement(None), f"{mean_topics:.1f}"],
        ["local extractor, first key topic only", agreement(None, top=1), "1"],
        [f"baseline: majority class ({majority[0]})", agreement(majority), "1"],
        ["baseline: 5 most common labels for all", agreement(most_common_five), "5"],
    ]
    per_topic = []
    for label, count in label_counts.most_common():
        with_label = [item for item in labelled if label in item.labels]
        found = sum(label in item.key_topics for item in with_label)
        first = sum(item.key_topics[:1] == [label] for item in with_label)
        per_topic.append([label, count, f"{found}/{count}", f"{first}/{count}"])
    left_out = len(conversations) - len(labelled)
    headers = [
        f"{len(labelled)} conversations with a clinical topic ({left_out} left out)",
        "agreement",
        "topics each",
    ]
    return headers, summary, ["topic", "conversations", "in key topics", "first"], per_topic

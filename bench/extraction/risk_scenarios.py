"""Risk flags on the labelled scenarios of data/risk_scenarios/scenarios.jsonl.

A flag is right when its type and segment match a labelled flag. The baseline spots risk
keywords in anyone's words, the way a naive screen would; it is scored per segment, type
ignored, next to the extractor scored the same way.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from core.extracted_notes import RiskType
from core.extraction.local import extract_notes
from core.extraction.transcript import parse_transcript

SCENARIOS = Path(__file__).resolve().parents[2] / "data" / "risk_scenarios" / "scenarios.jsonl"
NO_RISK_CATEGORIES = (
    "negated",
    "hypothetical",
    "third_party",
    "idiom",
    "screening_negative",
    "therapist_only",
)
_KEYWORDS = re.compile(
    r"\b(?:suicid\w*|kill\w*|die|dying|dead|cut\w*|burn\w*|hurt\w*|harm\w*|hit\w*|abus\w*|"
    r"pills|safe)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Scenario:
    id: str
    category: str
    transcript: str
    expected: frozenset[tuple[str, int]]


def load() -> list[Scenario]:
    scenarios = []
    for line in SCENARIOS.read_text().splitlines():
        if line.strip():
            data = json.loads(line)
            expected = frozenset((f["type"], f["segment_index"]) for f in data["flags"])
            scenarios.append(Scenario(data["id"], data["category"], data["transcript"], expected))
    return scenarios


def _local(scenario: Scenario) -> set[tuple[str, int]]:
    flags = extract_notes(parse_transcript(scenario.transcript)).risk_flags
    return {(flag.type.value, flag.segment_index or 0) for flag in flags}


def _keyword_segments(scenario: Scenario) -> set[int]:
    segments = parse_transcript(scenario.transcript)
    return {index for index, s in enumerate(segments) if _KEYWORDS.search(s.text)}


def _precision_recall(found: int, right: int, expected: int) -> tuple[str, str]:
    precision = f"{right / found:.1%}" if found else "-"
    recall = f"{right / expected:.1%}" if expected else "-"
    return precision, recall


def run() -> tuple[list[str], list[list[object]], list[str], list[list[object]]]:
    """(per-type headers, rows, no-risk headers, rows)."""
    scenarios = load()
    found = {s.id: _local(s) for s in scenarios}
    rows: list[list[object]] = []
    for risk_type in RiskType:
        expected = [(s, f) for s in scenarios for f in s.expected if f[0] == risk_type]
        flagged = [(s, f) for s in scenarios for f in found[s.id] if f[0] == risk_type]
        right = sum(f in s.expected for s, f in flagged)
        rows.append(
            [
                risk_type.value,
                len(expected),
                len(flagged),
                right,
                *_precision_recall(len(flagged), right, len(expected)),
            ]
        )
    for name, segments_of in (
        ("any risk, per segment: local extractor", lambda s: {i for _, i in found[s.id]}),
        ("any risk, per segment: keyword baseline", _keyword_segments),
    ):
        expected_total = found_total = right_total = 0
        for s in scenarios:
            wanted, got = {i for _, i in s.expected}, segments_of(s)
            expected_total, found_total = expected_total + len(wanted), found_total + len(got)
            right_total += len(wanted & got)
        rows.append(
            [
                name,
                expected_total,
                found_total,
                right_total,
                *_precision_recall(found_total, right_total, expected_total),
            ]
        )
    counts = Counter(s.category for s in scenarios)
    no_risk_rows: list[list[object]] = [
        [
            category,
            counts[category],
            sum(len(found[s.id]) for s in scenarios if s.category == category),
            sum(len(_keyword_segments(s)) for s in scenarios if s.category == category),
        ]
        for category in NO_RISK_CATEGORIES
    ]
    headers = ["risk type", "labelled", "flagged", "right", "precision", "recall"]
    no_risk_headers = ["scenarios without risk", "count", "local flags", "keyword flags"]
    return headers, rows, no_risk_headers, no_risk_rows

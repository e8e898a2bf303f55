"""Scoring an analysis on the blind corpus (bench/extraction/corpus), one part at a time.

The corpus is split once (corpus/split.json): tuning looks at the development part only, and the
figures that count are the frozen test part's. Both are printed, each labelled.

Exchanges: the screen reads the context turns and the judged turn as one short transcript; only
flags on the judged turn count. Recall per category: a labelled item is found when a flag of the
same risk group stands on the judged turn (the suicidal ladder — wish to be dead to preparatory
behaviour — is one group; self-injury, overdose, harm to others, lethal means and abuse are one
group each); the exact C-SSRS category and the severity are reported beside it. Precision per
group: of the flags raised, the share on items carrying a label of that group. A negative item
with any flag on its judged turn is a false flag, counted by kind (idiom, denial…).

Sessions: per session, the risk groups flagged against the labelled ones; whether the mood is
ever positive where ideation was labelled; topics, interventions and homework against the labels.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from core.extracted_notes import (
    ExtractedNotes,
    MoodLevel,
    RiskCategory,
    RiskFlag,
    RiskType,
    TranscriptSegment,
)
from core.extraction.risk.cues import GROUP_OF
from core.extraction.risk.neighbours import GROUPS

CORPUS = Path(__file__).resolve().parent / "corpus"
Part = Literal["dev", "test"]
Screen = Callable[[list[TranscriptSegment]], list[RiskFlag]]
Analyse = Callable[[list[TranscriptSegment]], ExtractedNotes]

SUICIDAL = "suicidal"
GROUP_OF_CATEGORY = GROUP_OF  # the suicidal ladder is one group; the others one each
# A flag without a category (the rule-only screen) is placed by its type; self-harm then stands
# for both self-injury and overdose.
GROUPS_OF_TYPE = {
    RiskType.suicidal_ideation_passive: {SUICIDAL},
    RiskType.suicidal_ideation_active: {SUICIDAL},
    RiskType.self_harm: {"self_injury", "reckless_overdose"},
    RiskType.harm_to_others: {"harm_to_others"},
    RiskType.lethal_means: {"lethal_means"},
    RiskType.abuse_neglect: {"abuse_neglect"},
}
IDEATION = {c.value for c, group in GROUP_OF_CATEGORY.items() if group == SUICIDAL}
POSITIVE_MOODS = {MoodLevel.positive, MoodLevel.very_positive}


def split(part: Part) -> dict[str, set[str]]:
    data = json.loads((CORPUS / "split.json").read_text(encoding="utf-8"))
    return {kind: set(data[kind][part]) for kind in ("exchanges", "sessions")}


def exchanges(part: Part) -> list[dict]:
    chosen = split(part)["exchanges"]
    lines = (CORPUS / "exchanges.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    return [item for item in items if item["id"] in chosen]


def sessions(part: Part) -> list[dict]:
    chosen = split(part)["sessions"]
    found = (
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((CORPUS / "sessions").glob("s*.json"))
    )
    return [session for session in found if session["id"] in chosen]


def segments_of(turns: Iterable[dict]) -> list[TranscriptSegment]:
    return [
        TranscriptSegment(
            start=index * 10.0, end=index * 10.0 + 9, text=turn["text"], speaker=turn["speaker"]
        )
        for index, turn in enumerate(turns)
    ]


def flag_groups(flag: RiskFlag) -> set[str]:
    if flag.category is not None:
        return {GROUP_OF_CATEGORY[flag.category]}
    return GROUPS_OF_TYPE[flag.type]


# --- exchanges ---


@dataclass
class ExchangeReport:
    items: int = 0
    found: Counter[str] = field(default_factory=Counter)  # group → labelled items found
    labelled: Counter[str] = field(default_factory=Counter)  # group → labelled items
    raised: Counter[str] = field(default_factory=Counter)  # group → flags raised
    right: Counter[str] = field(default_factory=Counter)  # group → flags on items of the group
    exact: Counter[str] = field(default_factory=Counter)  # category → found with that category
    category_items: Counter[str] = field(default_factory=Counter)
    severity_agree: int = 0
    severity_compared: int = 0
    false_flags: Counter[str] = field(default_factory=Counter)  # negative kind → flagged items
    negatives: Counter[str] = field(default_factory=Counter)
    missed: list[str] = field(default_factory=list)  # ids, for tuning on the dev part
    wrong: list[str] = field(default_factory=list)

    def recall(self, group: str) -> float | None:
        return self.found[group] / self.labelled[group] if self.labelled[group] else None

    def precision(self, group: str) -> float | None:
        return self.right[group] / self.raised[group] if self.raised[group] else None


def evaluate_exchanges(screen: Screen, part: Part) -> ExchangeReport:
    report = ExchangeReport()
    for item in exchanges(part):
        report.items += 1
        turns = [*item["context"], {"speaker": item["speaker"], "text": item["text"]}]
        judged = len(item["context"])
        flags = [f for f in screen(segments_of(turns)) if f.segment_index == judged]
        labels = {GROUP_OF_CATEGORY[RiskCategory(label)] for label in item["labels"]}
        raised = set().union(*(flag_groups(f) for f in flags)) if flags else set()
        if not item["labels"]:
            report.negatives[item["negative_type"]] += 1
            if flags:
                report.false_flags[item["negative_type"]] += 1
                report.wrong.append(item["id"])
        for group in labels:
            report.labelled[group] += 1
            if group in raised:
                report.found[group] += 1
            else:
                report.missed.append(item["id"])
        for group in raised:
            report.raised[group] += 1
            if group in labels:
                report.right[group] += 1
            elif item["labels"]:
                report.wrong.append(item["id"])
        categories = {f.category.value for f in flags if f.category}
        for label in item["labels"]:
            report.category_items[label] += 1
            if label in categories:
                report.exact[label] += 1
        if item["severity"] and flags and labels & raised:
            report.severity_compared += 1
            worst = max(flags, key=lambda f: ("low", "medium", "high").index(f.severity))
            report.severity_agree += worst.severity.value == item["severity"]
    return report


# --- sessions ---


@dataclass
class SessionReport:
    sessions: int = 0
    risk_found: int = 0  # labelled risk groups flagged somewhere in the session
    risk_labelled: int = 0
    risk_raised: int = 0  # groups flagged
    risk_right: int = 0
    no_risk_sessions_flagged: list[str] = field(default_factory=list)
    ideation_sessions: int = 0
    positive_on_ideation: list[str] = field(default_factory=list)
    mood_exact: int = 0
    mood_within_one: int = 0
    topics: Counter[str] = field(default_factory=Counter)  # tp / fp / fn
    interventions: Counter[str] = field(default_factory=Counter)
    homework: Counter[str] = field(default_factory=Counter)
    details: dict[str, dict] = field(default_factory=dict)


_MOODS = [m.value for m in MoodLevel]


def evaluate_sessions(analyse: Analyse, part: Part) -> SessionReport:
    report = SessionReport()
    for session in sessions(part):
        report.sessions += 1
        labels = session["labels"]
        notes = analyse(segments_of(session["segments"]))
        wanted = {GROUP_OF_CATEGORY[RiskCategory(r["category"])] for r in labels["risk"]}
        raised = (
            set().union(*(flag_groups(f) for f in notes.risk_flags)) if notes.risk_flags else set()
        )
        report.risk_labelled += len(wanted)
        report.risk_found += len(wanted & raised)
        report.risk_raised += len(raised)
        report.risk_right += len(wanted & raised)
        if not wanted and raised:
            report.no_risk_sessions_flagged.append(session["id"])
        if {r["category"] for r in labels["risk"]} & IDEATION:
            report.ideation_sessions += 1
            if notes.session_mood in POSITIVE_MOODS:
                report.positive_on_ideation.append(session["id"])
        mood = notes.session_mood.value if notes.session_mood else None
        report.mood_exact += mood == labels["mood"]
        report.mood_within_one += (
            mood is not None and abs(_MOODS.index(mood) - _MOODS.index(labels["mood"])) <= 1
        )
        _tally(report.topics, set(notes.key_topics), set(labels["topics"]))
        _tally(
            report.interventions,
            {_intervention(s.name) for s in notes.strategies},
            set(labels["interventions"]),
        )
        _tally_homework(report.homework, [a.task for a in notes.action_items], labels["homework"])
        report.details[session["id"]] = {
            "risk": sorted(raised),
            "wanted": sorted(wanted),
            "mood": mood,
            "topics": notes.key_topics,
            "interventions": [s.name for s in notes.strategies],
            "homework": [a.task for a in notes.action_items],
        }
    return report


def _tally(counter: Counter[str], found: set[str], wanted: set[str]) -> None:
    counter["tp"] += len(found & wanted)
    counter["fp"] += len(found - wanted)
    counter["fn"] += len(wanted - found)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3}


def _tally_homework(counter: Counter[str], found: list[str], wanted: list[str]) -> None:
    """An item matches a labelled one when they share most of their content words."""
    unmatched = list(wanted)
    for task in found:
        best = max(unmatched, key=lambda w: _overlap(task, w), default=None)
        if best is not None and _overlap(task, best) >= 0.5:
            counter["tp"] += 1
            unmatched.remove(best)
        else:
            counter["fp"] += 1
    counter["fn"] += len(unmatched)


def _overlap(one: str, other: str) -> float:
    a, b = _words(one), _words(other)
    return len(a & b) / max(1, min(len(a), len(b)))


# The corpus names interventions in its own words; the analysis's names map onto them.
INTERVENTION_NAMES = {
    "safety plan": "safety planning",
    "box breathing": "box breathing",
    "deep breathing": "paced breathing",
    "paced breathing": "paced breathing",
    "progressive muscle relaxation": "progressive muscle relaxation",
    "mindfulness": "mindfulness",
    "meditation": "mindfulness",
    "grounding": "grounding",
    "thought record": "thought record",
    "cognitive restructuring": "cognitive restructuring",
    "behavioral activation": "behavioural activation",
    "behavioural activation": "behavioural activation",
    "exposure": "exposure",
    "journaling": "journaling",
    "self-monitoring": "self-monitoring",
    "sleep hygiene": "sleep hygiene",
    "problem solving": "problem solving",
    "assertive communication": "assertive communication",
    "time-out": "time-out",
    "decisional balance": "decisional balance",
    "safety planning": "safety planning",
    "means restriction": "means restriction",
    "activity scheduling": "activity scheduling",
    "motivational interviewing": "motivational interviewing",
    "psychoeducation": "psychoeducation",
    "validation": "validation",
    "relapse prevention": "relapse prevention",
}


def _intervention(name: str) -> str:
    return INTERVENTION_NAMES.get(name.lower(), name.lower())


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def group_rows(reports: list[ExchangeReport]) -> list[list[object]]:
    """Per risk group: its items in the first report, then recall and precision in each."""
    return [
        [
            group,
            reports[0].labelled[group],
            *(pct(value) for r in reports for value in (r.recall(group), r.precision(group))),
        ]
        for group in GROUPS
    ]


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def f1(counter: Counter[str]) -> tuple[float | None, float | None]:
    """(precision, recall)"""
    return (
        ratio(counter["tp"], counter["tp"] + counter["fp"]),
        ratio(counter["tp"], counter["tp"] + counter["fn"]),
    )


def by_group(report: ExchangeReport) -> dict[str, tuple[float | None, float | None]]:
    groups = sorted(set(GROUP_OF_CATEGORY.values()))
    return {g: (report.recall(g), report.precision(g)) for g in groups}


def per_category_exact(report: ExchangeReport) -> dict[str, float | None]:
    return {
        c: ratio(report.exact[c], report.category_items[c]) for c in sorted(report.category_items)
    }

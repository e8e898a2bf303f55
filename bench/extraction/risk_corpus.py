"""The risk screen on the blind corpus, beside the rule-only screen, in the same run.

Rows per risk group: recall and precision on the frozen TEST part (the figures that count), and
on the development part (where the screen was tuned: optimistic by construction). Then the
negatives of the test part flagged by kind, severity and exact C-SSRS category agreement, and
the sessions.
"""

from __future__ import annotations

from bench.extraction import corpus_eval as ce
from core.extracted_notes import ExtractedNotes, TranscriptSegment
from core.extraction.embedding import get_encoder
from core.extraction.local import extract_notes
from core.extraction.risk.rules import detect_risks
from core.extraction.risk.screen import screen_risks, union
from core.extraction.text import split_sentences


def _rules(segments: list[TranscriptSegment]) -> list:
    return detect_risks(split_sentences(segments))


def _screen(segments: list[TranscriptSegment]) -> list:
    return screen_risks(segments, get_encoder())


def run() -> list[tuple[str, list[str], list[list[object]]]]:
    """(title, headers, rows) of each table."""
    reports = {
        (name, part): ce.evaluate_exchanges(screen, part)
        for name, screen in (("screen", _screen), ("rules only", _rules))
        for part in ("test", "dev")
    }
    rows = ce.group_rows(
        [reports["screen", "test"], reports["rules only", "test"], reports["screen", "dev"]]
    )
    tables = [
        (
            "Risk screen on the blind corpus, per risk group (exchanges)",
            [
                "group",
                "test items",
                "recall (test)",
                "precision (test)",
                "rules-only recall (test)",
                "rules-only precision (test)",
                "recall (dev)",
                "precision (dev)",
            ],
            rows,
        )
    ]
    new, old = reports["screen", "test"], reports["rules only", "test"]
    negative_rows = [
        [kind, new.negatives[kind], new.false_flags[kind], old.false_flags[kind]]
        for kind in sorted(new.negatives)
    ]
    tables.append(
        (
            "    test negatives flagged, by kind",
            ["kind", "items", "screen", "rules only"],
            negative_rows,
        )
    )
    tables.append(
        (
            "    severity and category on the test part",
            ["measure", "screen", "rules only"],
            [
                [
                    "severity agrees (found items)",
                    ce.pct(ce.ratio(new.severity_agree, new.severity_compared)),
                    ce.pct(ce.ratio(old.severity_agree, old.severity_compared)),
                ],
                *(
                    [f"exact category: {category}", ce.pct(value), "—"]
                    for category, value in ce.per_category_exact(new).items()
                ),
            ],
        )
    )
    session_rows = []
    for name, analyse, part in (
        ("screen", extract_notes, "test"),
        ("rules only", _with_rules_only, "test"),
        ("screen", extract_notes, "dev"),
    ):
        report = ce.evaluate_sessions(analyse, part)
        no_risk = report.sessions - sum(1 for d in report.details.values() if d["wanted"])
        session_rows.append(
            [
                f"{name} ({part})",
                report.sessions,
                f"{report.risk_found}/{report.risk_labelled}",
                f"{report.risk_right}/{report.risk_raised}",
                f"{len(report.no_risk_sessions_flagged)}/{no_risk}",
                f"{len(report.positive_on_ideation)}/{report.ideation_sessions}",
            ]
        )
    tables.append(
        (
            "    whole sessions",
            [
                "analysis (part)",
                "sessions",
                "risk groups found",
                "flags right",
                "no-risk sessions flagged",
                "positive mood with ideation",
            ],
            session_rows,
        )
    )
    return tables


def _with_rules_only(segments: list[TranscriptSegment]) -> ExtractedNotes:
    """The analysis with the rule-only risk screen (mood then follows those flags)."""
    notes = extract_notes(segments)
    return notes.model_copy(update={"risk_flags": union(_rules(segments))})

"""The blind corpus through the configured extractor — `EXTRACTOR=openai` included.

    EXTRACTOR=openai OPENAI_BASE_URL=http://127.0.0.1:8080/v1 OPENAI_API_KEY=… \\
        .venv/bin/python -m bench.extraction.extractor_corpus [--part test|dev]

Each exchange and each session goes through `get_extractor(settings).extract`, as a processed
session does; with `EXTRACTOR=openai` that is the server's notes united with the local risk
screen (core/extraction/openai.py). The tables are those of risk_corpus.py, for one part (the
frozen test part unless told otherwise), beside the local screen alone in the same run.
"""

from __future__ import annotations

import argparse
import asyncio

from bench.extraction import corpus_eval as ce
from bench.report import print_table
from core.extracted_notes import ExtractedNotes, RiskFlag, TranscriptSegment
from core.extraction import Extractor, get_extractor
from core.extraction.risk.screen import screen_risks
from core.settings import get_settings


def run(extractor: Extractor, part: ce.Part) -> list[tuple[str, list[str], list[list[object]]]]:
    """(title, headers, rows) of each table."""
    with asyncio.Runner() as runner:  # one loop for every request: the client's pool stays open

        def analyse(segments: list[TranscriptSegment]) -> ExtractedNotes:
            return runner.run(extractor.extract(segments))

        def flags(segments: list[TranscriptSegment]) -> list[RiskFlag]:
            return analyse(segments).risk_flags

        configured = ce.evaluate_exchanges(flags, part)
        sessions = ce.evaluate_sessions(analyse, part)
    local = ce.evaluate_exchanges(screen_risks, part)
    groups = ce.group_rows([configured, local])
    negatives = sum(configured.negatives.values())
    topics, interventions = ce.f1(sessions.topics), ce.f1(sessions.interventions)
    return [
        (
            f"Risk on the {part} part, per group: the configured extractor and the local screen",
            ["group", "items", "recall", "precision", "local recall", "local precision"],
            groups,
        ),
        (
            "    negatives and sessions",
            ["measure", "configured extractor"],
            [
                ["negatives flagged", f"{sum(configured.false_flags.values())}/{negatives}"],
                ["session risk groups found", f"{sessions.risk_found}/{sessions.risk_labelled}"],
                ["session flags right", f"{sessions.risk_right}/{sessions.risk_raised}"],
                ["positive mood with ideation", f"{len(sessions.positive_on_ideation)}"],
                ["topics precision / recall", f"{ce.pct(topics[0])} / {ce.pct(topics[1])}"],
                [
                    "interventions precision / recall",
                    f"{ce.pct(interventions[0])} / {ce.pct(interventions[1])}",
                ],
            ],
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("test", "dev"), default="test")
    arguments = parser.parse_args()
    settings = get_settings()
    print(f"extractor: {settings.extractor}")
    for title, headers, rows in run(get_extractor(settings), arguments.part):
        print_table(title, headers, rows)


if __name__ == "__main__":
    main()

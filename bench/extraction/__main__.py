"""Extraction benchmark: `.venv/bin/python -m bench.extraction`.

Prints three tables, each with a baseline measured in the same run:
(a) key topics against the topic labels of the 133 AnnoMI conversations (data/annomi, Wu et al.
    2022/2023) — against a majority-class baseline and a "most common labels" baseline;
(b) risk flags on the labelled scenarios in data/risk_scenarios — precision and recall per risk
    type, and flags on the scenarios without risk (target: recall 100 %, no such flags) —
    against keyword spotting;
(c) local extraction time for a 55-minute session (~8,000 words) against tokenising the text.
"""

from __future__ import annotations

from bench.extraction import risk_scenarios, speed, topic_agreement
from bench.report import print_table


def main() -> None:
    headers, summary, topic_headers, per_topic = topic_agreement.run()
    print_table("(a) Key topics vs AnnoMI topic labels", headers, summary)
    print_table("    per labelled topic", topic_headers, per_topic)

    headers, rows, no_risk_headers, no_risk_rows = risk_scenarios.run()
    print_table("(b) Risk flags on the labelled scenarios", headers, rows)
    print_table("    scenarios that must raise no flag", no_risk_headers, no_risk_rows)

    headers, rows, note = speed.run()
    print_table(f"(c) Extraction time: {note}", headers, rows)


if __name__ == "__main__":
    main()

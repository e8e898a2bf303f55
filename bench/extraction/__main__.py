"""Extraction benchmark: `.venv/bin/python -m bench.extraction`.

Prints four tables, each with a baseline measured in the same run:
(a) key topics against the topic labels of the 133 AnnoMI conversations (data/annomi, Wu et al.
    2022/2023) — against a majority-class baseline and a "most common labels" baseline;
(b) risk flags on the labelled scenarios in data/risk_scenarios — precision and recall per risk
    type, and flags on the scenarios without risk — against keyword spotting. These scenarios
    were written together with the rules: they show the rules work as written, not that they
    hold on new words;
(e) the risk screens on the blind corpus (bench/extraction/corpus, written apart from the code):
    the meaning-based screen beside the rule-only one, on the frozen test part and on the
    development part it was tuned on (bench/extraction/risk_corpus.py);
(c) local extraction time for a 55-minute session (~8,000 words) against tokenising the text;
(d) sentence embeddings of that session's utterances and windows against tokenising them
    (bench/extraction/embedding.py).
"""

from __future__ import annotations

from bench.extraction import embedding, risk_corpus, risk_scenarios, speed, topic_agreement
from bench.report import print_table


def main() -> None:
    headers, summary, topic_headers, per_topic = topic_agreement.run()
    print_table("(a) Key topics vs AnnoMI topic labels", headers, summary)
    print_table("    per labelled topic", topic_headers, per_topic)

    headers, rows, no_risk_headers, no_risk_rows = risk_scenarios.run()
    print_table("(b) Risk flags on the scenarios written with the rules", headers, rows)
    print_table("    scenarios that must raise no flag", no_risk_headers, no_risk_rows)

    headers, rows, note = speed.run()
    print_table(f"(c) Extraction time: {note}", headers, rows)

    embedding.main()

    for number, (title, headers, rows) in enumerate(risk_corpus.run()):
        print_table(f"(e) {title}" if number == 0 else title, headers, rows)


if __name__ == "__main__":
    main()

"""Writes the example contexts under templates/exports/examples/ (one per export type).

Run `.venv/bin/python -m bench.documents.make_examples` after changing the context models;
`tb render <type> --context templates/exports/examples/<type>.json` renders them.
"""

from pathlib import Path

from bench.documents import sample
from core.documents.jsonexport import render_json
from core.documents.paths import TEMPLATE_DIR

EXAMPLES = TEMPLATE_DIR / "examples"


def main() -> None:
    contexts = {
        "progress_report": sample.progress_report(6),
        "session_notes": sample.session_notes(2),
        "treatment_summary": sample.treatment_summary(6),
        "full_record": sample.full_record(2),
    }
    for name, context in contexts.items():
        path: Path = EXAMPLES / f"{name}.json"
        path.write_bytes(render_json(context))
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()

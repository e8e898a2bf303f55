"""Split the evaluation corpus ONCE into a development part and a frozen test part.

    .venv/bin/python -m bench.extraction.corpus.split

Writes split.json next to this file and refuses to run again: the test part is frozen before any
tuning, and tuning (prototypes, thresholds, rules) looks at the development part only. 40 % of
each stratum goes to the test part — exchanges stratified by their first label (or negative
type), sessions by whether they carry current risk — with a fixed seed, so the split can be
checked but is never redrawn.
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections import defaultdict
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
SPLIT_PATH = CORPUS / "split.json"
TEST_SHARE = 0.4
SEED = 20261202


def load_exchanges() -> list[dict]:
    lines = (CORPUS / "exchanges.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def load_sessions() -> list[dict]:
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((CORPUS / "sessions").glob("s*.json"))
    ]


def _stratified(items: dict[str, list[str]], rng: random.Random) -> tuple[list[str], list[str]]:
    dev, test = [], []
    for stratum in sorted(items):
        ids = sorted(items[stratum])
        rng.shuffle(ids)
        cut = math.ceil(len(ids) * TEST_SHARE)
        test += ids[:cut]
        dev += ids[cut:]
    return sorted(dev), sorted(test)


def main() -> None:
    if SPLIT_PATH.exists():
        sys.exit(f"{SPLIT_PATH.name} exists: the split is frozen and is never redrawn")
    rng = random.Random(SEED)
    exchanges: dict[str, list[str]] = defaultdict(list)
    for item in load_exchanges():
        exchanges[item["labels"][0] if item["labels"] else f"none:{item['negative_type']}"].append(
            item["id"]
        )
    sessions: dict[str, list[str]] = defaultdict(list)
    for session in load_sessions():
        sessions["risk" if session["labels"]["risk"] else "no risk"].append(session["id"])
    exchange_dev, exchange_test = _stratified(exchanges, rng)
    session_dev, session_test = _stratified(sessions, rng)
    split = {
        "seed": SEED,
        "test_share": TEST_SHARE,
        "exchanges": {"dev": exchange_dev, "test": exchange_test},
        "sessions": {"dev": session_dev, "test": session_test},
    }
    SPLIT_PATH.write_text(json.dumps(split, indent=1) + "\n", encoding="utf-8")
    print(
        f"exchanges: {len(exchange_dev)} dev, {len(exchange_test)} test; "
        f"sessions: {len(session_dev)} dev, {len(session_test)} test"
    )


if __name__ == "__main__":
    main()

"""The JSON export: the document context itself, versioned by `schema_version`.

Its JSON Schema is generated from the context models and kept next to this module
(SCHEMA_PATH); a test fails when the models and the file disagree. Regenerate it with
`python -m core.documents.jsonexport` and raise SCHEMA_VERSION when a change is not additive.
Dates are ISO 8601, ids are UUID strings, enums are their string values.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.documents.context import SCHEMA_VERSION, DocumentContext, context_json_schema

SCHEMA_PATH = Path(__file__).with_name(f"context-schema-v{SCHEMA_VERSION}.json")


def render_json(context: DocumentContext) -> bytes:
    return context.model_dump_json(indent=2).encode("utf-8")


def schema_document() -> str:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"TherapyBridge document context, schema version {SCHEMA_VERSION}",
        **context_json_schema(),
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(schema_document(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")

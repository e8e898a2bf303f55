"""CSV and JSON: parse, match the context, and cannot be turned into formulas."""

import csv
import io
import json

from core.documents.context import NoteSource, SessionDocumentation, load_context
from core.documents.csvexport import COLUMNS, render_csv
from core.documents.jsonexport import SCHEMA_PATH, render_json, schema_document
from core.notes.record import NoteRecord
from tests.core.documents import contexts


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_csv_has_one_row_per_session_with_stable_columns() -> None:
    data = render_csv(contexts.progress_report())
    assert data.startswith(",".join(COLUMNS).encode() + b"\r\n")
    rows = read_csv(data)
    assert len(rows) == 3
    first = rows[0]
    assert first["patient_name"] == "Maria Okafor"
    assert first["session_id"] == "00000000-0000-0000-0000-000000000001"
    assert first["session_date"] == "2025-01-06T14:00:00+00:00"
    assert first["duration_minutes"] == "51.0"
    assert first["mood"] == "low"
    assert first["key_topics"] == "panic; work stress"
    assert first["risk_flags"] == ""
    assert rows[2]["risk_flags"] == "Self-harm (medium)"
    assert first["documentation"] == "extraction"  # no note: marked in its own column
    assert first["signed_by"] == first["note_text"] == ""


def test_every_export_type_has_the_same_columns() -> None:
    for context in contexts.all_contexts():
        rows = read_csv(render_csv(context))
        assert len(rows) == len(context.sessions)
        assert all(list(row) == list(COLUMNS) for row in rows)


def test_csv_quotes_commas_quotes_and_newlines() -> None:
    context = contexts.progress_report()
    tricky = 'Said "no", then\nleft'
    first = context.sessions[0]
    record = first.record.model_copy(update={"summary": tricky})
    documentation = first.documentation.model_copy(update={"record": record})
    sessions = [first.model_copy(update={"documentation": documentation})]
    rows = read_csv(render_csv(context.model_copy(update={"sessions": sessions})))
    assert rows[0]["summary"] == tricky


def test_cells_that_look_like_formulas_are_neutralised() -> None:
    context = contexts.progress_report()
    record = NoteRecord(
        topics=['=HYPERLINK("http://evil")'],
        summary="+1+1",
        themes=["-2+3"],
        follow_up=["@SUM(A1)"],
        plan="\t=cmd",
    )
    documentation = SessionDocumentation(source=NoteSource.draft, record=record)
    session = context.sessions[0].model_copy(update={"documentation": documentation})
    row = read_csv(render_csv(context.model_copy(update={"sessions": [session]})))[0]
    assert row["key_topics"] == '\'=HYPERLINK("http://evil")'
    assert row["summary"] == "'+1+1"
    assert row["emotional_themes"] == "'-2+3"
    assert row["follow_up_topics"] == "'@SUM(A1)"
    assert row["plan"] == "'\t=cmd"


def test_json_is_the_versioned_context_and_reads_back() -> None:
    for context in contexts.all_contexts():
        data = render_json(context)
        document = json.loads(data)
        assert document["schema_version"] == "2.0"
        assert document["export_type"] == context.export_type.value
        assert document["patient"]["dob"] == "1985-03-02"
        assert document["generated_at"] == "2025-04-01T09:00:00Z"
        assert load_context(data) == context


def test_json_carries_the_derived_figures() -> None:
    document = json.loads(render_json(contexts.progress_report()))
    assert document["session_count"] == 3
    assert document["avg_duration_minutes"] == 52.0
    assert document["key_topics"][0] == {"topic": "panic", "sessions": 3}
    assert document["goals"][0]["progress_percentage"] == 37.5
    assert document["goals"][1]["current"] is None


def test_the_published_schema_matches_the_models() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_document(), (
        "run `.venv/bin/python -m core.documents.jsonexport` to regenerate the schema"
    )

"""The blind corpus can be run through the OpenAI back end (bench/extraction/extractor_corpus.py):
every exchange and session goes to the server as a session would, and the local screen's flags
stand beside the server's."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest
from openai import AsyncOpenAI

from bench.extraction import corpus_eval, extractor_corpus
from core.extracted_notes import ExtractedNotes, RiskFlag, RiskType, Severity
from core.extraction.openai import OpenAIExtractor
from tests.fakes.openai_server import (
    FakeOpenAIServer,
    FakeResponse,
    RecordedRequest,
    chat_completion,
)

COMPLETIONS = "/v1/chat/completions"
_LINE = re.compile(r"^\[(\d+)\] [TP]: (.*)$", re.MULTILINE)


def flag_the_last_turn(request: RecordedRequest) -> FakeResponse:
    """A server that reads harm to others into the last turn it is sent."""
    index, text = _LINE.findall(request.json()["messages"][1]["content"])[-1]
    flag = RiskFlag(
        type=RiskType.harm_to_others,
        severity=Severity.medium,
        evidence=text,
        segment_index=int(index),
    )
    return chat_completion(ExtractedNotes(risk_flags=[flag]).model_dump_json())


async def test_the_corpus_runs_through_an_openai_compatible_server(
    fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = [i for i in corpus_eval.exchanges("dev") if i["speaker"] == "patient"]
    items = [i for i in said if i["labels"]][:2] + [i for i in said if not i["labels"]][:2]
    monkeypatch.setattr(corpus_eval, "exchanges", lambda part: items)
    monkeypatch.setattr(corpus_eval, "sessions", lambda part: [])
    fake_openai.route("POST", COMPLETIONS, flag_the_last_turn)
    # The corpus runs on a loop of its own, gone before this test could close the client's
    # connections: keep none open between requests.
    no_keepalive = httpx.AsyncClient(limits=httpx.Limits(max_keepalive_connections=0))
    client = AsyncOpenAI(
        api_key="test-key", base_url=fake_openai.base_url, max_retries=0, http_client=no_keepalive
    )

    tables = await asyncio.to_thread(
        extractor_corpus.run, OpenAIExtractor(client, "local-model"), "dev"
    )

    assert len(fake_openai.requests) == len(items)
    [groups, _] = tables
    harm = next(row for row in groups[2] if row[0] == "harm_to_others")
    assert harm[1] == sum("harm_to_others" in i["labels"] for i in items)
    negatives_row = next(row for row in tables[1][2] if row[0] == "negatives flagged")
    flagged, total = negatives_row[1].split("/")
    assert flagged == total == "2"  # the server's flag stands on every item, negatives too

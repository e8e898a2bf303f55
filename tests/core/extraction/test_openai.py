import re
from collections.abc import AsyncIterator

import pytest
from openai import AsyncOpenAI

from core.extracted_notes import (
    ExtractedNotes,
    RiskFlag,
    RiskType,
    Severity,
    SignificantQuote,
    Speaker,
    TranscriptSegment,
)
from core.extraction import ExtractionError, TransientExtractionError, get_extractor
from core.extraction.openai import OpenAIExtractor, chunk_segments
from core.settings import Settings
from tests.fakes.openai_server import (
    FakeOpenAIServer,
    FakeResponse,
    RecordedRequest,
    api_error,
    chat_completion,
    rate_limited,
)

COMPLETIONS = "/v1/chat/completions"
SEGMENTS = [
    TranscriptSegment(start=0, end=3, text="How was the week?", speaker=Speaker.therapist),
    TranscriptSegment(start=3, end=9, text="I drank every night.", speaker=Speaker.patient),
]
NOTES = ExtractedNotes(key_topics=["alcohol use"], topic_summary="Discussed drinking.")


_CLIENTS: list[AsyncOpenAI] = []


@pytest.fixture(autouse=True)
async def close_clients() -> AsyncIterator[None]:
    """Each test's clients are closed after it: their connections are not left to the GC."""
    yield
    while _CLIENTS:
        await _CLIENTS.pop().close()


def client_for(base_url: str, *, retries: int) -> AsyncOpenAI:
    client = AsyncOpenAI(api_key="test-key", base_url=base_url, max_retries=retries)
    _CLIENTS.append(client)
    return client


def extractor_for(server: FakeOpenAIServer, *, retries: int = 2, budget: int = 12_000):
    client = client_for(server.base_url, retries=retries)
    return OpenAIExtractor(client, "gpt-4o-mini", chunk_token_budget=budget)


def answer(notes: ExtractedNotes) -> FakeResponse:
    return chat_completion(notes.model_dump_json())


async def test_notes_come_back_parsed_from_a_strict_schema_request(
    fake_openai: FakeOpenAIServer,
) -> None:
    fake_openai.queue("POST", COMPLETIONS, answer(NOTES))

    notes = await extractor_for(fake_openai).extract(SEGMENTS)

    assert notes == NOTES
    sent = fake_openai.requests[0].json()
    assert sent["model"] == "gpt-4o-mini"
    assert sent["temperature"] == 0
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["strict"] is True
    assert sent["messages"][1]["content"] == "[0] T: How was the week?\n[1] P: I drank every night."


async def test_settings_choose_the_server_and_model(fake_openai: FakeOpenAIServer) -> None:
    settings = Settings(
        extractor="openai",
        openai_api_key="test-key",
        openai_base_url=fake_openai.base_url,
        openai_extraction_model="local-model",
    )
    fake_openai.queue("POST", COMPLETIONS, answer(NOTES))

    await get_extractor(settings).extract(SEGMENTS)

    assert fake_openai.requests[0].json()["model"] == "local-model"
    assert fake_openai.requests[0].headers["Authorization"] == "Bearer test-key"


@pytest.mark.parametrize(
    "failure",
    [
        rate_limited(),
        api_error(500, "Internal error", headers={"retry-after": "0.01"}),
        api_error(503, "Overloaded", headers={"retry-after": "0.01"}),
    ],
)
async def test_rate_limits_and_server_errors_are_retried(
    fake_openai: FakeOpenAIServer, failure: FakeResponse
) -> None:
    fake_openai.queue("POST", COMPLETIONS, failure, answer(NOTES))

    notes = await extractor_for(fake_openai).extract(SEGMENTS)

    assert notes == NOTES
    assert len(fake_openai.requests) == 2


async def test_failures_that_outlast_the_retries_are_transient(
    fake_openai: FakeOpenAIServer,
) -> None:
    fake_openai.queue("POST", COMPLETIONS, *[rate_limited()] * 3)

    with pytest.raises(TransientExtractionError, match="HTTP 429"):
        await extractor_for(fake_openai, retries=2).extract(SEGMENTS)
    assert len(fake_openai.requests) == 3


async def test_an_unreachable_server_is_transient() -> None:
    client = client_for("http://127.0.0.1:9/v1", retries=0)

    with pytest.raises(TransientExtractionError, match="could not be reached"):
        await OpenAIExtractor(client, "gpt-4o-mini").extract(SEGMENTS)


async def test_a_rejected_request_is_permanent_and_not_retried(
    fake_openai: FakeOpenAIServer,
) -> None:
    fake_openai.queue("POST", COMPLETIONS, api_error(400, "Invalid schema"))

    with pytest.raises(ExtractionError, match="HTTP 400") as raised:
        await extractor_for(fake_openai).extract(SEGMENTS)
    assert not isinstance(raised.value, TransientExtractionError)
    assert len(fake_openai.requests) == 1


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (chat_completion('{"key_topics": ["alcohol'), "not valid notes"),
        (chat_completion('{"key_topics": "alcohol"}'), "not valid notes"),
        (chat_completion(refusal="I can't help with that."), "refused"),
        (chat_completion('{"key_topics": [', finish_reason="length"), "cut off"),
    ],
)
async def test_unusable_answers_are_permanent_errors_without_patient_data(
    fake_openai: FakeOpenAIServer, reply: FakeResponse, message: str
) -> None:
    fake_openai.queue("POST", COMPLETIONS, reply)

    with pytest.raises(ExtractionError, match=message) as raised:
        await extractor_for(fake_openai).extract(SEGMENTS)
    assert not isinstance(raised.value, TransientExtractionError)
    assert raised.value.__cause__ is None
    assert "alcohol" not in str(raised.value)


def notes_naming_the_segments(request: RecordedRequest) -> FakeResponse:
    """A model stand-in: one topic per part, and a flag on any 'kill myself' line."""
    lines = request.json()["messages"][1]["content"].splitlines()
    numbered = [re.match(r"\[(\d+)\] (\w|\?): (.*)", line) for line in lines]
    found = [(int(m[1]), m[3]) for m in numbered if m]
    flags = [
        RiskFlag(
            type=RiskType.suicidal_ideation_active,
            severity=Severity.high,
            evidence=text,
            segment_index=index,
        )
        for index, text in found
        if "kill myself" in text
    ]
    notes = ExtractedNotes(
        key_topics=["sleep", f"part from {found[0][0]}"],
        risk_flags=flags,
        significant_quotes=[
            SignificantQuote(quote=text, segment_index=index, timestamp_start=999)
            for index, text in found[:1]
        ],
        therapist_notes=f"Segments {found[0][0]}-{found[-1][0]}.",
    )
    return answer(notes)


async def test_a_long_transcript_goes_in_parts_whose_notes_are_merged(
    fake_openai: FakeOpenAIServer,
) -> None:
    segments = [
        TranscriptSegment(
            start=10.0 * i,
            end=10.0 * i + 9,
            text="I keep thinking I want to kill myself." if i == 7 else f"Line {i} of the talk.",
            speaker=Speaker.patient if i % 2 else Speaker.therapist,
        )
        for i in range(10)
    ]
    fake_openai.route("POST", COMPLETIONS, notes_naming_the_segments)

    notes = await extractor_for(fake_openai, budget=20).extract(segments)

    assert len(fake_openai.requests) > 2
    parts = [r.json()["messages"][1]["content"] for r in fake_openai.requests]
    assert all(content.startswith("Part ") for content in parts)
    assert [(f.segment_index, f.evidence) for f in notes.risk_flags] == [
        (7, "I keep thinking I want to kill myself.")
    ]
    assert notes.key_topics[0] == "sleep"
    assert notes.key_topics.count("sleep") == 1
    assert notes.significant_quotes[0].timestamp_start == 0.0  # from the segment, not the model
    assert notes.therapist_notes.startswith("Segments 0-")


async def test_segment_numbers_outside_the_part_sent_are_dropped(
    fake_openai: FakeOpenAIServer,
) -> None:
    invented = RiskFlag(
        type=RiskType.self_harm, severity=Severity.medium, evidence="I cut.", segment_index=57
    )
    fake_openai.queue("POST", COMPLETIONS, answer(ExtractedNotes(risk_flags=[invented])))

    notes = await extractor_for(fake_openai).extract(SEGMENTS)

    assert [(f.evidence, f.segment_index) for f in notes.risk_flags] == [("I cut.", None)]


async def test_an_empty_transcript_needs_no_request(fake_openai: FakeOpenAIServer) -> None:
    assert await extractor_for(fake_openai).extract([]) == ExtractedNotes()
    assert fake_openai.requests == []


def test_chunks_are_runs_of_whole_segments_under_the_budget() -> None:
    segments = [TranscriptSegment(start=0, end=0, text="x" * 36) for _ in range(5)]

    chunks = chunk_segments(segments, token_budget=25)

    assert chunks == [range(0, 2), range(2, 4), range(4, 5)]
    assert [i for chunk in chunks for i in chunk] == list(range(5))


def test_a_segment_larger_than_the_budget_is_a_chunk_of_its_own() -> None:
    segments = [TranscriptSegment(start=0, end=0, text="y" * 400) for _ in range(2)]

    assert chunk_segments(segments, token_budget=10) == [range(0, 1), range(1, 2)]


async def test_a_server_without_chat_completions_is_a_permanent_error(
    fake_openai: FakeOpenAIServer,
) -> None:
    with pytest.raises(ExtractionError, match="HTTP 404") as raised:
        await extractor_for(fake_openai).extract(SEGMENTS)
    assert not isinstance(raised.value, TransientExtractionError)

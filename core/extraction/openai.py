"""Notes extracted by an OpenAI model, or by any server that speaks its chat-completions API
(`OPENAI_BASE_URL`).

The model answers with Structured Outputs: the JSON schema of `ExtractedNotes`, strictly
enforced, parsed back into the pydantic model. The client retries rate limits (429), server
errors (5xx), timeouts and lost connections itself, with exponential backoff that honours the
server's Retry-After; what still fails after that is a `TransientExtractionError`. A refusal, an
answer cut short or an answer that is not valid notes is an `ExtractionError`: the same request
would fail again.

A long session is sent in parts of whole segments, each under a token budget; each segment
keeps its number in the whole transcript, so risk flags and quotes point at the right segment,
and the parts' notes are merged. The local risk screen runs on the whole session as well, and
its flags are added to the model's: the model can add risk, never remove it.
"""

from __future__ import annotations

import asyncio
import functools

import openai
import pydantic
from openai import AsyncOpenAI

from core.extracted_notes import ExtractedNotes, Speaker, TranscriptSegment
from core.extraction.base import ExtractionError, TransientExtractionError
from core.extraction.merge import merge_notes
from core.extraction.risk.screen import screen_risks, union
from core.settings import Settings

REQUEST_TIMEOUT_SECONDS = 120.0
MAX_RETRIES = 4
# Transcript tokens per request: a 55-minute session (about 11,000 tokens) goes in one request.
CHUNK_TOKEN_BUDGET = 12_000
_CHARS_PER_TOKEN = 4  # a rough rule for English text, good enough for a budget
_RETRYABLE_STATUS = frozenset({408, 409, 429})
_LABELS = {Speaker.therapist: "T", Speaker.patient: "P", None: "?"}

SYSTEM_PROMPT = """\
You write structured clinical notes from a psychotherapy session transcript.
Each line is one turn: [n] is the segment number, T the therapist, P the patient, ? unknown.

Rules:
- Use only what the transcript says. When it does not say something, leave that field empty
  (empty list, empty string or null). Never guess, never add general advice.
- risk_flags: only from the patient's own words. evidence is the patient's exact sentence and
  segment_index its [n]. Flag passive and active suicidal ideation, self-harm, harm to others,
  abuse or neglect. An affirmative answer to a therapist's screening question is a flag; put the
  question in context. Do not flag negated or hypothetical statements, idioms ("this traffic is
  killing me"), song lyrics, or what other people said or feel.
- strategies: status "introduced" when the therapist proposes it, "practiced" when done in the
  session, "assigned" when given as homework, "reviewed" when discussed as already used.
- significant_quotes: the patient's exact words, with segment_index; timestamp_start null.
- treatment_goals: goals in the patient's words; ratings as "8/10" in baseline/current.
- therapist_notes: a short factual clinical summary; patient_summary: the same in plain,
  friendly words addressed to the patient, without risk details.
"""


@functools.cache
def _client(api_key: str | None, base_url: str | None) -> AsyncOpenAI:
    """One client per process and server: its connections are pooled and reused, not opened
    for every session and left to the garbage collector."""
    return AsyncOpenAI(
        api_key=api_key, base_url=base_url, timeout=REQUEST_TIMEOUT_SECONDS, max_retries=MAX_RETRIES
    )


class OpenAIExtractor:
    def __init__(
        self, client: AsyncOpenAI, model: str, *, chunk_token_budget: int = CHUNK_TOKEN_BUDGET
    ) -> None:
        self._client = client
        self._model = model
        self._chunk_token_budget = chunk_token_budget

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIExtractor:
        return cls(
            _client(settings.openai_api_key, settings.openai_base_url),
            settings.openai_extraction_model,
        )

    async def extract(self, segments: list[TranscriptSegment]) -> ExtractedNotes:
        if not segments:
            return ExtractedNotes()
        chunks = chunk_segments(segments, self._chunk_token_budget)
        parts = []
        for number, chunk in enumerate(chunks, start=1):
            notes = await self._extract_part(segments, chunk, number, len(chunks))
            parts.append(_anchored(notes, segments, chunk))
        notes = merge_notes(parts)
        # The local screen runs too, and never gives way: a flag from either stands.
        local = await asyncio.to_thread(screen_risks, segments)
        return notes.model_copy(update={"risk_flags": union(local, notes.risk_flags)})

    async def _extract_part(
        self, segments: list[TranscriptSegment], chunk: range, number: int, total: int
    ) -> ExtractedNotes:
        part = f"Part {number} of {total} of one session.\n" if total > 1 else ""
        lines = "\n".join(_line(index, segments[index]) for index in chunk)
        try:
            completion = await self._client.chat.completions.parse(
                model=self._model,
                messages=[
                    {"role": "system", "content": SYSTEM_PROMPT},
                    {"role": "user", "content": part + lines},
                ],
                response_format=ExtractedNotes,
                temperature=0,
            )
        except openai.APIConnectionError as error:  # includes timeouts
            raise TransientExtractionError("the extraction service could not be reached") from error
        except openai.APIStatusError as error:
            status = error.status_code
            if status in _RETRYABLE_STATUS or status >= 500:
                raise TransientExtractionError(
                    f"the extraction service kept failing (HTTP {status})"
                ) from error
            raise ExtractionError(
                f"the extraction service rejected the request (HTTP {status})"
            ) from error
        # The errors below carry the model's answer, which holds patient data: not chained.
        except openai.LengthFinishReasonError:
            raise ExtractionError("the model's answer was cut off at its length limit") from None
        except openai.ContentFilterFinishReasonError:
            raise ExtractionError("the model's answer was stopped by its content filter") from None
        except pydantic.ValidationError:
            raise ExtractionError("the model's answer is not valid notes") from None
        message = completion.choices[0].message if completion.choices else None
        if message is None or message.refusal:
            raise ExtractionError("the model refused to extract notes from this transcript")
        if message.parsed is None:
            raise ExtractionError("the model's answer held no notes")
        return message.parsed


def chunk_segments(segments: list[TranscriptSegment], token_budget: int) -> list[range]:
    """Consecutive runs of whole segments, each under `token_budget` where a segment allows."""
    chunks: list[range] = []
    start, used = 0, 0
    for index, segment in enumerate(segments):
        tokens = _tokens(_line(index, segment))
        if used and used + tokens > token_budget:
            chunks.append(range(start, index))
            start, used = index, 0
        used += tokens
    chunks.append(range(start, len(segments)))
    return chunks


def _line(index: int, segment: TranscriptSegment) -> str:
    return f"[{index}] {_LABELS[segment.speaker]}: {segment.text}"


def _tokens(text: str) -> int:
    return len(text) // _CHARS_PER_TOKEN + 1


def _anchored(
    notes: ExtractedNotes, segments: list[TranscriptSegment], chunk: range
) -> ExtractedNotes:
    """Segment numbers outside the part sent are unknown; times come from the segments."""

    def known(index: int | None) -> int | None:
        return index if index is not None and index in chunk else None

    def start_of(index: int | None) -> float | None:
        segment = segments[index] if index is not None else None
        return segment.start if segment is not None and segment.end > segment.start else None

    flags = [
        f.model_copy(update={"segment_index": known(f.segment_index)}) for f in notes.risk_flags
    ]
    quotes = [
        q.model_copy(
            update={
                "segment_index": known(q.segment_index),
                "timestamp_start": start_of(known(q.segment_index)),
            }
        )
        for q in notes.significant_quotes
    ]
    return notes.model_copy(update={"risk_flags": flags, "significant_quotes": quotes})

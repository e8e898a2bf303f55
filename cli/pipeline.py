"""`tb transcribe`, `tb extract`, `tb process`: the session pipeline from the command line."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import click

from cli.errors import CommandError, one_line_errors
from cli.runtime import require_services
from core.errors import DomainError
from core.events import Event
from core.settings import get_settings


@click.command()
@click.argument("audio", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the transcript as JSON.")
@one_line_errors
def transcribe(audio: Path, as_json: bool) -> None:
    """Transcribe a recording with speaker labels (TRANSCRIBER back end)."""
    from core.audio import UnsupportedAudio
    from core.transcription import TranscriptionError, get_transcriber

    async def run() -> Any:
        with audio.open("rb") as source:
            return await get_transcriber(get_settings()).transcribe(source)

    try:
        transcript = asyncio.run(run())
    except (UnsupportedAudio, TranscriptionError) as error:
        raise CommandError(f"{audio}: {error}") from None
    click.echo(
        json.dumps(transcript.model_dump(mode="json"), indent=2) if as_json else transcript.text
    )


@click.command()
@click.argument("transcript", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the notes as JSON (default).")
@one_line_errors
def extract(transcript: Path, as_json: bool) -> None:
    """Extract clinical notes from a `T:`/`P:` (or Therapist:/Client:) transcript."""
    from core.extraction import ExtractionError, get_extractor, parse_transcript

    try:
        segments = parse_transcript(transcript.read_text(encoding="utf-8"))
        notes = asyncio.run(get_extractor(get_settings()).extract(segments))
    except (DomainError, UnicodeDecodeError, ExtractionError) as error:
        raise CommandError(f"{transcript}: {error}") from None
    click.echo(json.dumps(notes.model_dump(mode="json"), indent=2))


class StageClock:
    """Stands in for the event publisher: prints how long each stage took, then forwards."""

    def __init__(self, forward: Any) -> None:
        self._forward = forward
        self._stage: str | None = None
        self._since = time.perf_counter()

    async def publish(self, event_type: Event, *, user_id: UUID | str, **data: Any) -> None:
        status = data.get("status")
        if event_type == Event.session_status and status != self._stage:
            now = time.perf_counter()
            if self._stage is not None:
                click.echo(f"  {self._stage:<18} {now - self._since:7.2f} s")
            self._stage, self._since = status, now
        await self._forward.publish(event_type, user_id=user_id, **data)


@click.command()
@click.argument("audio", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--patient", "handle", required=True, help="The patient's handle.")
@one_line_errors
def process(audio: Path, handle: str) -> None:
    """Run the whole pipeline on a recording for a patient, here and now, timing each stage."""
    from arq.connections import ArqRedis

    from core.access import load_actor
    from core.audit import SYSTEM_ORIGIN
    from core.events import EventPublisher
    from core.infra.redis import connect_redis
    from core.infra.storage import storage_from_settings
    from core.sessions.pipeline import run_pipeline
    from core.sessions.upload import upload_session_audio
    from core.tables import TherapistPatient, TherapySession, User

    settings = get_settings()
    require_services(settings)

    async def chunks() -> Any:
        with audio.open("rb") as source:
            while chunk := source.read(1024 * 1024):
                yield chunk

    async def run() -> dict[str, Any]:
        patient = await User.select(User.id).where(User.handle == handle.lower()).first()
        link = (
            patient
            and await TherapistPatient.select(TherapistPatient.therapist_id)
            .where(
                (TherapistPatient.patient_id == patient["id"])
                & (TherapistPatient.relationship_type == "primary")
            )
            .first()
        )
        if not patient or not link:
            raise CommandError(f"no patient with handle {handle!r} and a primary therapist")
        actor = await load_actor(link["therapist_id"])
        assert actor is not None
        redis = connect_redis(settings.redis_url or "")
        clock = StageClock(EventPublisher(redis))
        storage = storage_from_settings(settings)
        started = time.perf_counter()
        try:
            created = await upload_session_audio(
                actor,
                patient["id"],
                chunks(),
                session_date=None,
                max_bytes=settings.max_upload_mb * 1024 * 1024,
                storage=storage,
                queue=cast(ArqRedis, _NoQueue()),
                events=clock,  # type: ignore[arg-type]
                origin=SYSTEM_ORIGIN,
            )
            await run_pipeline(created.id, settings=settings, storage=storage, events=clock)  # type: ignore[arg-type]
            await clock.publish(Event.session_status, user_id=actor.id, status="done")
        finally:
            await redis.aclose()
        row = (
            await TherapySession.select(TherapySession.status, TherapySession.error_message)
            .where(TherapySession.id == created.id)
            .first()
        )
        assert row is not None
        return {"id": created.id, **row, "seconds": time.perf_counter() - started}

    from core.audio import UnsupportedAudio
    from core.infra.storage import FileTooLarge

    try:
        result = asyncio.run(run())
    except (UnsupportedAudio, FileTooLarge) as error:
        raise CommandError(f"{audio}: {error}") from None
    if result["status"] != "processed":
        raise CommandError(f"session {result['id']} failed: {result['error_message']}")
    click.echo(f"session {result['id']} processed in {result['seconds']:.2f} s")


class _NoQueue:
    """`tb process` runs the pipeline itself, so the upload enqueues nothing."""

    async def enqueue_job(self, *args: Any, **kwargs: Any) -> None:
        return None


COMMANDS = [transcribe, extract, process]

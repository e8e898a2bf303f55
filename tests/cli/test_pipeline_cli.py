import json
from pathlib import Path

from core.enums import Role, SessionStatus
from core.tables import ClinicalNote, TherapySession
from tests.cli.test_cli import tb
from tests.factories import make_patient_of, make_user

AUDIO = Path(__file__).resolve().parent.parent / "fixtures" / "audio"


def test_extract_reads_therapist_client_transcripts(tmp_path: Path) -> None:
    transcript = tmp_path / "session.txt"
    transcript.write_text(
        "Therapist: How has your drinking been this week?\n"
        "Client: I had about four drinks most nights. I want to cut down.\n"
    )
    result = tb("extract", str(transcript), "--json")
    assert result.returncode == 0, result.stderr
    notes = json.loads(result.stdout)
    assert "alcohol use" in notes["key_topics"]
    assert notes["risk_flags"] == []


def test_extract_refuses_text_without_speakers(tmp_path: Path) -> None:
    transcript = tmp_path / "notes.txt"
    transcript.write_text("just some notes\n")
    result = tb("extract", str(transcript))
    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"Error: {transcript}: no 'T:' or 'P:' lines found")


def test_transcribe_json_has_segments_with_speakers() -> None:
    result = tb("transcribe", str(AUDIO / "dialogue_stereo.ogg"), "--json")
    assert result.returncode == 0, result.stderr
    transcript = json.loads(result.stdout)
    assert transcript["language"] == "en"
    assert {s["speaker"] for s in transcript["segments"]} == {"therapist", "patient"}


def test_transcribe_refuses_what_is_not_audio() -> None:
    result = tb("transcribe", str(AUDIO / "notes.mp3"))
    assert result.returncode == 2
    assert "not a supported audio file" in result.stderr


async def test_process_runs_the_whole_pipeline_and_times_each_stage(db: None) -> None:
    therapist = await make_user(Role.therapist)
    await make_patient_of(therapist, handle="sam")
    result = tb("process", str(AUDIO / "dialogue_mono.m4a"), "--patient", "sam")
    assert result.returncode == 0, result.stderr
    stages = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")]
    assert stages == ["uploading", "transcribing", "transcribed", "extracting_notes", "processed"]
    session = await TherapySession.select().first()
    assert session["status"] == SessionStatus.processed
    assert await ClinicalNote.count() == 1

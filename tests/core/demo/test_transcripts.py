"""Renaming the people of an AnnoMI conversation: whole names only, the longest first."""

from core.demo.clinic import GRACE, PRIYA
from core.demo.transcripts import rename, replacements
from core.extracted_notes import Speaker, TranscriptSegment


def said(text: str) -> TranscriptSegment:
    return TranscriptSegment(start=0, end=1, text=text, speaker=Speaker.therapist)


def test_whole_names_are_replaced_and_everyone_else_keeps_theirs() -> None:
    names = {"Rick": "Alex", "Ricky": "Alex"}
    [segment] = rename(
        [said("Kia ora, Ricky. Rick's flatmate Tristan? Not Rickshaw, not Patrick.")], names
    )
    assert segment.text == "Kia ora, Alex. Alex's flatmate Tristan? Not Rickshaw, not Patrick."


def test_titles_and_the_counsellors_name_follow_the_demo_people() -> None:
    [grace_visit] = [v for v in GRACE.visits if "Denise" in v.names]
    assert replacements(GRACE, grace_visit) == {"Mrs. Smith": "Mrs. Whitfield", "Denise": "Maya"}
    [priya_visit] = [v for v in PRIYA.visits if "Dr. Selby" in v.names]
    [segment] = rename([said("Hi, Jean, I'm Dr. Selby.")], replacements(PRIYA, priya_visit))
    assert segment.text == "Hi, Priya, I'm Dr. Okafor."


def test_a_conversation_without_names_is_left_as_it_is() -> None:
    segments = [said("How are you today?")]
    assert rename(segments, {}) == segments

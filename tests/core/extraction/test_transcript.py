import pytest

from core.errors import Invalid
from core.extracted_notes import Speaker, TranscriptSegment
from core.extraction.transcript import parse_transcript, render_transcript


def test_short_labels_become_speaker_segments() -> None:
    segments = parse_transcript("T: How was your week?\nP: Hard. I barely slept.")

    assert [(s.speaker, s.text) for s in segments] == [
        (Speaker.therapist, "How was your week?"),
        (Speaker.patient, "Hard. I barely slept."),
    ]


def test_long_labels_in_any_case() -> None:
    text = "THERAPIST: Hello.\nclient: Hi.\nPatient : Still me.\ncounsellor: Good."

    speakers = [s.speaker for s in parse_transcript(text)]

    assert speakers == [Speaker.therapist, Speaker.patient, Speaker.patient, Speaker.therapist]


def test_continuation_lines_join_the_previous_speaker_and_blank_lines_are_ignored() -> None:
    text = "T: Tell me about it.\n\nP: It started in May.\n   Then it got worse.\n\n"

    segments = parse_transcript(text)

    assert len(segments) == 2
    assert segments[1].text == "It started in May. Then it got worse."


def test_text_without_speaker_labels_is_refused() -> None:
    with pytest.raises(Invalid, match="no 'T:' or 'P:' lines found"):
        parse_transcript("Just some notes\nwithout any speaker labels")


def test_text_before_the_first_label_has_no_speaker() -> None:
    segments = parse_transcript("Session 4\nT: Welcome back.")

    assert segments[0].speaker is None
    assert segments[0].text == "Session 4"


def test_parsed_segments_have_no_timing() -> None:
    segment = parse_transcript("P: Hello.")[0]

    assert (segment.start, segment.end) == (0, 0)


def test_rendering_gives_labelled_lines_that_parse_back() -> None:
    segments = [
        TranscriptSegment(start=0, end=2, text="How are you?", speaker=Speaker.therapist),
        TranscriptSegment(start=2, end=5, text="Better.", speaker=Speaker.patient),
    ]

    text = render_transcript(segments)

    assert text == "T: How are you?\nP: Better."
    assert [(s.speaker, s.text) for s in parse_transcript(text)] == [
        (s.speaker, s.text) for s in segments
    ]


def test_rendering_leaves_an_unknown_speaker_unlabelled() -> None:
    segment = TranscriptSegment(start=0, end=1, text="(inaudible)")

    assert render_transcript([segment]) == "(inaudible)"


def test_rendering_joins_consecutive_segments_of_one_speaker_into_a_turn() -> None:
    segments = [
        TranscriptSegment(start=0, end=1, text="So.", speaker=Speaker.therapist),
        TranscriptSegment(start=1, end=2, text="How was the week?", speaker=Speaker.therapist),
        TranscriptSegment(start=2, end=3, text="Long.", speaker=Speaker.patient),
    ]

    assert render_transcript(segments) == "T: So. How was the week?\nP: Long."

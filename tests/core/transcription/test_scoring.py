import pytest

from core.extracted_notes import Speaker, TranscriptSegment
from core.transcription.scoring import speaker_accuracy, word_error_rate


def test_word_error_rate_ignores_case_and_punctuation() -> None:
    assert word_error_rate("Okay. How are you?", "okay how are you") == 0.0


@pytest.mark.parametrize(
    ("heard", "rate"),
    [
        ("how were you feeling", 0.25),  # one substitution in four words
        ("how are feeling", 0.25),  # one deletion
        ("so how are you feeling", 0.25),  # one insertion
        ("", 1.0),
    ],
)
def test_word_error_rate_counts_edits_per_reference_word(heard: str, rate: float) -> None:
    assert word_error_rate("How are you feeling?", heard) == rate


def test_speaker_accuracy_compares_each_segment_with_the_turn_it_overlaps_most() -> None:
    turns = [(0.0, 4.0, Speaker.therapist), (4.5, 9.0, Speaker.patient)]
    segments = [
        TranscriptSegment(start=0.0, end=4.2, text="a", speaker=Speaker.therapist),
        TranscriptSegment(start=3.9, end=9.0, text="b", speaker=Speaker.therapist),
    ]

    assert speaker_accuracy(segments, turns) == 0.5

import numpy as np

from core.extracted_notes import Speaker, TranscriptSegment
from core.transcription.scoring import speaker_accuracy
from core.transcription.speakers import (
    label_speakers,
    therapist_group,
    two_means,
)

ACCURACY_FLOOR = 0.9  # measured: 1.0 on every fixture; one wrong segment in twelve is allowed

Turns = list[tuple[float, float, Speaker]]


def unlabelled(script: dict) -> list[TranscriptSegment]:
    """The dialogue's turns as a recogniser with perfect timing would return them."""
    return [
        TranscriptSegment(start=turn["start"], end=turn["end"], text=turn["text"])
        for turn in script["turns"]
    ]


def segment(text: str, start: float = 0.0) -> TranscriptSegment:
    return TranscriptSegment(start=start, end=start + 1, text=text)


def test_mono_speakers_are_told_apart_by_their_voices(
    script: dict, reference_turns: Turns, mono_samples: np.ndarray
) -> None:
    labelled = label_speakers(unlabelled(script), mono_samples)

    accuracy = speaker_accuracy(labelled, reference_turns)
    print(f"mono labelling accuracy: {accuracy:.0%}")
    assert accuracy >= ACCURACY_FLOOR


def test_stereo_speakers_follow_their_channels_whichever_side_the_therapist_sits(
    script: dict, reference_turns: Turns, stereo_samples: np.ndarray
) -> None:
    as_recorded = label_speakers(unlabelled(script), stereo_samples)
    swapped = label_speakers(unlabelled(script), stereo_samples[::-1])

    assert speaker_accuracy(as_recorded, reference_turns) == 1.0
    assert speaker_accuracy(swapped, reference_turns) == 1.0


def test_stereo_with_the_same_mix_on_both_channels_is_labelled_by_voice(
    script: dict, reference_turns: Turns, mono_samples: np.ndarray
) -> None:
    same_on_both = np.vstack([mono_samples, mono_samples])

    labelled = label_speakers(unlabelled(script), same_on_both)

    assert speaker_accuracy(labelled, reference_turns) >= ACCURACY_FLOOR


def test_the_therapist_is_who_asks_and_reflects_even_when_the_patient_speaks_first() -> None:
    segments = [
        segment("I had a rough week."),
        segment("What made it rough?"),
        segment("Work, mostly."),
        segment("It sounds like work has been weighing on you."),
    ]

    assert therapist_group(segments, np.array([0, 1, 0, 1])) == 1


def test_when_the_words_cannot_tell_the_opener_is_the_therapist() -> None:
    segments = [segment("Good morning."), segment("Good morning."), segment("Let us begin.")]

    assert therapist_group(segments, np.array([1, 0, 1])) == 1


def test_no_segments_means_nothing_to_label(mono_samples: np.ndarray) -> None:
    assert label_speakers([], mono_samples) == []


def test_two_means_finds_two_groups_the_same_way_every_time() -> None:
    generator = np.random.default_rng(7)
    points = np.vstack([generator.normal(-3, 0.5, (20, 4)), generator.normal(3, 0.5, (30, 4))])

    centres = two_means(points)

    assert np.array_equal(centres, two_means(points))
    assert sorted(np.sign(centres[:, 0])) == [-1, 1]
    nearest = np.linalg.norm(points[:, None] - centres[None], axis=2).argmin(axis=1)
    assert len(set(nearest[:20])) == 1 and len(set(nearest[20:])) == 1

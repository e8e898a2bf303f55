"""Speaker-labelled transcript text ⇄ `TranscriptSegment`s.

The text form is one utterance per line, `T: …` for the therapist and `P: …` for the patient
(`Therapist:`, `Counselor:`, `Client:` and `Patient:` are accepted too, in any case). A line
without a label continues the previous utterance. Text carries no timing, so parsed segments
have start = end = 0.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.errors import Invalid
from core.extracted_notes import Speaker, TranscriptSegment

_LABELS = {
    "t": Speaker.therapist,
    "therapist": Speaker.therapist,
    "counselor": Speaker.therapist,
    "counsellor": Speaker.therapist,
    "p": Speaker.patient,
    "patient": Speaker.patient,
    "client": Speaker.patient,
}
_SPEAKER_LINE = re.compile(rf"^\s*({'|'.join(_LABELS)})\s*:\s*(.*)$", re.IGNORECASE)
_TEXT_LABELS = {Speaker.therapist: "T", Speaker.patient: "P"}


def parse_transcript(text: str) -> list[TranscriptSegment]:
    """Split labelled transcript text into segments, one per speaker turn."""
    turns: list[tuple[Speaker | None, list[str]]] = []
    found_label = False
    for line in text.splitlines():
        if not line.strip():
            continue
        labelled = _SPEAKER_LINE.match(line)
        if labelled:
            found_label = True
            turns.append((_LABELS[labelled.group(1).lower()], [labelled.group(2)]))
        elif turns:
            turns[-1][1].append(line)
        else:
            # Text before the first label (a heading, say) keeps an unknown speaker.
            turns.append((None, [line]))
    if not found_label:
        raise Invalid("no 'T:' or 'P:' lines found: label each line with its speaker")
    segments = []
    for speaker, lines in turns:
        joined = " ".join(part.strip() for part in lines if part.strip())
        if joined:
            segments.append(TranscriptSegment(start=0, end=0, text=joined, speaker=speaker))
    return segments


def render_transcript(segments: Sequence[TranscriptSegment]) -> str:
    """The text form of `segments`: one `T: …`/`P: …` line per turn (consecutive segments of
    one speaker are joined; an unknown speaker's text stays unlabelled)."""
    turns: list[tuple[Speaker | None, list[str]]] = []
    for segment in segments:
        text = segment.text.strip()
        if turns and turns[-1][0] == segment.speaker and segment.speaker is not None:
            turns[-1][1].append(text)
        else:
            turns.append((segment.speaker, [text]))
    return "\n".join(
        f"{_TEXT_LABELS[speaker]}: {' '.join(texts)}" if speaker else " ".join(texts)
        for speaker, texts in turns
    )

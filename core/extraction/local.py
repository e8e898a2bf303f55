"""The offline, deterministic extractor: a local embedding model, lexicons and rules, no network.

Every field comes from what the transcript says; a field the transcript says nothing about stays
empty. See the modules it calls for how each field is found.
"""

from __future__ import annotations

import asyncio

from core.extracted_notes import ExtractedNotes, TranscriptSegment
from core.extraction.concerns import find_triggers, find_unresolved_concerns
from core.extraction.goals import find_goals
from core.extraction.interventions import find_interventions
from core.extraction.mood import consistent_with_risk, read_mood
from core.extraction.plans import find_action_items, find_follow_up_topics
from core.extraction.presentation import find_observations
from core.extraction.quotes import find_quotes
from core.extraction.risk.screen import screen_risks
from core.extraction.session_vectors import sentence_vectors
from core.extraction.summaries import patient_summary, therapist_notes, topic_summary
from core.extraction.text import split_sentences
from core.extraction.topics import find_topics


class LocalExtractor:
    async def extract(self, segments: list[TranscriptSegment]) -> ExtractedNotes:
        # Seconds of computation for a long session (mostly embedding): off the event loop.
        return await asyncio.to_thread(extract_notes, segments)


def extract_notes(segments: list[TranscriptSegment]) -> ExtractedNotes:
    sentences = split_sentences(segments)
    vectors = sentence_vectors(sentences)  # embedded once, read by every step below
    patient_rows = [row for row, s in enumerate(sentences.all) if s.by_patient]
    mood = read_mood([sentences.all[row] for row in patient_rows], vectors[patient_rows])
    embedded = {sentence.text: vectors[row] for row, sentence in enumerate(sentences.all)}
    risk_flags = screen_risks(segments, known=embedded)
    mood = consistent_with_risk(mood, risk_flags)  # ideation or self-harm: never positive
    key_topics = find_topics(sentences, vectors)
    notes = ExtractedNotes(
        key_topics=key_topics,
        topic_summary=topic_summary(key_topics),
        strategies=find_interventions(sentences, vectors),
        emotional_themes=mood.themes,
        triggers=find_triggers(sentences),
        action_items=find_action_items(sentences),
        significant_quotes=find_quotes(sentences, segments, risk_flags),
        session_mood=mood.mood,
        mood_trajectory=mood.trajectory,
        follow_up_topics=find_follow_up_topics(sentences),
        unresolved_concerns=find_unresolved_concerns(sentences),
        risk_flags=risk_flags,
        treatment_goals=find_goals(sentences),
        presentation=find_observations(sentences),
    )
    return notes.model_copy(
        update={
            "therapist_notes": therapist_notes(notes),
            "patient_summary": patient_summary(notes),
        }
    )

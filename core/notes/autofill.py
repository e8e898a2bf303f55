"""Draft a SOAP, DAP, BIRP or progress note from a session's extracted notes.

Every field is filled from its evidence (core.notes.templates) or left "" and listed in
missing_fields for the clinician; nothing is assumed. Confidence follows the specification:
each field is scored on its evidence, a section scores the mean of its fields.

Text: empty 0.0, under 20 characters 0.5, under 100 0.8, otherwise 1.0.
Lists: empty 0.3, under 3 items 0.7, otherwise 1.0.
A field is scored on the type of its evidence, not of the rendered text: key topics rendered
as "• item" lines still score as a list, and a field composed from several sources (such as
"Mood: positive. Topics: anxiety.") scores as text.
"""

from statistics import fmean

from pydantic import BaseModel

from core.enums import NoteTemplate
from core.extracted_notes import ExtractedNotes
from core.notes.evidence import NOT_ASSESSED, Evidence, gather_evidence, render
from core.notes.screening import RiskScreening
from core.notes.templates import TEMPLATE_FIELDS


class AutofillMetadata(BaseModel):
    template_type: NoteTemplate
    overall_confidence: float
    mapped_fields_count: int  # fields filled from evidence


class AutofillResult(BaseModel):
    sections: dict[str, dict[str, str]]
    confidence_scores: dict[str, float]
    missing_fields: dict[str, list[str]]  # only sections with a field lacking evidence
    metadata: AutofillMetadata


def fill_template(
    notes: ExtractedNotes,
    template: NoteTemplate,
    risk_screening: RiskScreening | None = None,
) -> AutofillResult:
    """The draft note; pass the transcript's screening exchange so a denial can be recorded."""
    evidence = gather_evidence(notes, risk_screening)
    sections: dict[str, dict[str, str]] = {}
    section_scores: dict[str, float] = {}
    missing: dict[str, list[str]] = {}
    for section, fields in TEMPLATE_FIELDS[template].items():
        sources = {field: evidence[source] for field, source in fields.items()}
        sections[section] = {field: render(value) for field, value in sources.items()}
        section_scores[section] = fmean(field_confidence(value) for value in sources.values())
        if empty := [field for field, text in sections[section].items() if not text]:
            missing[section] = empty
    return AutofillResult(
        sections=sections,
        confidence_scores={section: round(score, 2) for section, score in section_scores.items()},
        missing_fields=missing,
        metadata=AutofillMetadata(
            template_type=template,
            overall_confidence=round(fmean(section_scores.values()), 2),
            mapped_fields_count=sum(bool(text) for s in sections.values() for text in s.values()),
        ),
    )


def field_confidence(evidence: Evidence) -> float:
    """How complete one field's evidence is, from 0.0 to 1.0."""
    if isinstance(evidence, list):
        if not evidence:
            return 0.3
        return 0.7 if len(evidence) < 3 else 1.0
    length = len(evidence.strip())
    if length == 0 or evidence == NOT_ASSESSED:  # saying nobody screened is no evidence
        return 0.0
    if length < 20:
        return 0.5
    return 0.8 if length < 100 else 1.0

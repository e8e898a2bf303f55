"""What a clinical document is rendered from: one model per export type.

These models are the contract between data gathering (`gather.py`), the renderers and the JSON
export, which is the model serialised as it is (see `jsonexport.py`). Everything a document
prints comes from here; a value the record does not hold stays None (or an empty list) and the
renderers print "Not recorded" for it. Derived figures (session count, average duration, top
topics) are computed fields: they are written to the JSON export and recomputed, never trusted,
when a context is read back.

What a document says about a session is its `documentation`: the facts of its signed note when
there is one (the signed note is the truth), otherwise of its draft or of the automated
extraction, marked as not reviewed. A document that asks for signed content only
(`signed_only`) leaves unsigned sessions out and says how many.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime
from enum import StrEnum
from statistics import fmean
from typing import Annotated, Any, ClassVar, Literal, Self
from uuid import UUID

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    computed_field,
    field_validator,
    model_validator,
)

from core.enums import ExportType, GoalDirection, GoalStatus, Instrument, NoteStatus, NoteTemplate
from core.extracted_notes import MoodLevel, TranscriptSegment
from core.notes.record import NoteRecord

SCHEMA_VERSION = "2.0"
TOP_TOPICS = 10


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _drop_derived_fields(cls, data: Any) -> Any:
        # A JSON export holds the computed fields too; they are recomputed on load.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in cls.model_computed_fields}
        return data


class Person(_Model):
    """The patient: demographics as recorded on their account."""

    full_name: str
    email: str | None = None
    dob: date | None = Field(default=None, description="Date of birth")
    phone: str | None = None


class Clinician(_Model):
    full_name: str
    email: str | None = None
    license: str | None = Field(default=None, description="e.g. 'LCSW 12345'")


class Transcript(_Model):
    text: str | None = None
    segments: list[TranscriptSegment] = Field(default_factory=list)


class NoteSource(StrEnum):
    signed = "signed"  # a signed note, or the current version of an amended one
    draft = "draft"  # an unsigned draft: not reviewed
    extraction = "extraction"  # no note yet: the automated extraction, not reviewed


class SessionDocumentation(_Model):
    """What a document says about one session, and which note it is taken from."""

    source: NoteSource
    template: NoteTemplate | None = None
    version: int | None = Field(default=None, ge=1)
    signed_by: str | None = Field(default=None, description="Name of the signing clinician")
    signed_at: datetime | None = None
    content_sha256: str | None = None
    amendment_reason: str | None = None
    record: NoteRecord = Field(
        default_factory=NoteRecord,
        description="Topics, mood, interventions, homework, follow-up, goals, risk and plan",
    )

    @property
    def reviewed(self) -> bool:
        return self.source is NoteSource.signed


class SessionRecord(_Model):
    id: UUID
    session_date: datetime
    duration_minutes: float | None = None
    therapist_name: str | None = None
    documentation: SessionDocumentation = Field(
        default_factory=lambda: SessionDocumentation(source=NoteSource.extraction)
    )
    transcript: Transcript | None = Field(
        default=None, description="Present in session notes and full records only"
    )

    @property
    def record(self) -> NoteRecord:
        return self.documentation.record

    @property
    def mood(self) -> MoodLevel | None:
        return self.documentation.record.mood

    @property
    def key_topics(self) -> list[str]:
        return self.documentation.record.topics


class GoalProgress(_Model):
    description: str
    status: GoalStatus = GoalStatus.active
    direction: GoalDirection = GoalDirection.lower_is_better
    baseline: str | None = Field(default=None, description="First measurement, as said")
    baseline_date: date | None = None
    current: str | None = Field(default=None, description="Latest measurement, as said")
    current_date: date | None = None
    progress_percentage: float | None = Field(
        default=None, description="Negative when worse; None when the readings cannot be compared"
    )


class MeasureReading(_Model):
    instrument: Instrument
    recorded_on: date
    total: int = Field(ge=0)
    severity: str


class ClinicalNoteRecord(_Model):
    """A SOAP/DAP/BIRP/progress note. Drafts are unsigned; `amended` marks a signed version
    that a later version (amendment) replaced."""

    session_id: UUID
    session_date: datetime
    template: NoteTemplate
    version: int = Field(default=1, ge=1)
    status: NoteStatus
    sections: dict[str, dict[str, str]] = Field(
        description="Section → field → text, in the template's order"
    )
    signed_by: str | None = Field(default=None, description="Name of the signing clinician")
    signed_at: datetime | None = None
    content_sha256: str | None = None
    amendment_reason: str | None = Field(
        default=None, description="Why this version amends the one before it"
    )
    updated_at: datetime | None = None

    @property
    def is_signed(self) -> bool:
        return self.status != NoteStatus.draft


class TopicCount(_Model):
    topic: str
    sessions: int = Field(description="Number of sessions in which the topic came up")


class TreatmentData(_Model):
    treatment_type: str | None = Field(default=None, description="e.g. 'CBT', 'DBT'")
    started_on: date | None = Field(default=None, description="Date of the first session")
    latest_session_on: date | None = None
    primary_complaints: list[str] = Field(
        default_factory=list, description="Topics raised in the first session"
    )
    diagnoses: list[str] = Field(default_factory=list)
    current_status: str | None = None
    prognosis: str | None = None
    discharge_readiness: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def duration_months(self) -> float | None:
        if self.started_on is None or self.latest_session_on is None:
            return None
        return round((self.latest_session_on - self.started_on).days / 30.44, 1)


def _now() -> datetime:
    return datetime.now(UTC)


class _Document(_Model):
    """Fields every export type shares."""

    TITLE: ClassVar[str]
    # The sections a document can show, in the order they print; include_sections toggles them.
    SECTIONS: ClassVar[tuple[str, ...]]

    schema_version: Literal["2.0"] = "2.0"
    export_type: ExportType
    generated_at: datetime = Field(default_factory=_now)
    include_sections: dict[str, bool] = Field(
        default_factory=dict,
        validate_default=True,
        description="Section → shown; a missing section is shown",
    )
    patient: Person
    therapist: Clinician | None = Field(
        default=None, description="The primary therapist, who prepares the document"
    )
    signed_only: bool = Field(
        default=False, description="Only sessions with a signed note are included"
    )
    unsigned_sessions_left_out: int = Field(
        default=0, ge=0, description="Sessions in scope without a signed note, left out"
    )
    clinical_notes: list[ClinicalNoteRecord] = Field(
        default_factory=list,
        description="Every version of the sessions' notes: signed, superseded (amended) and, "
        "unless signed_only, drafts",
    )

    @field_validator("include_sections")
    @classmethod
    def _known_sections(cls, value: dict[str, bool]) -> dict[str, bool]:
        unknown = sorted(set(value) - set(cls.SECTIONS))
        if unknown:
            raise ValueError(
                f"unknown section(s) {', '.join(unknown)}; known: {', '.join(cls.SECTIONS)}"
            )
        return {section: value.get(section, True) for section in cls.SECTIONS}

    def with_sections(self, include_sections: dict[str, bool]) -> Self:
        """A copy showing the given sections (validated: unknown names are refused)."""
        return self.model_copy(update={"include_sections": self._known_sections(include_sections)})

    def shows(self, section: str) -> bool:
        if section not in self.SECTIONS:
            raise KeyError(f"{type(self).__name__} has no section {section!r}")
        return self.include_sections.get(section, True)


class SessionNotesContext(_Document):
    TITLE = "Session Notes"
    SECTIONS = (
        "patient_info",
        "session_summary",
        "extracted_notes",
        "risk_flags",
        "clinical_notes",
        "transcript",
    )

    export_type: Literal[ExportType.session_notes] = ExportType.session_notes
    sessions: list[SessionRecord]


class ProgressReportContext(_Document):
    TITLE = "Progress Report"
    SECTIONS = (
        "patient_info",
        "session_summary",
        "treatment_goals",
        "mood_chart",
        "key_topics",
        "measures",
        "clinical_observations",
        "recommendations",
        "session_list",
    )

    export_type: Literal[ExportType.progress_report] = ExportType.progress_report
    start_date: date
    end_date: date
    sessions: list[SessionRecord] = Field(description="Processed sessions in the period")
    goals: list[GoalProgress] = Field(default_factory=list)
    measures: list[MeasureReading] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def session_count(self) -> int:
        return len(self.sessions)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def avg_duration_minutes(self) -> float | None:
        return average_duration(self.sessions)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def key_topics(self) -> list[TopicCount]:
        return top_topics(self.sessions)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def interventions(self) -> list[TopicCount]:
        return top_counts(s.record.interventions for s in self.sessions)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def emotional_themes(self) -> list[TopicCount]:
        return top_counts(s.record.themes for s in self.sessions)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def sessions_per_week(self) -> float | None:
        weeks = ((self.end_date - self.start_date).days + 1) / 7
        return round(len(self.sessions) / weeks, 1) if weeks >= 1 else None


class TreatmentSummaryContext(_Document):
    TITLE = "Treatment Summary"
    SECTIONS = (
        "patient_info",
        "treatment_overview",
        "treatment_goals",
        "mood_chart",
        "measures",
        "key_topics",
        "recommendations",
        "session_list",
    )

    export_type: Literal[ExportType.treatment_summary] = ExportType.treatment_summary
    treatment: TreatmentData = Field(default_factory=TreatmentData)
    sessions: list[SessionRecord] = Field(default_factory=list)
    goals: list[GoalProgress] = Field(default_factory=list)
    measures: list[MeasureReading] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def session_count(self) -> int:
        return len(self.sessions)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def key_topics(self) -> list[TopicCount]:
        return top_topics(self.sessions)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def interventions(self) -> list[TopicCount]:
        return top_counts(s.record.interventions for s in self.sessions)


class FullRecordContext(_Document):
    TITLE = "Full Clinical Record"
    SECTIONS = (
        "patient_info",
        "treatment_goals",
        "measures",
        "sessions",
        "clinical_notes",
        "transcripts",
    )

    export_type: Literal[ExportType.full_record] = ExportType.full_record
    sessions: list[SessionRecord] = Field(default_factory=list)
    goals: list[GoalProgress] = Field(default_factory=list)
    measures: list[MeasureReading] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def session_count(self) -> int:
        return len(self.sessions)


DocumentContext = Annotated[
    SessionNotesContext | ProgressReportContext | TreatmentSummaryContext | FullRecordContext,
    Field(discriminator="export_type"),
]
CONTEXT_TYPES: dict[ExportType, type[_Document]] = {
    ExportType.session_notes: SessionNotesContext,
    ExportType.progress_report: ProgressReportContext,
    ExportType.treatment_summary: TreatmentSummaryContext,
    ExportType.full_record: FullRecordContext,
}
_CONTEXT_ADAPTER: TypeAdapter[DocumentContext] = TypeAdapter(DocumentContext)


def load_context(raw: str | bytes) -> DocumentContext:
    """A context from its JSON form; raises pydantic.ValidationError naming the bad field."""
    return _CONTEXT_ADAPTER.validate_json(raw)


def context_json_schema() -> dict[str, Any]:
    return _CONTEXT_ADAPTER.json_schema(mode="serialization")


def average_duration(sessions: list[SessionRecord]) -> float | None:
    durations = [s.duration_minutes for s in sessions if s.duration_minutes is not None]
    return round(fmean(durations), 1) if durations else None


def top_topics(sessions: list[SessionRecord], limit: int = TOP_TOPICS) -> list[TopicCount]:
    """Topics by the number of sessions they came up in."""
    return top_counts((session.key_topics for session in sessions), limit)


def top_counts(per_session: Iterable[list[str]], limit: int = TOP_TOPICS) -> list[TopicCount]:
    """Labels by the number of sessions that mention them; case variants count as one."""
    counts: Counter[str] = Counter()
    first_spelling: dict[str, str] = {}
    for labels in per_session:
        keys = {label.strip().casefold(): label.strip() for label in labels}
        for key, spelling in keys.items():
            if key:
                first_spelling.setdefault(key, spelling)
                counts[key] += 1
    return [
        TopicCount(topic=first_spelling[key], sessions=count)
        for key, count in counts.most_common(limit)
    ]

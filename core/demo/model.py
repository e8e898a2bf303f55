"""The shape of the demo clinic's story: who is in it, which conversations their sessions are,
and what the therapist did with each session afterwards."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time

from core.enums import ExportFormat, ExportType
from core.treatment.plans import TreatmentPlanFields

# What a signed note says when the session held no risk statement (the extractor found none).
NO_RISK_STATED = "No risk statements in this session; no safety concerns identified."


@dataclass(frozen=True)
class Therapist:
    full_name: str
    first_name: str
    last_name: str
    handle: str
    license: str

    @property
    def email(self) -> str:
        return f"{self.handle}@clinic.example"


def bullets(items: tuple[str, ...]) -> str:
    """A list as drafts write one (a "• item" a line), or "None." when there is nothing."""
    return "\n".join(f"• {item}" for item in items) or "None."


@dataclass(frozen=True)
class Review:
    """What the therapist wrote into the SOAP draft before signing it: the plan, the risk
    assessment, and, where the draft misread the session, their own impression, concerns or
    triggers (None keeps the draft's text, "" clears it)."""

    interventions: tuple[str, ...]  # "Name (detail)": reports count them by name
    homework: tuple[str, ...]
    follow_up: tuple[str, ...]
    risk: str = NO_RISK_STATED
    impression: str | None = None
    concerns: str | None = None
    triggers: str | None = None

    def sections(self) -> dict[str, dict[str, str]]:
        sections = {
            "assessment": {"risk_assessment": self.risk},
            "plan": {
                "interventions": bullets(self.interventions),
                "homework": bullets(self.homework),
                "follow_up_topics": bullets(self.follow_up),
            },
        }
        if self.impression is not None:
            sections["assessment"]["clinical_impression"] = self.impression
        if self.concerns is not None:
            sections["subjective"] = {"patient_concerns": self.concerns}
        if self.triggers is not None:
            sections["objective"] = {"triggers_identified": self.triggers}
        return sections


@dataclass(frozen=True)
class Amendment:
    """A correction to the signed SOAP note, with the reason the record keeps for it."""

    sections: dict[str, dict[str, str]]  # as amend_note takes them
    reason: str


@dataclass(frozen=True)
class Visit:
    """One session: an AnnoMI conversation, held `days_ago` days before the demo's today."""

    conversation: int
    days_ago: int
    # The names the conversation uses for its client and counsellor, each mapped to a template
    # over the demo people: {first}, {last}, {therapist_first}, {therapist_last}.
    names: Mapping[str, str] = field(default_factory=dict)
    review: Review | None = None  # None: the draft waits for the therapist
    amendment: Amendment | None = None
    phq9: tuple[int, ...] = ()  # item scores of a PHQ-9 given in the session
    gad7: tuple[int, ...] = ()


@dataclass(frozen=True)
class Patient:
    full_name: str
    handle: str
    dob: date
    therapist: Therapist
    at: time  # when the patient's sessions start, clinic time
    visits: tuple[Visit, ...]  # oldest first
    plan: TreatmentPlanFields | None = None

    @property
    def first_name(self) -> str:
        return self.full_name.split()[0]

    @property
    def last_name(self) -> str:
        return self.full_name.split()[-1]

    @property
    def first_day_ago(self) -> int:
        return max(visit.days_ago for visit in self.visits)


@dataclass(frozen=True)
class DemoExport:
    """A document a therapist asked for; `render_now` ones are complete once seeding ends,
    the others wait for the worker."""

    therapist: Therapist
    patient: Patient
    export_type: ExportType
    format: ExportFormat
    render_now: bool

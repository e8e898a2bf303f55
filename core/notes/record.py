"""What a note records, read back from its text: the facts reports count and chart.

A clinician edits prose; a progress report counts topics, lists homework and tables risk. This
reads those facts out of a note's sections by the template's map (RECORD_FIELDS), so what a
report aggregates is what the clinician wrote and signed. Signing keeps the result on the note.

Lists are read line by line (drafts write one "• item" per line); a single line without bullets
is split at semicolons, and topics also at commas. A risk line counts as a flag when it starts
with a risk's name followed by its severity or a colon ("Self-harm (high severity): …"), unless
what follows denies it ("Self-harm: denied"). A goal line is "Goal — reading".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from core.enums import NoteTemplate
from core.extracted_notes import ExtractedNotes, MoodLevel, RiskFlag, RiskType, Severity
from core.notes.content import Sections
from core.notes.evidence import CATEGORY_LABELS, RISK_LABELS, risk_label
from core.notes.templates import RECORD_FIELDS, TEMPLATE_FIELDS

PLAN_SECTION = "plan"
LIST_CATEGORIES = ("topics", "themes", "interventions", "homework", "follow_up", "concerns")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecordedRisk(_Model):
    label: str = Field(description="The risk as the note names it, e.g. 'Self-harm'")
    type: RiskType | None = Field(default=None, description="None when the name is unspecific")
    severity: Severity | None = None
    evidence: str = Field(description="The note's line about it")


class RecordedGoal(_Model):
    description: str
    reading: str | None = Field(default=None, description="This session's reading, as written")


class NoteRecord(_Model):
    """The facts of one session's note; empty where the note says nothing."""

    summary: str = ""
    topics: list[str] = Field(default_factory=list)
    mood: MoodLevel | None = None
    mood_trajectory: str = ""
    themes: list[str] = Field(default_factory=list)
    interventions: list[str] = Field(default_factory=list)
    homework: list[str] = Field(default_factory=list)
    follow_up: list[str] = Field(default_factory=list)
    concerns: list[str] = Field(default_factory=list)
    goals: list[RecordedGoal] = Field(default_factory=list)
    risk_flags: list[RecordedRisk] = Field(default_factory=list)
    risk_assessment: str = Field(default="", description="The risk field as written")
    plan: str = Field(default="", description="The plan section as text")


def read_record(template: NoteTemplate, sections: Sections) -> NoteRecord:
    """The facts a note of `template` with these sections states."""
    places = RECORD_FIELDS[NoteTemplate(template)]

    def text(category: str) -> str:
        parts = (
            sections.get(section, {}).get(field, "") for section, field in places.get(category, ())
        )
        return "\n".join(part.strip() for part in parts if part and part.strip())

    risk = text("risk")
    return NoteRecord(
        summary=text("summary"),
        topics=_unique(_topic(item) for item in list_items(text("topics"), commas=True)),
        mood=read_mood(text("mood")),
        mood_trajectory=text("mood_trajectory"),
        themes=_unique(list_items(text("themes"), commas=True)),
        interventions=_unique(_intervention(item) for item in list_items(text("interventions"))),
        homework=_unique(list_items(text("homework"))),
        follow_up=_unique(list_items(text("follow_up"))),
        concerns=_unique(list_items(text("concerns"))),
        goals=[_goal(item) for item in list_items(text("goals"))],
        risk_flags=[flag for line in risk.splitlines() if (flag := read_risk(line))],
        risk_assessment=risk,
        plan=_section_text(template, sections.get(PLAN_SECTION, {})),
    )


def record_from_extraction(notes: ExtractedNotes) -> NoteRecord:
    """The same facts straight from an extraction, for a session without a note."""
    return NoteRecord(
        summary=notes.topic_summary,
        topics=list(notes.key_topics),
        mood=notes.session_mood,
        mood_trajectory=str(notes.mood_trajectory or "").replace("_", " "),
        themes=list(notes.emotional_themes),
        interventions=[strategy.name for strategy in notes.strategies],
        homework=[item.task for item in notes.action_items],
        follow_up=list(notes.follow_up_topics),
        concerns=list(notes.unresolved_concerns),
        goals=[
            RecordedGoal(description=goal.description, reading=goal.current or goal.baseline)
            for goal in notes.treatment_goals
        ],
        risk_flags=[recorded_flag(flag) for flag in notes.risk_flags],
    )


def recorded_flag(flag: RiskFlag) -> RecordedRisk:
    return RecordedRisk(
        label=risk_label(flag), type=flag.type, severity=flag.severity, evidence=flag.evidence
    )


# --- reading text ---

_BULLET = re.compile(r"^\s*(?:[•\-*·‣◦]|\d{1,2}[.)])\s+")
_NOTHING = {"", "-", "—", "none", "n/a", "na", "nil", "not documented", "(not documented)"}
_MOOD = re.compile(r"(very[ _]low|very[ _]positive|low|neutral|positive)\b")
_SEVERITY = re.compile(r"^\(\s*(low|medium|moderate|high)(?:\s+severity)?\s*\)", re.IGNORECASE)
_DENIAL = re.compile(
    r"^(?:denied|denies|deny|none|no\b|not\b|negative|ruled out|nil\b|n/a)", re.IGNORECASE
)
# Longest names first, so "passive suicidal ideation" wins over "suicidal ideation".
_RISK_NAMES: list[tuple[str, RiskType | None]] = sorted(
    [
        *((label.casefold(), risk_type) for risk_type, label in RISK_LABELS.items()),
        *((label.casefold(), category.risk_type) for category, label in CATEGORY_LABELS.items()),
        ("suicidal ideation", None),
        ("self harm", RiskType.self_harm),
        ("homicidal ideation", RiskType.harm_to_others),
        ("abuse", RiskType.abuse_neglect),
        ("neglect", RiskType.abuse_neglect),
    ],
    key=lambda pair: -len(pair[0]),
)
_SEVERITIES = {
    "low": Severity.low,
    "medium": Severity.medium,
    "moderate": Severity.medium,
    "high": Severity.high,
}


def list_items(text: str, *, commas: bool = False) -> list[str]:
    """One item per line ("• item"); a single plain line splits at ";" (and "," if asked)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and not _BULLET.match(lines[0]):
        lines = re.split(r"[;,]" if commas else ";", lines[0])
    items = (_BULLET.sub("", line).strip() for line in lines)
    return [item for item in items if item.casefold().rstrip(".") not in _NOTHING]


def read_mood(text: str) -> MoodLevel | None:
    """The mood level a mood field opens with ("low, tearful" → low); None when it names none."""
    match = _MOOD.match(text.strip().casefold())
    return MoodLevel(match.group(1).replace(" ", "_")) if match else None


def read_risk(line: str) -> RecordedRisk | None:
    """A flag from a line such as 'Self-harm (high severity): "…"'; None for anything else."""
    line = _BULLET.sub("", line).strip()
    folded = line.casefold()
    for name, risk_type in _RISK_NAMES:
        if not folded.startswith(name):
            continue
        rest = line[len(name) :].strip()
        severity_match = _SEVERITY.match(rest)
        if severity_match:
            rest = rest[severity_match.end() :].strip()
        elif not rest.startswith(":"):
            return None  # a sentence that merely starts with the word
        if _DENIAL.match(rest.lstrip(":—–- ").strip()):
            return None
        severity = severity_match.group(1).casefold() if severity_match else None
        return RecordedRisk(
            label=line[: len(name)],
            type=risk_type,
            severity=_SEVERITIES[severity] if severity else None,
            evidence=line,
        )
    return None


def _unique(items: Iterable[str]) -> list[str]:
    """Each item once (case aside), first spelling kept: two fields may name the same thing."""
    return list({item.casefold(): item for item in reversed(list(items))}.values())[::-1]


def _topic(item: str) -> str:
    return item.rstrip(".").strip()


def _intervention(item: str) -> str:
    """'Box breathing (breathing, practiced) — context' → 'Box breathing'."""
    name = item.split(" — ")[0].strip()
    return re.sub(r"\s*\([^()]*\)$", "", name).strip() or name


def _goal(item: str) -> RecordedGoal:
    description, _, reading = item.partition(" — ")
    reading = re.sub(r"\s*\(earlier [^()]*\)$", "", reading).strip()
    return RecordedGoal(description=description.strip(), reading=reading or None)


def _section_text(template: NoteTemplate, fields: dict[str, str]) -> str:
    """'Label: text' lines in the template's order, then fields the clinician added."""
    layout = TEMPLATE_FIELDS[NoteTemplate(template)].get(PLAN_SECTION, {})
    order = [name for name in layout if name in fields] + [n for n in fields if n not in layout]
    lines = []
    for field in order:
        text = fields[field]
        if text.strip():
            label = field.replace("_", " ").capitalize()
            body = text.strip()
            lines.append(f"{label}:\n{body}" if "\n" in body else f"{label}: {body}")
    return "\n".join(lines)

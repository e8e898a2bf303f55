"""The four note templates of the specification (section 7), in display order.

For each section, each field names the evidence it is filled from (see core.notes.evidence).
Beyond the specification, every template has a place for what reports aggregate — topics,
interventions, homework, follow-up, goals and risk — so a signed note of any template states
them, and RECORD_FIELDS says where (core.notes.record reads them back).
"""

from core.enums import NoteTemplate

TEMPLATE_FIELDS: dict[NoteTemplate, dict[str, dict[str, str]]] = {
    NoteTemplate.soap: {
        "subjective": {
            "chief_complaint": "chief_complaint",
            "mood": "mood",
            "presenting_issues": "key_topics",
            "patient_concerns": "unresolved_concerns",
            "significant_statements": "significant_quotes",
        },
        "objective": {
            "presentation": "presentation",
            "mood_affect": "mood",
            "emotional_themes": "emotional_themes",
            "triggers_identified": "triggers",
        },
        "assessment": {
            "clinical_impression": "therapist_notes",
            "strategies_reviewed": "strategies_reviewed",
            "risk_assessment": "risk",
        },
        "plan": {
            "interventions": "strategies",
            "homework": "action_items",
            "follow_up_topics": "follow_up_topics",
            "treatment_goals": "treatment_goals",
        },
    },
    NoteTemplate.dap: {
        "data": {
            "observations": "observations",
            "topics_discussed": "key_topics",
            "emotional_presentation": "emotional_themes",
            "triggers": "triggers",
        },
        "assessment": {
            "clinical_impression": "therapist_notes",
            "interventions_used": "strategies",
            "risk_assessment": "risk",
        },
        "plan": {
            "homework": "action_items",
            "next_session_focus": "next_session_focus",
            "treatment_goals": "treatment_goals",
        },
    },
    NoteTemplate.birp: {
        "behavior": {
            "presentation": "presentation",
            "topics_discussed": "key_topics",
            "emotional_state": "emotional_themes",
            "triggers_exhibited": "triggers",
            "risk_assessment": "risk",
        },
        "intervention": {
            "techniques": "strategies",
            "interventions_applied": "strategies_applied",
        },
        "response": {
            "patient_response": "engagement",
            "mood_trajectory": "mood_trajectory",
        },
        "plan": {
            "next_steps": "action_items",
            "homework": "strategies_assigned",
            "follow_up_topics": "follow_up_topics",
            "treatment_goals": "treatment_goals",
        },
    },
    NoteTemplate.progress: {
        "session_summary": {
            "overview": "topic_summary",
            "topics_covered": "key_topics",
        },
        "clinical_presentation": {
            "mood_affect": "mood",
            "emotional_themes": "emotional_themes",
        },
        "progress": {
            "changes": "mood_trajectory",
            "strategies_effectiveness": "strategies_reviewed",
        },
        "risk_assessment": {
            "risk_flags": "risk",
        },
        "plan": {
            "next_steps": "action_items",
            "follow_up_topics": "follow_up_topics",
            "treatment_goals": "treatment_goals",
        },
    },
}

# Where each aggregated fact lives in a note of each template: (section, field) pairs, read in
# order. A category a template has no field for is simply absent.
Place = tuple[str, str]
RECORD_FIELDS: dict[NoteTemplate, dict[str, tuple[Place, ...]]] = {
    NoteTemplate.soap: {
        "summary": (("subjective", "chief_complaint"),),
        "topics": (("subjective", "presenting_issues"),),
        "mood": (("subjective", "mood"), ("objective", "mood_affect")),
        "themes": (("objective", "emotional_themes"),),
        "interventions": (("plan", "interventions"),),
        "homework": (("plan", "homework"),),
        "follow_up": (("plan", "follow_up_topics"),),
        "concerns": (("subjective", "patient_concerns"),),
        "goals": (("plan", "treatment_goals"),),
        "risk": (("assessment", "risk_assessment"),),
    },
    NoteTemplate.dap: {
        "summary": (("data", "observations"),),
        "topics": (("data", "topics_discussed"),),
        "themes": (("data", "emotional_presentation"),),
        "interventions": (("assessment", "interventions_used"),),
        "homework": (("plan", "homework"),),
        "follow_up": (("plan", "next_session_focus"),),
        "goals": (("plan", "treatment_goals"),),
        "risk": (("assessment", "risk_assessment"),),
    },
    NoteTemplate.birp: {
        "summary": (("behavior", "presentation"),),
        "topics": (("behavior", "topics_discussed"),),
        "themes": (("behavior", "emotional_state"),),
        "interventions": (
            ("intervention", "techniques"),
            ("intervention", "interventions_applied"),
        ),
        "homework": (("plan", "next_steps"), ("plan", "homework")),
        "follow_up": (("plan", "follow_up_topics"),),
        "goals": (("plan", "treatment_goals"),),
        "risk": (("behavior", "risk_assessment"),),
        "mood_trajectory": (("response", "mood_trajectory"),),
    },
    NoteTemplate.progress: {
        "summary": (("session_summary", "overview"),),
        "topics": (("session_summary", "topics_covered"),),
        "mood": (("clinical_presentation", "mood_affect"),),
        "themes": (("clinical_presentation", "emotional_themes"),),
        "interventions": (("progress", "strategies_effectiveness"),),
        "homework": (("plan", "next_steps"),),
        "follow_up": (("plan", "follow_up_topics"),),
        "goals": (("plan", "treatment_goals"),),
        "risk": (("risk_assessment", "risk_flags"),),
        "mood_trajectory": (("progress", "changes"),),
    },
}

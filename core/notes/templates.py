"""The four note templates of the specification (section 7), in display order.

For each section, each field names the evidence it is filled from (see core.notes.evidence).
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
            "presentation": "themes_and_mood",
            "mood_affect": "mood",
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
        },
    },
    NoteTemplate.birp: {
        "behavior": {
            "presentation": "mood_and_topics",
            "emotional_state": "emotional_themes",
            "triggers_exhibited": "triggers",
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
        },
    },
}

"""Links from Slack back to the dashboard (PUBLIC_URL), where the patient data lives."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from core.enums import NoteTemplate
from core.settings import Settings


def _url(settings: Settings, path: str) -> str:
    return f"{settings.public_url.rstrip('/')}{path}"


def session_url(settings: Settings, session_id: UUID) -> str:
    return _url(settings, f"/sessions/{session_id}")


def notes_url(settings: Settings, session_id: UUID, template: NoteTemplate) -> str:
    """The session's note page, on the tab of `template`."""
    return _url(settings, f"/sessions/{session_id}/notes?{urlencode({'template': template.value})}")


def export_url(settings: Settings, job_id: UUID) -> str:
    return _url(settings, f"/exports/{job_id}")


def settings_url(settings: Settings) -> str:
    return _url(settings, "/settings")

"""The dashboard's Jinja environment: filters for times and sizes, and a few globals."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from litestar.plugins.jinja import JinjaTemplateEngine

from core.documents.charts import progress_bar
from core.enums import ExportStatus, NoteStatus, SessionStatus
from core.settings import Settings
from web.pages.formatting import filters, patient_options


def configure_templates(settings: Settings) -> Callable[[JinjaTemplateEngine], None]:
    def configure(engine: JinjaTemplateEngine) -> None:
        engine.engine.filters.update(filters(ZoneInfo(settings.clinic_timezone)))
        engine.engine.globals.update(
            progress_bar=progress_bar,
            patient_options=patient_options,
            idle_seconds=settings.session_idle_minutes * 60,
            SessionStatus=SessionStatus,
            ExportStatus=ExportStatus,
            NoteStatus=NoteStatus,
        )

    return configure

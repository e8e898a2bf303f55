"""A document's HTML: the system Jinja2 templates, or a user's template in a sandbox.

Both environments autoescape and use StrictUndefined, so a misspelt variable is an error rather
than a silently empty field. Templates see the context as plain data (the JSON schema's names,
with real dates), never ORM rows or live objects: the sandbox is one defence, a context with
nothing dangerous to reach is the other.
"""

from __future__ import annotations

import traceback
from dataclasses import asdict
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from core.documents import charts, formatting
from core.documents.context import DocumentContext
from core.documents.errors import DocumentError
from core.documents.paths import TEMPLATE_DIR
from core.documents.volumes import Volume
from core.enums import ExportType

SYSTEM_TEMPLATES = {export_type: f"{export_type.value}.html" for export_type in ExportType}
CUSTOM_TEMPLATE_NAME = "<custom template>"

FILTERS = {
    "format_date": formatting.format_date,
    "format_datetime": formatting.format_datetime,
    "recorded": formatting.recorded,
    "humanize": formatting.humanize,
    "minutes": formatting.format_minutes,
    "percentage": formatting.format_percentage,
    "clock": formatting.format_clock,
    "progress_bar": charts.progress_bar,
    "documentation_status": formatting.documentation_status,
    "documentation_line": formatting.documentation_line,
}


class TemplateRenderError(DocumentError):
    """A template failed while rendering; the message names the line, never the data."""


def _configure(env: Environment) -> Environment:
    env.filters.update(FILTERS)
    env.globals.update(
        NOT_RECORDED=formatting.NOT_RECORDED,
        CONFIDENTIALITY_NOTICE=formatting.CONFIDENTIALITY_NOTICE,
        RUNNING_NOTICE=formatting.RUNNING_NOTICE,
        content_notice=formatting.content_notice,
    )
    return env


_OPTIONS: dict[str, Any] = {
    "loader": FileSystemLoader(TEMPLATE_DIR),
    "autoescape": True,
    "undefined": StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
}
SYSTEM_ENV = _configure(Environment(**_OPTIONS))  # noqa: S701 (autoescape is on)
# Custom templates may extend the system ones ({% extends "base.html" %}) but not reach out.
SANDBOX_ENV = _configure(ImmutableSandboxedEnvironment(**_OPTIONS))


def render_html(
    context: DocumentContext,
    custom_template: str | None = None,
    *,
    volume: Volume | None = None,
) -> str:
    """The document's HTML; `volume` says which part of a split record this is."""
    try:
        if custom_template is None:
            template = SYSTEM_ENV.get_template(SYSTEM_TEMPLATES[context.export_type])
        else:
            template = SANDBOX_ENV.from_string(custom_template)
        return template.render(template_variables(context, volume))
    except SecurityError as error:
        raise TemplateRenderError(f"{_where(error)}: not allowed in a template: {error}") from None
    except TemplateError as error:
        raise TemplateRenderError(f"{_where(error)}: {error}") from None
    except MemoryError:
        raise
    except Exception as error:
        if custom_template is None:
            raise  # a bug in a system template, not the user's doing
        # A user's template failing in plain Python ({{ 1 / 0 }}): report it like the others.
        raise TemplateRenderError(f"{_where(error)}: {type(error).__name__}: {error}") from None


def template_variables(context: DocumentContext, volume: Volume | None = None) -> dict[str, Any]:
    """The context as plain data, plus the charts and lookups the templates need."""
    data = context.model_dump()
    therapist = context.therapist.full_name if context.therapist else None
    sessions = data.get("sessions", [])
    risk_flags = [
        {"session_id": s["id"], "session_date": s["session_date"], **flag}
        for s in sessions
        for flag in s["documentation"]["record"]["risk_flags"]
    ]
    return {
        **data,
        "document": {
            "title": context.TITLE,
            "author": therapist or "TherapyBridge",
            "subject": f"{context.TITLE} — confidential clinical document (PHI)",
        },
        "volume": asdict(volume) if volume else None,
        "charts": _charts(context),
        "risk_flags": risk_flags,
        "risks_by_session": _group(risk_flags),
        "notes_by_session": _group(data.get("clinical_notes", [])),
    }


def _group(rows: list[dict[str, Any]]) -> dict[Any, list[dict[str, Any]]]:
    grouped: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["session_id"], []).append(row)
    return grouped


def _charts(context: DocumentContext) -> dict[str, Any]:
    sessions = getattr(context, "sessions", [])
    measures = getattr(context, "measures", [])
    return {
        "mood": charts.mood_chart([(s.session_date.date(), s.mood) for s in sessions]),
        "measures": charts.measures_chart(
            [(m.instrument, m.recorded_on, m.total) for m in measures]
        ),
    }


def _where(error: Exception) -> str:
    """'line 12' of the template that failed, from the traceback Jinja rewrites for us."""
    lineno = getattr(error, "lineno", None)
    if lineno is None:
        frames = [
            frame
            for frame in traceback.extract_tb(error.__traceback__)
            if frame.filename.endswith(".html") or frame.filename == "<template>"
        ]
        lineno = frames[-1].lineno if frames else None
    return f"line {lineno}" if lineno is not None else "template"

"""A note's content as it is signed (a canonical hash) and as it is read (plain text)."""

import hashlib
import json
import unicodedata
from typing import Any

from core.enums import NoteTemplate
from core.notes.templates import TEMPLATE_FIELDS

Sections = dict[str, dict[str, str]]

_TITLES = {
    NoteTemplate.soap: "SOAP NOTE",
    NoteTemplate.dap: "DAP NOTE",
    NoteTemplate.birp: "BIRP NOTE",
    NoteTemplate.progress: "PROGRESS NOTE",
}
NOT_DOCUMENTED = "(not documented)"


def canonical_json(template: NoteTemplate, sections: Sections) -> bytes:
    """The bytes a signature covers: sorted keys, no spacing, UTF-8.

    Text is brought to one form first (Unicode NFC, "\\n" line ends, no surrounding
    whitespace), so a browser's "\\r\\n" or a database round trip does not change the hash.
    """
    canonical = {
        section: {field: canonical_text(text) for field, text in fields.items()}
        for section, fields in sections.items()
    }
    document = {"template": str(template), "sections": canonical}
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def content_sha256(template: NoteTemplate, sections: Sections) -> str:
    """Hex SHA-256 of the canonical content; stored when a note is signed."""
    return hashlib.sha256(canonical_json(template, sections)).hexdigest()


def render_note_text(template: NoteTemplate, sections: Sections) -> str:
    """Plain text for exports and Slack, in the template's order.

    Sections and fields the template does not know (added by a clinician) follow in the order
    given; the database does not keep key order, so the template's layout is the reference.
    """
    lines = [_TITLES[NoteTemplate(template)]]
    for section in _ordered(TEMPLATE_FIELDS[NoteTemplate(template)], sections):
        fields = sections[section]
        lines += ["", _label(section).upper()]
        for field in _ordered(TEMPLATE_FIELDS[NoteTemplate(template)].get(section, {}), fields):
            lines.append(_field_text(_label(field).capitalize(), fields[field].strip()))
    return "\n".join(lines) + "\n"


def _field_text(label: str, text: str) -> str:
    if not text:
        return f"{label}: {NOT_DOCUMENTED}"
    if "\n" in text or text.startswith("•"):
        return f"{label}:\n{text}"
    return f"{label}: {text}"


def _ordered(layout: dict[str, Any], present: dict[str, Any]) -> list[str]:
    known = [key for key in layout if key in present]
    return known + [key for key in present if key not in layout]


def _label(key: str) -> str:
    return key.replace("_", " ")


def canonical_text(text: str) -> str:
    """Text in one form: Unicode NFC, "\\n" line ends, no surrounding whitespace."""
    unified = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", unified).strip()

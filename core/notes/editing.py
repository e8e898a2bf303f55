"""What a clinician may change in a note's sections, checked before anything is stored.

A note keeps its template's layout: every section and field of the template is always there.
A clinician changes the text of fields and may add fields of their own to a template section,
named in snake_case like the template's fields; sections the template does not have are refused
so that every note of a template reads, renders and exports alike. Changes are merged into the
current content: fields that are not mentioned keep their text.

Messages never repeat what was sent: a rejected name or text may hold patient details.
"""

import re

from core.enums import NoteTemplate
from core.notes.content import Sections
from core.notes.errors import InvalidNoteContent
from core.notes.templates import TEMPLATE_FIELDS

FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
MAX_FIELD_CHARS = 20_000


def merge_sections(template: NoteTemplate, current: Sections, changes: object) -> Sections:
    """`current` with the fields of `changes` replaced or added; raises InvalidNoteContent."""
    layout = TEMPLATE_FIELDS[template]
    if not isinstance(changes, dict):
        raise InvalidNoteContent("sections must map section names to {field: text} objects")
    merged = {section: dict(fields) for section, fields in current.items()}
    for section, fields in changes.items():
        if section not in layout:
            raise InvalidNoteContent(
                f"{template.value} notes have only these sections: {', '.join(layout)}"
            )
        if not isinstance(fields, dict):
            raise InvalidNoteContent(f"section {section} must map field names to text")
        for field, text in fields.items():
            if not isinstance(field, str) or not FIELD_NAME.fullmatch(field):
                raise InvalidNoteContent(
                    f"a field name in section {section} is not valid: use a-z, 0-9 and _, "
                    "starting with a letter, at most 64 characters"
                )
            if not isinstance(text, str):
                raise InvalidNoteContent(f"field {section}.{field} must be text")
            if len(text) > MAX_FIELD_CHARS:
                raise InvalidNoteContent(
                    f"field {section}.{field} is longer than {MAX_FIELD_CHARS} characters"
                )
            merged.setdefault(section, {})[field] = text
    return merged


def missing_fields(template: NoteTemplate, sections: Sections) -> dict[str, list[str]]:
    """The template's fields still without text, by section (sections with none left out)."""
    missing: dict[str, list[str]] = {}
    for section, fields in TEMPLATE_FIELDS[template].items():
        present = sections.get(section, {})
        if empty := [field for field in fields if not present.get(field, "").strip()]:
            missing[section] = empty
    return missing

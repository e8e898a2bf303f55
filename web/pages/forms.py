"""The dashboard's forms as typed models: Litestar parses the form body into them, and a bad
field answers 400 naming the field (shown in the page's alert region), never a server error.

A field left empty arrives as "": `Blank` turns it into None before validation.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar.enums import RequestEncodingType
from litestar.params import Body
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from core.enums import GoalDirection, Instrument


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


Blank = BeforeValidator(_blank_is_none)
Item = Annotated[int | None, Blank, Field(default=None, ge=0, le=3)]


class _Form(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class MeasureForm(_Form):
    """A PHQ-9 (nine items) or GAD-7 (seven) as answered, each item 0–3."""

    instrument: Instrument
    item1: Item
    item2: Item
    item3: Item
    item4: Item
    item5: Item
    item6: Item
    item7: Item
    item8: Item
    item9: Item

    def items(self, count: int) -> list[int]:
        """The first `count` answers; an unanswered item is -1, which scoring refuses."""
        answers = [getattr(self, f"item{n}") for n in range(1, count + 1)]
        return [-1 if answer is None else answer for answer in answers]


class GoalForm(_Form):
    description: str = ""
    direction: Annotated[GoalDirection | None, Blank] = None
    baseline: Annotated[str | None, Blank] = None


class GoalReadingForm(_Form):
    value: str = ""
    session_id: Annotated[UUID | None, Blank] = None


class TokenForm(_Form):
    name: str = ""


# `data: Annotated[SomeForm, FORM]`: the handler's body, parsed from the form.
FORM = Body(media_type=RequestEncodingType.URL_ENCODED)

"""The errors people may see: each carries its HTTP status and a message safe to show.

Services raise these for what a person did wrong or cannot do; the API, the dashboard and Slack
show them through `describe` — one map, one wording. Anything else (a bare ValueError, a
KeyError) is a programming error: logged, answered "internal error", its text never shown.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import ValidationError


class DomainError(Exception):
    """A refusal whose message names the problem without PHI of anyone but the asker."""

    status: ClassVar[int] = 400


class Invalid(DomainError):
    """The input is well-formed but not acceptable (a date range backwards, a bad code)."""

    status = 422


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    """Missing, or not this person's to see: the two answer alike, so nothing is revealed."""

    status = 404

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} not found")


class Conflict(DomainError):
    """The thing is in a state that forbids this (a signed note, a running job)."""

    status = 409


class Gone(DomainError):
    status = 410


class TooLarge(DomainError):
    status = 413


class UnsupportedMedia(DomainError):
    status = 415


class RateLimited(DomainError):
    status = 429


class InsufficientStorage(DomainError):
    status = 507


def validation_message(error: ValidationError) -> str:
    """Pydantic's errors as one line: `field: problem; …`."""
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def describe(error: Exception) -> tuple[int, str] | None:
    """(status, message) for an error a person may see; None for a programming error."""
    if isinstance(error, DomainError):
        return error.status, str(error)
    if isinstance(error, ValidationError):
        return Invalid.status, validation_message(error)
    return None

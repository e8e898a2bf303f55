"""Domain errors → HTTP answers with a message; never a stack trace, never PHI."""

from __future__ import annotations

from asyncpg.exceptions import CharacterNotInRepertoireError, UntranslatableCharacterError
from litestar import Request, Response
from litestar.exceptions import NotFoundException, ValidationException
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_410_GONE,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_503_SERVICE_UNAVAILABLE,
    HTTP_507_INSUFFICIENT_STORAGE,
)
from pydantic import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.access import Forbidden, NotFound
from core.audio import UnsupportedAudio
from core.documents.templates import InvalidTemplate, SystemTemplateReadOnly, TemplateNotFound
from core.exports.jobs import ExportGone
from core.exports.service import ExportRateLimited
from core.infra.storage import FileTooLarge
from core.measures import MeasureValidationError
from core.notes.errors import InvalidNoteContent, NoteLocked, NoteStateError, NotSessionTherapist
from core.sessions.upload import UploadNotStored, UploadRefused
from core.treatment.goals import GoalError


def _answer(status: int, message: str) -> Response[dict[str, object]]:
    return Response({"status_code": status, "detail": message}, status_code=status)


def validation_message(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "body"
        message = item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if item["loc"] else message)
    return "; ".join(parts)


def _status_handler(status: int):  # type: ignore[no-untyped-def]
    def handle(request: Request, error: Exception) -> Response[dict[str, object]]:
        return _answer(status, str(error))

    return handle


def _validation_handler(request: Request, error: ValidationError) -> Response[dict[str, object]]:
    return _answer(HTTP_422_UNPROCESSABLE_ENTITY, validation_message(error))


def _request_validation_handler(
    request: Request, error: ValidationException
) -> Response[dict[str, object]]:
    """Litestar's own parsing of bodies and parameters: name each bad field."""
    problems = error.extra if isinstance(error.extra, list) else []
    parts = [
        f"{item.get('key') or item.get('source') or 'body'}: {item.get('message')}"
        for item in problems
        if isinstance(item, dict)
    ]
    return _answer(HTTP_400_BAD_REQUEST, "; ".join(parts) or error.detail)


def _queue_unavailable(request: Request, error: Exception) -> Response[dict[str, object]]:
    return _answer(HTTP_503_SERVICE_UNAVAILABLE, "the job queue is unavailable; try again shortly")


def _unstorable_text(request: Request, error: Exception) -> Response[dict[str, object]]:
    return _answer(HTTP_400_BAD_REQUEST, "text may not contain NUL (U+0000) characters")


EXCEPTION_HANDLERS = {
    NotFoundException: _status_handler(HTTP_404_NOT_FOUND),  # also a ValueError: keep it 404
    RedisConnectionError: _queue_unavailable,
    RedisTimeoutError: _queue_unavailable,
    CharacterNotInRepertoireError: _unstorable_text,
    UntranslatableCharacterError: _unstorable_text,
    UploadNotStored: _status_handler(HTTP_507_INSUFFICIENT_STORAGE),
    NotFound: _status_handler(HTTP_404_NOT_FOUND),
    Forbidden: _status_handler(HTTP_403_FORBIDDEN),
    ExportGone: _status_handler(HTTP_410_GONE),
    ExportRateLimited: _status_handler(HTTP_429_TOO_MANY_REQUESTS),
    FileTooLarge: _status_handler(HTTP_413_REQUEST_ENTITY_TOO_LARGE),
    UnsupportedAudio: _status_handler(HTTP_415_UNSUPPORTED_MEDIA_TYPE),
    UploadRefused: _status_handler(HTTP_403_FORBIDDEN),
    NoteLocked: _status_handler(HTTP_409_CONFLICT),
    NoteStateError: _status_handler(HTTP_409_CONFLICT),
    NotSessionTherapist: _status_handler(HTTP_403_FORBIDDEN),
    InvalidNoteContent: _status_handler(HTTP_422_UNPROCESSABLE_ENTITY),
    GoalError: _status_handler(HTTP_422_UNPROCESSABLE_ENTITY),
    MeasureValidationError: _status_handler(HTTP_422_UNPROCESSABLE_ENTITY),
    InvalidTemplate: _status_handler(HTTP_422_UNPROCESSABLE_ENTITY),
    SystemTemplateReadOnly: _status_handler(HTTP_403_FORBIDDEN),
    TemplateNotFound: _status_handler(HTTP_404_NOT_FOUND),
    ValueError: _status_handler(HTTP_400_BAD_REQUEST),
    ValidationError: _validation_handler,
    ValidationException: _request_validation_handler,
}

"""Domain errors → HTTP answers with a message; never a stack trace, never PHI."""

from __future__ import annotations

import logging

from asyncpg.exceptions import CharacterNotInRepertoireError, UntranslatableCharacterError
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from litestar.types import ExceptionHandlersMap
from pydantic import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.errors import DomainError, describe

logger = logging.getLogger(__name__)

INTERNAL_ERROR = "internal error: the request could not be completed"
QUEUE_UNAVAILABLE = "the job queue is unavailable; try again shortly"
UNSTORABLE_TEXT = "text may not contain NUL (U+0000) characters"
MB = 1024 * 1024


def status_and_message(request: Request, error: Exception) -> tuple[int, str]:
    """The one map from an error to what a person is told, for the API and the pages alike."""
    described = describe(error)
    if described is not None:
        return described
    if isinstance(error, RequestEntityTooLarge):  # refused on Content-Length, before reading
        limit = request.route_handler.resolve_request_max_body_size() or 0
        return error.status_code, f"the request body exceeds the size limit of {limit / MB:g} MB"
    if isinstance(error, ValidationException):  # Litestar's parsing of bodies and parameters
        problems = error.extra if isinstance(error.extra, list) else []
        parts = [
            f"{item.get('key') or item.get('source') or 'body'}: {item.get('message')}"
            for item in problems
            if isinstance(item, dict)
        ]
        return HTTP_400_BAD_REQUEST, "; ".join(parts) or str(error.detail)
    if isinstance(error, HTTPException):
        return error.status_code, str(error.detail)
    if isinstance(error, RedisConnectionError | RedisTimeoutError):
        return HTTP_503_SERVICE_UNAVAILABLE, QUEUE_UNAVAILABLE
    if isinstance(error, CharacterNotInRepertoireError | UntranslatableCharacterError):
        return HTTP_400_BAD_REQUEST, UNSTORABLE_TEXT
    logger.exception("unhandled %s", type(error).__name__, exc_info=error)
    return HTTP_500_INTERNAL_SERVER_ERROR, INTERNAL_ERROR


def _json_error(request: Request, error: Exception) -> Response[dict[str, object]]:
    status, message = status_and_message(request, error)
    return Response({"status_code": status, "detail": message}, status_code=status)


# Litestar picks the handler of the closest class in the error's MRO.
HANDLED = (
    DomainError,
    ValidationError,
    ValidationException,
    RequestEntityTooLarge,
    RedisConnectionError,
    RedisTimeoutError,
    CharacterNotInRepertoireError,
    UntranslatableCharacterError,
)
EXCEPTION_HANDLERS: ExceptionHandlersMap = dict.fromkeys(HANDLED, _json_error)

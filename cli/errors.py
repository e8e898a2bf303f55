"""Turning domain failures into one line and an exit code."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from core.infra.db import DatabaseUnavailable
from core.infra.embedded import EmbeddedError
from core.infra.migrations import MigrationFailed
from core.infra.redis import RedisUnavailable
from core.settings import ConfigError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_BAD_INPUT = 2
EXIT_UNAVAILABLE = 3


class CommandError(click.ClickException):
    """Printed as one line; exit code 2 for bad input unless told otherwise."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it on the class


def one_line_errors(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ConfigError as error:
            raise CommandError(str(error)) from None
        except (DatabaseUnavailable, RedisUnavailable, EmbeddedError, MigrationFailed) as error:
            raise CommandError(str(error), EXIT_UNAVAILABLE) from None

    return wrapper  # type: ignore[return-value]

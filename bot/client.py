"""Clients for Slack's Web API and response URLs: rate limits honoured, logs without PHI.

slack_sdk logs every request's arguments (message text included) at DEBUG. Our messages may
name a patient, so the loggers handed to the clients stop at INFO whatever the root level is.
"""

from __future__ import annotations

import logging

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from core.settings import Settings

RATE_LIMIT_RETRIES = 3  # each waits the Retry-After Slack sent


class _NoDebugRecords(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.INFO


def quiet_logger(name: str) -> logging.Logger:
    """A logger that drops DEBUG records, where the libraries log payloads, whatever the level.

    A filter rather than a level, so LOG_LEVEL still rules above INFO; Bolt copies a base
    logger's filters to the loggers it derives from it."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, _NoDebugRecords) for f in logger.filters):
        logger.addFilter(_NoDebugRecords())
    return logger


SDK_LOGGER = quiet_logger("bot.slack_sdk")


def retry_handlers() -> list[AsyncRetryHandler]:
    return [
        AsyncConnectionErrorRetryHandler(),
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
    ]


def slack_enabled(settings: Settings) -> bool:
    return settings.slack_bot_token is not None


def slack_client(settings: Settings) -> AsyncWebClient:
    return AsyncWebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url.rstrip("/") + "/",
        logger=SDK_LOGGER,
        retry_handlers=retry_handlers(),
    )


def webhook_client(url: str) -> AsyncWebhookClient:
    """For a command's `response_url`."""
    return AsyncWebhookClient(url=url, logger=SDK_LOGGER, retry_handlers=retry_handlers())

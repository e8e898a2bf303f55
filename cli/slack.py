"""`tb slack-socket`: the Slack app over Socket Mode, for servers without a public URL."""

from __future__ import annotations

import asyncio
import contextlib

import click

from cli.errors import CommandError, one_line_errors
from cli.runtime import require_services, setup_logging
from core.settings import get_settings


@click.command("slack-socket")
@one_line_errors
def slack_socket() -> None:
    """Connect the Slack app to Slack over Socket Mode (needs SLACK_BOT_TOKEN and
    SLACK_APP_TOKEN); Ctrl-C stops it."""
    from bot.socket_mode import run_socket_mode

    settings = get_settings()
    if settings.slack_bot_token is None or settings.slack_app_token is None:
        raise CommandError(
            "Socket Mode needs SLACK_BOT_TOKEN (xoxb-…) and SLACK_APP_TOKEN (xapp-…, an "
            "app-level token with the connections:write scope)"
        )
    require_services(settings)
    setup_logging(settings)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_socket_mode(settings))


COMMANDS = [slack_socket]

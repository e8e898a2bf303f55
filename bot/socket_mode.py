"""Socket Mode: the same Bolt app over a WebSocket the process opens to Slack.

For workspaces where Slack cannot reach the server (no public URL). The connection is
authenticated by the app-level token, so there are no signatures to check.
"""

from __future__ import annotations

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.app import create_bolt_app
from bot.client import slack_client
from core.infra.runtime import WORKER_POOL, Runtime, open_runtime
from core.settings import Settings


def socket_mode_handler(runtime: Runtime) -> AsyncSocketModeHandler:
    settings = runtime.settings
    assert settings.slack_app_token is not None
    return AsyncSocketModeHandler(
        create_bolt_app(runtime, slack_client(settings)), settings.slack_app_token
    )


async def run_socket_mode(settings: Settings) -> None:
    """Serve Slack until cancelled, on a runtime of its own."""
    async with open_runtime(settings, WORKER_POOL) as runtime:
        handler = socket_mode_handler(runtime)
        try:
            await handler.start_async()
        finally:
            await handler.close_async()

"""Socket Mode: the same Bolt app over a WebSocket the process opens to Slack.

For workspaces where Slack cannot reach the server (no public URL). The connection is
authenticated by the app-level token, so there are no signatures to check.
"""

from __future__ import annotations

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.app import create_bolt_app
from bot.client import slack_client
from bot.services import BotServices
from core.db import start_pool
from core.events import EventPublisher
from core.queue import create_queue
from core.redis import connect_redis
from core.settings import Settings
from core.tables import User


def socket_mode_handler(services: BotServices) -> AsyncSocketModeHandler:
    settings = services.settings
    assert settings.slack_app_token is not None
    return AsyncSocketModeHandler(
        create_bolt_app(services, slack_client(settings)), settings.slack_app_token
    )


async def run_socket_mode(settings: Settings) -> None:
    """Serve Slack until cancelled, with its own database pool and Redis connections."""
    engine = User._meta.db
    await start_pool(engine, min_size=1, max_size=5)
    redis = connect_redis(settings.redis_url or "")
    queue = await create_queue(settings.redis_url or "", settings.redis_queue_name)
    handler = socket_mode_handler(BotServices(settings, redis, queue, EventPublisher(redis)))
    try:
        await handler.start_async()
    finally:
        await handler.close_async()
        await queue.aclose()
        await redis.aclose()
        await engine.close_connection_pool()

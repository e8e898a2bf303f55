"""Socket Mode: the same app over a WebSocket — acked there, answered on the response URL."""

from __future__ import annotations

from urllib.parse import parse_qsl
from uuid import UUID

from arq.connections import ArqRedis
from redis.asyncio import Redis

from bot.socket_mode import socket_mode_handler
from core.events import EventPublisher
from core.settings import Settings
from core.tables import ExportJob
from tests.bot.conftest import command_body
from tests.fakes.slack_server import RESPONSE_URL, SOCKET_ACK, FakeSlack
from tests.support import make_runtime


async def test_a_command_over_socket_mode_is_acked_and_makes_the_export(
    fake_slack: FakeSlack,
    slack_settings: Settings,
    therapist: UUID,
    redis: Redis,
    queue: ArqRedis,
    events: EventPublisher,
) -> None:
    settings = slack_settings.model_copy(update={"slack_app_token": FakeSlack.APP_TOKEN})
    handler = socket_mode_handler(make_runtime(settings, redis, queue))
    await handler.connect_async()
    try:
        command = dict(
            parse_qsl(command_body("export full-record @river", fake_slack.response_url()))
        )
        envelope_id = await fake_slack.send_envelope("slash_commands", command)
        [ack] = await fake_slack.wait_for(SOCKET_ACK)
        assert ack.params["envelope_id"] == envelope_id
        [reply] = await fake_slack.wait_for(RESPONSE_URL)
        assert "Full record (pdf) for @river — pending" in reply.text
        assert await ExportJob.count() == 1
    finally:
        await handler.close_async()

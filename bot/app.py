"""The Bolt app: built by a factory around an injectable Web API client.

Listeners ack first and work after: Bolt answers Slack's HTTP request as soon as `ack()` is
called and lets the listener carry on, so the database and the queue never delay the ack.
Only argument parsing (pure, microseconds) happens before it, to answer malformed commands
in the ack itself.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks import PICK_PATIENT_ACTION, help_message, text_message
from bot.client import quiet_logger
from bot.commands import CommandError, Help, parse_command
from bot.handlers import publish_home, run_command
from bot.replies import Requester, reply
from core.infra.runtime import Runtime

COMMAND = "/tb"
BOLT_LOGGER = quiet_logger("bot.bolt")


def create_bolt_app(runtime: Runtime, client: AsyncWebClient) -> AsyncApp:
    app = AsyncApp(
        name="therapybridge",
        client=client,
        logger=BOLT_LOGGER,
        # `bot.verification.RequestGuard` checks HTTP requests before dispatch; Bolt's own
        # check would log the body of refused requests. Socket Mode needs no signature.
        request_verification_enabled=False,
    )
    register_listeners(app, runtime)
    return app


def register_listeners(app: AsyncApp, runtime: Runtime) -> None:
    @app.command(COMMAND)
    async def on_command(ack: AsyncAck, body: dict[str, Any]) -> None:
        try:
            command = parse_command(body.get("text", ""), date.today())
        except CommandError as error:
            await ack(**text_message(str(error)))
            return
        if isinstance(command, Help):
            await ack(**help_message())
            return
        await ack()
        await run_command(runtime, Requester.from_command(body), command)

    @app.action(re.compile(f"^{PICK_PATIENT_ACTION}:"))
    async def on_pick_patient(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        requester = Requester.from_action(body)
        try:
            command = parse_command(action["value"], date.today())
        except CommandError as error:
            await reply(runtime.redis, requester, text_message(str(error)), replace=True)
            return
        await run_command(runtime, requester, command, replace=True)

    @app.event("app_home_opened")
    async def on_home_opened(event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab") == "home":
            await publish_home(runtime, client, event["user"])

    @app.error
    async def on_error(error: Exception) -> None:
        # Bolt's own handler logs the exception's text, which may quote a patient's data.
        BOLT_LOGGER.error("a Slack listener failed: %s", type(error).__name__)

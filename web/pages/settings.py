"""Settings: personal API tokens (shown once) and linking a Slack account."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXTemplate

from core.access import Actor
from core.slack_link import CODE_TTL_MINUTES, create_link_code, linked_slack_user, unlink_slack
from core.tokens import issue_token, list_tokens, revoke_token
from web.pages.forms import FORM, TokenForm


async def _tokens(actor: Actor, new_token: Any = None) -> dict[str, Any]:
    return {"tokens": await list_tokens(actor.id), "new_token": new_token}


async def _slack(actor: Actor, code: str | None = None) -> dict[str, Any]:
    return {
        "slack_user": await linked_slack_user(actor.id),
        "code": code,
        "code_minutes": CODE_TTL_MINUTES,
    }


class SettingsController(Controller):
    path = "/settings"
    include_in_schema = False

    @get(name="settings")
    async def index(self, actor: NamedDependency[Actor]) -> HTMXTemplate:
        context = {"actor": actor, "nav": "settings", **await _tokens(actor), **await _slack(actor)}
        return HTMXTemplate(template_name="settings/index.html", context=context)

    @post("/tokens", name="tokens.create")
    async def new_token(
        self, data: Annotated[TokenForm, FORM], actor: NamedDependency[Actor]
    ) -> HTMXTemplate:
        issued = await issue_token(actor.id, data.name)
        return HTMXTemplate(
            template_name="settings/_tokens.html", context=await _tokens(actor, issued)
        )

    @post("/tokens/{token_id:uuid}/revoke", name="token.revoke")
    async def revoke(self, token_id: FromPath[UUID], actor: NamedDependency[Actor]) -> HTMXTemplate:
        await revoke_token(actor.id, token_id)
        return HTMXTemplate(template_name="settings/_tokens.html", context=await _tokens(actor))

    @post("/slack/code", name="slack.code")
    async def slack_code(self, actor: NamedDependency[Actor]) -> HTMXTemplate:
        code = await create_link_code(actor.id)
        return HTMXTemplate(template_name="settings/_slack.html", context=await _slack(actor, code))

    @post("/slack/unlink", name="slack.unlink")
    async def slack_unlink(self, actor: NamedDependency[Actor]) -> HTMXTemplate:
        await unlink_slack(actor.id)
        return HTMXTemplate(template_name="settings/_slack.html", context=await _slack(actor))

"""`tb token create|list|revoke`: personal API tokens."""

from __future__ import annotations

import asyncio
from uuid import UUID

import click

from cli.errors import CommandError, one_line_errors
from cli.runtime import require_services
from core.errors import DomainError
from core.settings import get_settings


async def _user_id(handle: str) -> UUID:
    from core.tables import User

    row = await User.select(User.id).where(User.handle == handle.lower()).first()
    if row is None:
        raise CommandError(f"no user with handle {handle!r}")
    return row["id"]


@click.group()
def token() -> None:
    """Manage personal API tokens."""


@token.command("create")
@click.option("--user", "handle", required=True, help="The user's handle.")
@click.option("--name", required=True, help="What the token is for.")
@one_line_errors
def create(handle: str, name: str) -> None:
    """Create a token; it is printed once and stored only as a hash."""
    from core.tokens import issue_token

    require_services(get_settings(), redis=False)

    async def run() -> str:
        try:
            return (await issue_token(await _user_id(handle), name)).token
        except DomainError as error:
            raise CommandError(str(error)) from None

    click.echo(asyncio.run(run()))


@token.command("list")
@click.option("--user", "handle", required=True)
@one_line_errors
def list_(handle: str) -> None:
    """List a user's tokens (never the secrets)."""
    from core.tokens import list_tokens

    require_services(get_settings(), redis=False)

    async def run() -> list[dict[str, object]]:
        return await list_tokens(await _user_id(handle))

    for row in asyncio.run(run()):
        state = "revoked" if row["revoked_at"] else "active"
        click.echo(f"{row['id']}  {row['prefix']}…  {state:<8} {row['name']}")


@token.command("revoke")
@click.option("--user", "handle", required=True)
@click.argument("token_id", type=click.UUID)
@one_line_errors
def revoke(handle: str, token_id: UUID) -> None:
    """Revoke a token by id."""
    from core.tokens import revoke_token

    require_services(get_settings(), redis=False)

    async def run() -> bool:
        return await revoke_token(await _user_id(handle), token_id)

    if not asyncio.run(run()):
        raise CommandError("no active token with that id for this user")
    click.echo("revoked")


COMMANDS = [token]

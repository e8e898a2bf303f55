"""Administration: `tb user create`, `tb seed-demo`."""

from __future__ import annotations

import asyncio
from datetime import datetime

import click

from cli.errors import CommandError, one_line_errors
from cli.runtime import require_services
from core.enums import Role
from core.settings import get_settings


@click.group()
def user() -> None:
    """Manage user accounts."""


@user.command("create")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True, help="Full name.")
@click.option("--handle", required=True, help="Unique handle (what @handle in Slack means).")
@click.option("--password", default=None, help="Sign-in password (prompted if omitted).")
@click.option("--no-password", is_flag=True, help="Create without a sign-in password.")
@click.option("--dob", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
@click.option("--phone", default=None)
@click.option("--license", "license_", default=None, help="Professional license (therapists).")
@click.option("--therapist", "therapist_handle", default=None, help="Primary therapist's handle.")
@one_line_errors
def create_user_command(
    role: str,
    email: str,
    full_name: str,
    handle: str,
    password: str | None,
    no_password: bool,
    dob: datetime | None,
    phone: str | None,
    license_: str | None,
    therapist_handle: str | None,
) -> None:
    """Create a user; with --therapist, a patient is assigned to that therapist."""
    from core.tables import User
    from core.users import NewUser, UserError, assign_patient, create_user

    if password is None and not no_password and role != Role.patient:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    require_services(get_settings(), redis=False)
    new = NewUser(
        role=Role(role),
        full_name=full_name,
        email=email,
        handle=handle,
        password=password,
        dob=dob.date() if dob else None,
        phone=phone,
        license=license_,
    )

    async def run() -> str:
        engine = User._meta.db
        async with engine.transaction():
            user_id = await create_user(new)
            if therapist_handle:
                therapist = (
                    await User.select(User.id).where(User.handle == therapist_handle).first()
                )
                if therapist is None:
                    raise UserError(f"no therapist with handle {therapist_handle!r}")
                await assign_patient(therapist["id"], user_id)
        return str(user_id)

    try:
        user_id = asyncio.run(run())
    except UserError as error:
        raise CommandError(str(error)) from None
    click.echo(f"created {role} {handle} ({user_id})")


async def _seed() -> list[tuple[str, str]]:
    """The demo clinic, seeded on a runtime like a worker's (queue, storage, events)."""
    from core.demo import seed_demo
    from core.infra.runtime import WORKER_POOL, open_runtime

    async with open_runtime(get_settings(), WORKER_POOL) as runtime:
        return await seed_demo(runtime)


def seed_demo_data() -> list[str]:
    """Seed the demo clinic on first start; returns the sign-in lines to print."""
    from core.demo import DEMO_PASSWORD

    logins = asyncio.run(_seed())
    return [f"{role:<10} {email}  password: {DEMO_PASSWORD}" for role, email in logins]


@click.command("seed-demo")
@one_line_errors
def seed_demo_command() -> None:
    """Create the demo clinic (admin, two therapists, six patients, sessions, notes, exports);
    idempotent."""
    require_services(get_settings())
    for line in seed_demo_data():
        click.echo(line)


COMMANDS = [user, seed_demo_command]

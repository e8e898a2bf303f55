"""`/tb note TEMPLATE @patient [last | YYYY-MM-DD]`: a note drafted (or found) from Slack.

The session is one the requester held — only they may draft its notes — and the reply is a link
to the note page: the note itself stays in TherapyBridge, whatever SLACK_PHI_LEVEL allows.
"""

from __future__ import annotations

import logging

from redis.exceptions import RedisError

from bot import blocks
from bot.blocks import Message, text_message
from bot.commands import NoteCommand, command_text
from bot.patients import NoSuchPatient, find_patient
from bot.phi import patient_label
from bot.replies import Requester
from core.access import Actor
from core.errors import NotFound
from core.infra.runtime import Runtime
from core.notes.errors import NoteError
from core.notes.on_demand import draft_on_demand
from core.patients import own_patients
from core.sessions.selection import sessions_held

logger = logging.getLogger(__name__)

SESSIONS_ON_A_DAY = 10  # more than a day ever holds; enough to list them all


async def note(
    runtime: Runtime, actor: Actor, requester: Requester, command: NoteCommand
) -> Message:
    found = find_patient(command.handle, await own_patients(actor))
    if isinstance(found, NoSuchPatient):
        return blocks.choose_patient_message(
            found, lambda handle: command_text(command.with_handle(handle))
        )
    label = patient_label(runtime.settings.slack_phi_level, found.handle, found.full_name)
    sessions = await sessions_held(
        actor.id,
        found.id,
        day=command.day,
        limit=SESSIONS_ON_A_DAY if command.day is not None else 1,
    )
    if not sessions:
        when = f" on {command.day}" if command.day else " yet"
        return text_message(f"You have no processed session with {label}{when}.")
    if len(sessions) > 1:
        return blocks.note_sessions_message(sessions, command.template, label, runtime.settings)
    [session] = sessions
    try:
        drafted = await draft_on_demand(actor, session["id"], command.template, requester.origin)
    except NotFound:  # unassigned since we looked
        return text_message(f"None of your patients has the handle `@{command.handle}`.")
    except NoteError as error:
        return text_message(f"That note cannot be drafted: {error}.")
    if drafted.created:
        await _mark_changed(runtime, actor)
    return blocks.note_message(
        session,
        command.template,
        label,
        runtime.settings,
        created=drafted.created,
        status=drafted.status,
    )


async def _mark_changed(runtime: Runtime, actor: Actor) -> None:
    """The requester's dashboard pages show the new draft at once (see web.page_cache)."""
    try:
        await runtime.events.mark_changed(actor.id)
    except RedisError:
        # The draft stands; with Redis away no page is served from the cache anyway.
        logger.warning("could not advance a data version: Redis is unavailable")

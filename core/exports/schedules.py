"""Recurring exports: a therapist asks for, e.g., a monthly progress report; cron runs them.

Each run covers the period that just ended (the previous 7 days, or the previous calendar
month) and is an ordinary export job, delivered like any other. Claiming a due run is a
compare-and-set on `next_run_at`, so two workers never run the same schedule twice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from core.access import Actor, load_actor, require_patient
from core.audit import SYSTEM_ORIGIN
from core.enums import Cadence, ExportFormat, ExportType
from core.errors import Invalid, NotFound
from core.exports.requests import ExportRequest
from core.exports.service import ExportService
from core.notices import Delivery, SlackDelivery
from core.tables import ScheduledExport, User

RUN_AT = time(6, 0, tzinfo=UTC)


def next_run(cadence: Cadence, after: datetime) -> datetime:
    """The next run after `after`, at 06:00 UTC: a week later, or the 1st of next month."""
    if cadence == Cadence.weekly:
        return datetime.combine(after.date() + timedelta(days=7), RUN_AT)
    first_next_month = (after.date().replace(day=1) + timedelta(days=32)).replace(day=1)
    return datetime.combine(first_next_month, RUN_AT)


def covered_period(cadence: Cadence, run_day: date) -> tuple[date, date]:
    """The period a run on `run_day` reports on: the one that just ended."""
    end = run_day - timedelta(days=1)
    if cadence == Cadence.weekly:
        return end - timedelta(days=6), end
    return end.replace(day=1), end


async def create_schedule(
    actor: Actor,
    *,
    patient_id: UUID,
    export_type: ExportType,
    fmt: ExportFormat,
    cadence: Cadence,
    include_sections: dict[str, bool] | None = None,
    slack_channel_id: str | None = None,
) -> dict[str, Any]:
    await require_patient(actor, patient_id)
    # Validate now what every run will ask for, so a bad schedule is refused up front.
    start, end = covered_period(cadence, datetime.now(UTC).date())
    ExportRequest(
        export_type=export_type,
        format=fmt,
        patient_id=patient_id,
        start_date=start,
        end_date=end,
        include_sections=include_sections or {},
    )
    if export_type == ExportType.session_notes:
        raise Invalid("schedule progress reports, treatment summaries or full records")
    schedule = ScheduledExport(
        user_id=actor.id,
        patient_id=patient_id,
        export_type=export_type,
        format=fmt,
        cadence=cadence,
        parameters={"include_sections": include_sections or {}},
        slack_channel_id=slack_channel_id,
        next_run_at=next_run(cadence, datetime.now(UTC)),
    )
    await schedule.save()
    return await get_schedule(actor, schedule.id)


async def get_schedule(actor: Actor, schedule_id: UUID) -> dict[str, Any]:
    row = (
        await ScheduledExport.select()
        .where((ScheduledExport.id == schedule_id) & (ScheduledExport.user_id == actor.id))
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound("schedule")
    return row


async def list_schedules(actor: Actor) -> list[dict[str, Any]]:
    return (
        await ScheduledExport.select()
        .where((ScheduledExport.user_id == actor.id) & (ScheduledExport.active == True))  # noqa: E712
        .order_by(ScheduledExport.created_at)
        .output(load_json=True)
    )


async def cancel_schedule(actor: Actor, schedule_id: UUID) -> None:
    rows = (
        await ScheduledExport.update({ScheduledExport.active: False})
        .where((ScheduledExport.id == schedule_id) & (ScheduledExport.user_id == actor.id))
        .returning(ScheduledExport.id)
    )
    if not rows:
        raise NotFound("schedule")


async def _slack_delivery(owner: Actor, channel_id: str | None) -> Delivery:
    """The schedule's Slack channel, on behalf of the owner's linked Slack account."""
    if channel_id is None:
        return Delivery()
    linked = await User.select(User.slack_user_id).where(User.id == owner.id).first()
    if not linked or not linked["slack_user_id"]:
        return Delivery()
    return Delivery(slack=SlackDelivery(user_id=linked["slack_user_id"], channel_id=channel_id))


async def run_due_schedules(exports: ExportService, *, now: datetime | None = None) -> int:
    """Start one export for every schedule that is due; returns how many started."""
    now = now or datetime.now(UTC)
    due = await (
        ScheduledExport.select()
        .where((ScheduledExport.active == True) & (ScheduledExport.next_run_at <= now))  # noqa: E712
        .output(load_json=True)
    )
    started = 0
    for schedule in due:
        cadence = Cadence(schedule["cadence"])
        claimed = (
            await ScheduledExport.update(
                {
                    ScheduledExport.next_run_at: next_run(cadence, now),
                    ScheduledExport.last_run_at: now,
                }
            )
            .where(
                (ScheduledExport.id == schedule["id"])
                & (ScheduledExport.next_run_at == schedule["next_run_at"])
            )
            .returning(ScheduledExport.id)
        )
        owner = await load_actor(schedule["user_id"]) if claimed else None
        if owner is None:
            continue
        start, end = covered_period(cadence, now.date())
        request = ExportRequest(
            export_type=schedule["export_type"],
            format=schedule["format"],
            patient_id=schedule["patient_id"],
            start_date=start,
            end_date=end,
            include_sections=schedule["parameters"].get("include_sections", {}),
        )
        delivery = await _slack_delivery(owner, schedule["slack_channel_id"])
        try:
            await exports.request(
                owner,
                request,
                origin=SYSTEM_ORIGIN,
                delivery=delivery,
                schedule_id=schedule["id"],
            )
        except NotFound:  # the patient is no longer this therapist's: stop the schedule
            await ScheduledExport.update({ScheduledExport.active: False}).where(
                ScheduledExport.id == schedule["id"]
            )
            continue
        started += 1
    return started

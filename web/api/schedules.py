"""Scheduled exports: recurring documents, run by the worker's cron."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from pydantic import BaseModel, ConfigDict, Field

from core.access import Actor
from core.enums import Cadence, ExportFormat, ExportType
from core.exports import schedules


class ScheduleBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patient_id: UUID
    export_type: ExportType = ExportType.progress_report
    format: ExportFormat = ExportFormat.pdf
    cadence: Cadence = Cadence.monthly
    include_sections: dict[str, bool] = Field(default_factory=dict)
    slack_channel_id: str | None = Field(default=None, max_length=32, pattern=r"^[A-Z0-9]+$")


class ScheduleView(BaseModel):
    id: UUID
    patient_id: UUID
    export_type: ExportType
    format: ExportFormat
    cadence: Cadence
    slack_channel_id: str | None
    next_run_at: datetime
    last_run_at: datetime | None
    active: bool


class ScheduleController(Controller):
    path = "/export/schedules"
    tags = ["exports"]

    @post(status_code=HTTP_201_CREATED, summary="Schedule a recurring export")
    async def create(
        self, data: JSONBody[ScheduleBody], actor: NamedDependency[Actor]
    ) -> ScheduleView:
        row = await schedules.create_schedule(
            actor,
            patient_id=data.patient_id,
            export_type=data.export_type,
            fmt=data.format,
            cadence=data.cadence,
            include_sections=data.include_sections,
            slack_channel_id=data.slack_channel_id,
        )
        return ScheduleView(**row)

    @get(summary="Your active schedules")
    async def list_schedules(self, actor: NamedDependency[Actor]) -> list[ScheduleView]:
        return [ScheduleView(**row) for row in await schedules.list_schedules(actor)]

    @delete("/{schedule_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Stop a schedule")
    async def cancel(self, schedule_id: FromPath[UUID], actor: NamedDependency[Actor]) -> None:
        await schedules.cancel_schedule(actor, schedule_id)

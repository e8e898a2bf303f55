"""Patients: the searchable list, and one patient's page (sessions, goals, PHQ-9/GAD-7)."""

from __future__ import annotations

from math import ceil
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.plugins.htmx import HTMXRequest, HTMXTemplate
from litestar.status_codes import HTTP_200_OK, HTTP_422_UNPROCESSABLE_ENTITY

from core.access import Actor
from core.audit import RequestOrigin
from core.dashboard import patient_timeline
from core.documents.charts import measures_chart
from core.documents.formatting import INSTRUMENT_LABELS
from core.enums import Instrument
from core.patients import list_patients, patient_record, record_patient_view
from core.treatment.goals import GoalError, create_goal, patient_goals, record_goal_measurement
from core.treatment.measures import measure_series, record_measure
from web.page_cache import PageCache
from web.pages.forms import FORM, GoalForm, GoalReadingForm, MeasureForm

PATIENTS_PER_PAGE = 25
SESSIONS_PER_PAGE = 15
ITEM_COUNTS = {Instrument.phq9: 9, Instrument.gad7: 7}
Page = Annotated[int, QueryParameter(ge=1, le=10_000)]


def _pages(total: int, per_page: int) -> int:
    return max(1, ceil(total / per_page))


def _chart_context(series: list[Any]) -> dict[str, Any]:
    chart = measures_chart([(p.instrument, p.recorded_on, p.total) for p in series])
    return {"measures": series, "chart": chart, "item_counts": ITEM_COUNTS}


async def _goals_section(
    actor: Actor,
    patient_id: UUID,
    origin: RequestOrigin,
    error: GoalError | None = None,
    failed_goal: UUID | None = None,
    draft: dict[str, Any] | None = None,
) -> HTMXTemplate:
    """The goals partial; a refused goal or reading is explained next to its form (422)."""
    sessions, _ = await patient_timeline(actor, patient_id, page=1, per_page=SESSIONS_PER_PAGE)
    context = {
        "patient": {"id": patient_id},
        "goals": await patient_goals(actor, patient_id, origin),
        "sessions": sessions,
        "goal_error": str(error) if error else None,
        "failed_goal": failed_goal,
        "draft": draft or {},
    }
    return HTMXTemplate(
        template_name="patients/_goals.html",
        context=context,
        status_code=HTTP_422_UNPROCESSABLE_ENTITY if error else HTTP_200_OK,
    )


class PatientController(Controller):
    path = "/patients"
    include_in_schema = False

    @get(name="patients")
    async def index(
        self,
        request: HTMXRequest,
        actor: NamedDependency[Actor],
        q: FromQuery[str] = "",
        page: Page = 1,
    ) -> HTMXTemplate:
        rows, total = await list_patients(actor, search=q, page=page, per_page=PATIENTS_PER_PAGE)
        context = {
            "actor": actor,
            "nav": "patients",
            "patients": rows,
            "total": total,
            "q": q,
            "page": page,
            "pages": _pages(total, PATIENTS_PER_PAGE),
        }
        if request.htmx:
            query = urlencode({k: v for k, v in (("q", q), ("page", page)) if v and v != 1})
            return HTMXTemplate(
                template_name="patients/_table.html",
                context=context,
                push_url=f"/patients?{query}" if query else "/patients",
            )
        return HTMXTemplate(template_name="patients/index.html", context=context)

    @get("/{patient_id:uuid}")
    async def show(
        self,
        request: Request,
        patient_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
        page_cache: NamedDependency[PageCache],
    ) -> Response[bytes]:
        async def context() -> dict[str, Any]:
            record = await patient_record(actor, patient_id)
            sessions, total = await patient_timeline(
                actor, patient_id, page=1, per_page=SESSIONS_PER_PAGE
            )
            return {
                "actor": actor,
                "nav": "patients",
                "patient": record["patient"],
                "goals": record["goals"],
                "sessions": sessions,
                "page": 1,
                "pages": _pages(total, SESSIONS_PER_PAGE),
                **_chart_context(record["measures"]),
            }

        page = await page_cache.page(request, actor, "patients/show.html", context)
        await record_patient_view(actor, patient_id, origin)  # every view, cached or not
        return page

    @get("/{patient_id:uuid}/sessions", name="patient.sessions")
    async def timeline(
        self, patient_id: FromPath[UUID], actor: NamedDependency[Actor], page: Page = 1
    ) -> HTMXTemplate:
        sessions, total = await patient_timeline(
            actor, patient_id, page=page, per_page=SESSIONS_PER_PAGE
        )
        context = {
            "patient": {"id": patient_id},
            "sessions": sessions,
            "page": page,
            "pages": _pages(total, SESSIONS_PER_PAGE),
        }
        return HTMXTemplate(template_name="patients/_timeline_rows.html", context=context)

    @post("/{patient_id:uuid}/measures", name="patient.measures.add")
    async def add_measure(
        self,
        data: Annotated[MeasureForm, FORM],
        patient_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> HTMXTemplate:
        items = data.items(ITEM_COUNTS[data.instrument])
        saved = await record_measure(actor, patient_id, data.instrument, items, None, origin)
        context = {
            "patient": {"id": patient_id},
            **_chart_context(await measure_series(patient_id)),
        }
        return HTMXTemplate(
            template_name="patients/_measures.html",
            context=context,
            trigger_event="flash",
            params={
                "message": f"{INSTRUMENT_LABELS[saved.instrument]} recorded: total {saved.total}"
            },
            after="receive",
        )

    @post("/{patient_id:uuid}/goals", name="patient.goals.add")
    async def add_goal(
        self,
        data: Annotated[GoalForm, FORM],
        patient_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> HTMXTemplate:
        try:
            await create_goal(
                actor,
                patient_id,
                data.description,
                origin,
                direction=data.direction,
                baseline=data.baseline,
            )
        except GoalError as error:
            draft = data.model_dump(mode="json", exclude_none=True)
            return await _goals_section(actor, patient_id, origin, error, draft=draft)
        return await _goals_section(actor, patient_id, origin)

    @post("/{patient_id:uuid}/goals/{goal_id:uuid}/readings", name="patient.goal.readings.add")
    async def add_goal_reading(
        self,
        data: Annotated[GoalReadingForm, FORM],
        patient_id: FromPath[UUID],
        goal_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        origin: NamedDependency[RequestOrigin],
    ) -> HTMXTemplate:
        try:
            await record_goal_measurement(actor, goal_id, data.session_id, data.value, origin)
        except GoalError as error:
            return await _goals_section(actor, patient_id, origin, error, failed_goal=goal_id)
        return await _goals_section(actor, patient_id, origin)

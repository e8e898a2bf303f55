"""Home: today's sessions, work in flight, notes awaiting a signature, risk alerts.

Each card is also its own partial, refreshed when a live event says it changed.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency

from core import dashboard
from core.access import Actor
from core.infra.runtime import Runtime
from web.auth import LIVE_REFRESH
from web.page_cache import PageCache

RISK_WINDOW = timedelta(days=14)


def today_bounds(zone: ZoneInfo, now: datetime | None = None) -> tuple[datetime, datetime]:
    """Midnight to midnight of the clinic's today, as UTC instants."""
    today = (now or datetime.now(UTC)).astimezone(zone).date()
    start = datetime.combine(today, time.min, zone)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


async def _today(actor: Actor, runtime: Runtime) -> dict[str, Any]:
    start, end = today_bounds(ZoneInfo(runtime.settings.clinic_timezone))
    return {"today": await dashboard.sessions_between(actor, start, end)}


async def _work(actor: Actor) -> dict[str, Any]:
    return {
        "sessions": await dashboard.sessions_in_flight(actor),
        "exports": await dashboard.exports_in_flight(actor),
    }


async def _notes(actor: Actor) -> dict[str, Any]:
    return {"notes": await dashboard.unsigned_notes(actor)}


async def _risks(actor: Actor) -> dict[str, Any]:
    return {"alerts": await dashboard.risk_alerts(actor, datetime.now(UTC) - RISK_WINDOW)}


async def _everything(actor: Actor, runtime: Runtime) -> dict[str, Any]:
    cards = await asyncio.gather(_today(actor, runtime), _work(actor), _notes(actor), _risks(actor))
    context: dict[str, Any] = {"actor": actor, "nav": "home"}
    for card in cards:
        context |= card
    return context


class HomeController(Controller):
    """The page and its cards, each served from the page cache while nothing changed."""

    include_in_schema = False

    @get("/", name="home")
    async def home(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        runtime: NamedDependency[Runtime],
        page_cache: NamedDependency[PageCache],
    ) -> Response[bytes]:
        return await page_cache.page(
            request, actor, "home/index.html", lambda: _everything(actor, runtime)
        )

    @get("/home/today", opt={LIVE_REFRESH: True}, name="home.today")
    async def today(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        runtime: NamedDependency[Runtime],
        page_cache: NamedDependency[PageCache],
    ) -> Response[bytes]:
        return await page_cache.page(
            request, actor, "home/_today.html", lambda: _today(actor, runtime)
        )

    @get("/home/work", opt={LIVE_REFRESH: True}, name="home.work")
    async def work(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        page_cache: NamedDependency[PageCache],
    ) -> Response[bytes]:
        return await page_cache.page(request, actor, "home/_work.html", lambda: _work(actor))

    @get("/home/notes", opt={LIVE_REFRESH: True}, name="home.notes")
    async def notes(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        page_cache: NamedDependency[PageCache],
    ) -> Response[bytes]:
        return await page_cache.page(request, actor, "home/_notes.html", lambda: _notes(actor))

    @get("/home/risks", opt={LIVE_REFRESH: True}, name="home.risks")
    async def risks(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        page_cache: NamedDependency[PageCache],
    ) -> Response[bytes]:
        return await page_cache.page(request, actor, "home/_risks.html", lambda: _risks(actor))

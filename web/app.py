"""The composition root: one `create_app()` wiring settings, resources, plugins and routes."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.htmx import HTMXPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from core.settings import Settings, get_settings
from web.api import api_router
from web.errors import EXCEPTION_HANDLERS
from web.health import HealthController
from web.pages import HomeController
from web.state import Resources, open_resources

ROOT = Path(__file__).resolve().parent.parent


def provide_resources(state: State) -> Resources:
    return state.resources  # type: ignore[no-any-return]


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    app = Litestar(
        route_handlers=[
            HealthController,
            HomeController,
            api_router,
            create_static_files_router(path="/static", directories=[ROOT / "web" / "static"]),
        ],
        dependencies={"resources": Provide(provide_resources, sync_to_thread=False)},
        lifespan=[open_resources],
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=1024 * 1024,
        plugins=[HTMXPlugin()],
        template_config=TemplateConfig(
            directory=ROOT / "templates" / "web", engine=JinjaTemplateEngine
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

"""Dashboard pages (HTMX)."""

from litestar import Controller, get
from litestar.plugins.htmx import HTMXTemplate


class HomeController(Controller):
    path = "/"
    include_in_schema = False

    @get()
    async def home(self) -> HTMXTemplate:
        return HTMXTemplate(template_name="home.html", context={})

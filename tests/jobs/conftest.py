# The web app and its client, as the web tests build them: jobs are fed through the real API.
from tests.web.conftest import app, client

__all__ = ["app", "client"]

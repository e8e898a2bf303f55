"""The web app and its client, as the web tests build them: abuse arrives through the API.
Files a test keeps in storage are removed after it (`storage_left_as_found`)."""

from tests.faults.storage import storage_left_as_found
from tests.web.conftest import app, client

__all__ = ["app", "client", "storage_left_as_found"]

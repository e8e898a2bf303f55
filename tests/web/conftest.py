from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar

from web.app import create_app
from web.session import SESSION_STORE
from web.state import serve_runtime


@pytest.fixture
async def app(db: None, redis: object) -> AsyncIterator[Litestar]:
    application = create_app()
    # Not `application.lifespan()`: its task group must be left in the task that entered it,
    # and pytest-asyncio sets fixtures up and tears them down in different tasks.
    async with serve_runtime(application), application.stores.get(SESSION_STORE):
        yield application


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client

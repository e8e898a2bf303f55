from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar

from web.app import create_app
from web.state import open_resources


@pytest.fixture
async def app(db: None, redis: object) -> AsyncIterator[Litestar]:
    application = create_app()
    async with open_resources(application):
        yield application


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client

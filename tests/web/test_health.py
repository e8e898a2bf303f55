from dataclasses import replace

import httpx
from litestar import Litestar

from core.infra.redis import connect_redis


async def test_health_reports_both_dependencies(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


async def test_health_names_what_failed(app: Litestar, client: httpx.AsyncClient) -> None:
    working = app.state.runtime
    unreachable = connect_redis("redis://127.0.0.1:1/0")  # nothing listens on port 1
    app.state.runtime = replace(working, redis=unreachable)
    try:
        response = await client.get("/health")
    finally:
        await unreachable.aclose()
        app.state.runtime = working
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["redis"].startswith("unavailable")
    assert body["status"] == "degraded"


async def test_openapi_schema_and_layout(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    assert schema["info"]["title"] == "TherapyBridge API"
    assert "/health" in schema["paths"]
    page = await client.get("/sign-in")
    assert page.status_code == 200
    assert "/static/vendor/htmx-2.0.11.min.js" in page.text
    assert (await client.get("/static/vendor/htmx-2.0.11.min.js")).status_code == 200

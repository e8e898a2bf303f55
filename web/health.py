"""`/health`: is the service able to reach PostgreSQL and Redis right now?"""

from __future__ import annotations

import asyncio

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE
from msgspec import Struct

from core.infra.runtime import Runtime, ping_database

PROBE_TIMEOUT_SECONDS = 3


class HealthReport(Struct):
    status: str
    database: str
    redis: str


async def _probe(check: asyncio.Future | object) -> str:
    try:
        await asyncio.wait_for(check, PROBE_TIMEOUT_SECONDS)  # type: ignore[arg-type]
    except Exception as error:
        return f"unavailable: {type(error).__name__}"
    return "ok"


class HealthController(Controller):
    path = "/health"
    tags = ["health"]

    @get(summary="Liveness and dependency check", exclude_from_auth=True)
    async def health(self, runtime: NamedDependency[Runtime]) -> Response[HealthReport]:
        database, redis = await asyncio.gather(
            _probe(ping_database()), _probe(runtime.redis.ping())
        )
        healthy = database == "ok" and redis == "ok"
        report = HealthReport("ok" if healthy else "degraded", database, redis)
        return Response(
            report, status_code=HTTP_200_OK if healthy else HTTP_503_SERVICE_UNAVAILABLE
        )

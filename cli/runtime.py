"""Reaching the configured (or embedded) PostgreSQL and Redis before a command runs."""

from __future__ import annotations

import asyncio
import logging
import os

from core.infra.db import check_database
from core.infra.embedded import EmbeddedServices, start_embedded
from core.infra.redis import check_redis
from core.settings import Settings, get_settings


def use_urls(database_url: str | None, redis_url: str | None) -> Settings:
    """Point this process (and its children) at these servers."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
    get_settings.cache_clear()
    return get_settings()


def start_missing_services(settings: Settings) -> EmbeddedServices:
    """Embedded PostgreSQL/Redis for whichever URL is unset (development only)."""
    services = start_embedded(
        settings.data_dir,
        postgres=settings.database_url is None,
        redis=settings.redis_url is None,
    )
    use_urls(services.database_url, services.redis_url)
    return services


def require_services(settings: Settings, *, redis: bool = True) -> None:
    """Fail fast, with one line naming host and port, when a server cannot be reached."""
    from cli.errors import CommandError

    if settings.database_url is None:
        raise CommandError("DATABASE_URL is not set (`tb dev` starts an embedded PostgreSQL)")
    if redis and settings.redis_url is None:
        raise CommandError("REDIS_URL is not set (`tb dev` starts an embedded Redis)")

    async def check() -> None:
        await check_database(settings.database_url or "")
        if redis:
            await check_redis(settings.redis_url or "")

    asyncio.run(check())


def setup_logging(settings: Settings) -> None:
    """One line per record on stderr. Our loggers carry ids and states, never PHI."""
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )

"""Redis connections, checked at start-up like the database."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from redis.asyncio import Redis
from redis.exceptions import RedisError

CONNECT_TIMEOUT_SECONDS = 5


class RedisUnavailable(Exception):
    pass


def describe_redis(redis_url: str) -> str:
    parts = urlsplit(redis_url)
    if parts.scheme == "unix":
        return parts.path
    return f"{parts.hostname or 'localhost'}:{parts.port or 6379}"


def connect_redis(redis_url: str) -> Redis:
    client: Redis = Redis.from_url(redis_url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS)
    return client


async def check_redis(redis_url: str) -> None:
    client = connect_redis(redis_url)
    try:
        await asyncio.wait_for(client.ping(), CONNECT_TIMEOUT_SECONDS + 1)
    except (TimeoutError, RedisError, OSError) as error:
        reason = str(error).split("\n")[0] or type(error).__name__
        raise RedisUnavailable(
            f"cannot reach Redis at {describe_redis(redis_url)}: {reason}"
        ) from None
    finally:
        await client.aclose()

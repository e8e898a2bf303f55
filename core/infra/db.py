"""The PostgreSQL engine: built from DATABASE_URL, checked at start-up, pooled while running."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

import asyncpg
from piccolo.engine.postgres import PostgresEngine

CONNECT_TIMEOUT_SECONDS = 5


class DatabaseUnavailable(Exception):
    """PostgreSQL cannot be reached; the message names host and port, never the password."""


def build_engine(database_url: str) -> PostgresEngine:
    return PostgresEngine(
        config={"dsn": database_url, "timeout": CONNECT_TIMEOUT_SECONDS},
        log_queries=False,
    )


async def _keep_session(connection: asyncpg.Connection) -> None:
    """Connections returned to the pool need no reset beyond the rollback of an open
    transaction, which asyncpg always does: nothing here sets session state (no SET, LISTEN,
    cursors or session-level locks). The default RESET ALL would cost a round trip per query."""


async def start_pool(engine: PostgresEngine, *, min_size: int, max_size: int) -> None:
    """The process's connection pool on piccolo's engine (one per process)."""
    await engine.start_connection_pool(min_size=min_size, max_size=max_size, reset=_keep_session)


def describe_server(database_url: str) -> str:
    """host:port (or the socket directory) of a URL, safe to print."""
    parts = urlsplit(database_url)
    host = parts.hostname or parse_qs(parts.query).get("host", ["localhost"])[0]
    return f"{host}:{parts.port or 5432}"


async def check_database(database_url: str) -> None:
    try:
        connection = await asyncio.wait_for(
            asyncpg.connect(database_url, timeout=CONNECT_TIMEOUT_SECONDS),
            CONNECT_TIMEOUT_SECONDS + 1,
        )
    except (TimeoutError, OSError, asyncpg.PostgresError) as error:
        reason = type(error).__name__ if isinstance(error, asyncio.TimeoutError) else str(error)
        reason = reason.split("\n")[0] or type(error).__name__
        raise DatabaseUnavailable(
            f"cannot reach PostgreSQL at {describe_server(database_url)}: {_scrub(reason, database_url)}"
        ) from None
    await connection.close()


def _scrub(text: str, database_url: str) -> str:
    password = urlsplit(database_url).password
    return text.replace(password, "***") if password else text

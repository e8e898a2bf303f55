"""Test infrastructure: a fresh, migrated PostgreSQL database per run and a private Redis db.

The database server is the one of DATABASE_URL (CI: 127.0.0.1:5432), or an embedded one when
unset. Each run creates its own database by running the real migrations, and drops it at the
end. Tables are truncated before every test that asks for `db`; the run's own Redis db (8–15,
by process id) is flushed before every test that asks for `redis`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

# Redis db 8–15 by process id, so concurrent runs on one machine rarely share (and flush) one.
TEST_REDIS_DB = 8 + os.getpid() % 8
_embedded = None
_data_dir = Path(tempfile.mkdtemp(prefix="tb-test-"))
_database_name = f"tb_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
_server_url: str | None = None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _with_redis_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return urlunsplit(parts._replace(query=f"db={db}"))
    return urlunsplit(parts._replace(path=f"/{db}"))


def _prepare_environment() -> None:
    """Point every setting at test resources before any application module reads them.

    Runs when this root conftest is imported, which pytest does before any nested conftest
    (and so before anything imports the application, which reads settings at import).
    """
    global _embedded, _server_url
    os.environ["APP_ENV"] = "dev"
    os.environ["DATA_DIR"] = str(_data_dir)
    os.environ.setdefault("TRANSCRIBER", "local")
    os.environ.setdefault("EXTRACTOR", "local")
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "OPENAI_API_KEY", "SECRET_KEY"):
        os.environ.pop(name, None)
    database_url = os.environ.get("DATABASE_URL")
    redis_url = os.environ.get("REDIS_URL")
    if not database_url or not redis_url:
        from core.infra.embedded import start_embedded

        _embedded = start_embedded(
            Path(".data") / "test", postgres=not database_url, redis=not redis_url
        )
        database_url = database_url or _embedded.database_url
        redis_url = redis_url or _embedded.redis_url
    assert database_url and redis_url
    _server_url = database_url
    os.environ["DATABASE_URL"] = _with_database(database_url, _database_name)
    os.environ["REDIS_URL"] = _with_redis_db(redis_url, TEST_REDIS_DB)

    async def create() -> None:
        connection = await asyncpg.connect(database_url)
        try:
            await connection.execute(f'CREATE DATABASE "{_database_name}"')
        finally:
            await connection.close()

    asyncio.run(create())


_prepare_environment()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _server_url is None:
        return

    async def drop() -> None:
        connection = await asyncpg.connect(_server_url)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{_database_name}" WITH (FORCE)')
        finally:
            await connection.close()

    asyncio.run(drop())
    if _embedded is not None:
        _embedded.stop()
    shutil.rmtree(_data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
async def database() -> AsyncIterator[None]:
    """The run's database, built by the real migrations; pooled for the whole run."""
    from core.infra.db import start_pool
    from core.infra.migrations import migrate
    from core.tables import User

    await migrate()
    engine = User._meta.db
    await start_pool(engine, min_size=1, max_size=8)
    yield
    await engine.close_connection_pool()


@pytest.fixture
async def db(database: None) -> AsyncIterator[None]:
    from core.tables import ALL_TABLES, User

    names = ", ".join(table._meta.tablename for table in ALL_TABLES)
    await User.raw(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    yield


@pytest.fixture
async def redis() -> AsyncIterator[object]:
    from core.infra.redis import connect_redis
    from core.settings import get_settings

    client = connect_redis(get_settings().redis_url or "")
    await client.flushdb()
    yield client
    await client.aclose()


@pytest.fixture
def settings() -> Iterator[object]:
    from core.settings import get_settings

    yield get_settings()


@pytest.fixture
async def queue(redis: object) -> AsyncIterator[object]:
    """The arq queue the application enqueues on (REDIS_QUEUE_NAME)."""
    from core.infra.queue import create_queue
    from core.settings import get_settings

    settings = get_settings()
    pool = await create_queue(settings.redis_url or "", settings.redis_queue_name)
    yield pool
    await pool.aclose()


@pytest.fixture
def events(redis: object) -> object:
    from core.events import EventPublisher

    return EventPublisher(redis)  # type: ignore[arg-type]


@pytest.fixture
def storage(tmp_path: Path) -> object:
    from core.infra.storage import EncryptedStorage

    return EncryptedStorage(tmp_path / "files", b"k" * 32)


@pytest.fixture
def runtime(settings: object, redis: object, queue: object) -> object:
    """What the worker's tasks and the Slack listeners receive, on the test's connections."""
    from tests.support import make_runtime

    return make_runtime(settings, redis, queue)  # type: ignore[arg-type]

"""piccolo's entry point: the engine for DATABASE_URL and the one app, `core`."""

from piccolo.conf.apps import AppRegistry

from core.infra.db import build_engine
from core.settings import ConfigError, get_settings

# `tb` resolves DATABASE_URL (starting the embedded server if needed) before anything
# touches the database, so by the time piccolo imports this module the URL is known.
_database_url = get_settings().database_url
if _database_url is None:
    raise ConfigError("DATABASE_URL is not set (run through `tb`, which can start one)")

DB = build_engine(_database_url)

APP_REGISTRY = AppRegistry(apps=["core.infra.piccolo_app"])

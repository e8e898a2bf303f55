"""Registers the domain tables with piccolo; migrations are in the top-level folder."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from core.tables import ALL_TABLES

APP_CONFIG = AppConfig(
    app_name="core",
    migrations_folder_path=str(Path(__file__).resolve().parents[2] / "piccolo_migrations"),
    table_classes=ALL_TABLES,
    migration_dependencies=[],
    commands=[],
)

import json
import stat
from pathlib import Path

import pytest

from core.settings import ConfigError, load_settings


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in ("SECRET_KEY", "ENCRYPTION_KEY", "DATABASE_URL", "REDIS_URL", "TRANSCRIBER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env
    return monkeypatch


def test_dev_secrets_are_generated_once_and_kept(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    first = load_settings()
    second = load_settings()
    assert first.secret_key and first.secret_key == second.secret_key
    assert len(first.encryption_key_bytes) == 32
    stored = tmp_path / "data" / "secrets.json"
    assert json.loads(stored.read_text())["encryption_key"] == first.encryption_key
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600


def test_production_names_the_missing_secret(env: pytest.MonkeyPatch) -> None:
    env.setenv("APP_ENV", "production")
    env.setenv("DATABASE_URL", "postgresql://u:p@db:5432/tb")
    env.setenv("REDIS_URL", "redis://cache:6379/0")
    env.setenv("ENCRYPTION_KEY", "A" * 43)
    with pytest.raises(ConfigError, match=r"^missing required setting SECRET_KEY"):
        load_settings()


def test_unknown_value_lists_the_allowed_ones(env: pytest.MonkeyPatch) -> None:
    env.setenv("TRANSCRIBER", "foo")
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert str(error.value) == "TRANSCRIBER: unknown value 'foo'; allowed values: local, openai"


def test_encryption_key_must_be_32_bytes(env: pytest.MonkeyPatch) -> None:
    env.setenv("ENCRYPTION_KEY", "c2hvcnQ")
    with pytest.raises(ConfigError, match="ENCRYPTION_KEY"):
        load_settings()


def test_defaults(env: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.export_ttl_days == 7
    assert (settings.transcriber, settings.extractor) == ("local", "local")

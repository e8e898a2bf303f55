"""One env-driven settings object, read once and cached.

`APP_ENV=production` requires every secret to be set; in development missing secrets are
generated once and kept in `<DATA_DIR>/secrets.json` so restarts keep sessions and files readable.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConfigError(Exception):
    """A setting is missing or invalid; the message is one line fit for a terminal."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    app_env: Literal["dev", "production"] = "dev"
    database_url: str | None = None
    redis_url: str | None = None
    data_dir: Path = Path(".data")
    secret_key: str | None = None
    encryption_key: str | None = None
    previous_encryption_keys: str = ""  # comma-separated; still readable until `tb keys rotate`
    export_ttl_days: int = Field(default=7, ge=1, le=365)
    export_rate_limit_per_minute: int = Field(default=30, ge=1)
    transcriber: Literal["local", "openai"] = "local"
    extractor: Literal["local", "openai"] = "local"
    whisper_model: str = "tiny.en"
    whisper_model_path: str | None = None
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    openai_transcription_model: str = "whisper-1"
    openai_extraction_model: str = "gpt-4o-mini"
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_phi_level: Literal["none", "minimal", "full"] = "minimal"
    slack_files_in_channels: bool = False
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    max_upload_mb: int = Field(default=500, ge=1)
    audio_retention: Literal["delete", "keep"] = "delete"
    default_note_templates: str = "soap"
    session_idle_minutes: int = Field(default=15, ge=1)
    clinic_timezone: str = "UTC"  # the dashboard's "today" and the times it shows
    public_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    redis_queue_name: str = "tb:queue"
    redis_prefix: str = "tb"
    log_level: str = "INFO"

    @field_validator(
        "database_url",
        "redis_url",
        "openai_api_key",
        "openai_base_url",
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "secret_key",
        "encryption_key",
        "whisper_model_path",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("encryption_key")
    @classmethod
    def _valid_encryption_key(cls, value: str | None) -> str | None:
        if value is not None and len(_decode_key(value)) != 32:
            raise ValueError("must be 32 bytes, urlsafe base64 encoded")
        return value

    @field_validator("previous_encryption_keys")
    @classmethod
    def _valid_previous_keys(cls, value: str) -> str:
        if any(len(_decode_key(k.strip())) != 32 for k in value.split(",") if k.strip()):
            raise ValueError("each key must be 32 bytes, urlsafe base64 encoded")
        return value

    @field_validator("clinic_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name such as Europe/Berlin"
            ) from None
        return value

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @property
    def encryption_key_bytes(self) -> bytes:
        assert self.encryption_key is not None
        return _decode_key(self.encryption_key)

    @property
    def previous_encryption_keys_bytes(self) -> tuple[bytes, ...]:
        return tuple(
            _decode_key(k.strip()) for k in self.previous_encryption_keys.split(",") if k.strip()
        )

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def note_templates(self) -> list[str]:
        return [t.strip() for t in self.default_note_templates.split(",") if t.strip()]


def _decode_key(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except ValueError:
        return b""


REQUIRED_IN_PRODUCTION = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ENCRYPTION_KEY")
GENERATED_IN_DEV = ("secret_key", "encryption_key")


def new_encryption_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


def _dev_secrets(data_dir: Path) -> dict[str, str]:
    """Secrets generated on first start and reused after, readable by the owner only."""
    path = data_dir / "secrets.json"
    if path.exists():
        stored: dict[str, str] = json.loads(path.read_text())
        return stored
    data_dir.mkdir(parents=True, exist_ok=True)
    values = {"secret_key": secrets.token_urlsafe(48), "encryption_key": new_encryption_key()}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(values, handle)
    return values


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    name = str(first["loc"][0]).upper() if first["loc"] else "settings"
    ctx = first.get("ctx") or {}
    if first["type"] == "literal_error" and "expected" in ctx:
        allowed = ctx["expected"].replace("'", "").replace(" or ", ", ")
        return f"{name}: unknown value {first['input']!r}; allowed values: {allowed}"
    return f"{name}: {first['msg']}"


def load_settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as error:
        raise ConfigError(_describe(error)) from None
    if settings.is_production:
        missing = [n for n in REQUIRED_IN_PRODUCTION if getattr(settings, n.lower()) is None]
        if missing:
            raise ConfigError(f"missing required setting {missing[0]} (APP_ENV=production)")
        return settings
    stored = _dev_secrets(settings.data_dir)
    updates = {n: stored[n] for n in GENERATED_IN_DEV if getattr(settings, n) is None}
    if "encryption_key" in updates and not settings.previous_encryption_keys:
        updates["previous_encryption_keys"] = stored.get("previous_encryption_keys", "")
    return settings.model_copy(update=updates)


def replace_dev_encryption_key(data_dir: Path, *, keep_previous: bool) -> None:
    """Development only: a new generated key in secrets.json; the old one kept readable
    (`keep_previous`) until every file is re-sealed, then dropped."""
    path = data_dir / "secrets.json"
    values = json.loads(path.read_text())
    if keep_previous:
        values["previous_encryption_keys"] = values["encryption_key"]
        values["encryption_key"] = new_encryption_key()
    else:
        values.pop("previous_encryption_keys", None)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(values, handle)
    os.replace(temporary, path)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()

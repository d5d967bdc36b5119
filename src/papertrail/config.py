"""Settings from the environment and command-line options."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from papertrail.errors import UsageError

DEFAULT_ARXIV_API = "https://export.arxiv.org/api/query"
DEFAULT_ARXIV_DELAY = 3.0  # seconds between requests: arXiv's terms of use
DEFAULT_BATCH_SIZE = 100
DEFAULT_ARXIV_TIMEOUT = 30.0  # seconds to wait for arXiv to answer one request
APP_NAME = "papertrail"


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"{name} must be a number of seconds, not {raw!r}") from None
    if value < 0:
        raise UsageError(f"{name} cannot be negative")
    return value


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    if not raw.strip().isdigit() or int(raw) < 1:
        raise UsageError(f"{name} must be a positive whole number, not {raw!r}")
    return int(raw)


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME) / "papertrail.db"


def cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME)


@dataclass(frozen=True)
class Settings:
    db: str
    arxiv_api: str = DEFAULT_ARXIV_API
    arxiv_delay: float = DEFAULT_ARXIV_DELAY
    batch_size: int = DEFAULT_BATCH_SIZE
    arxiv_timeout: float = DEFAULT_ARXIV_TIMEOUT
    offline: bool = False

    @classmethod
    def load(cls, db: str | None = None) -> Settings:
        """`--db` first, then PAPERTRAIL_* variables, then the defaults."""
        return cls(
            db=db or os.environ.get("PAPERTRAIL_DB") or str(default_db_path()),
            arxiv_api=os.environ.get("PAPERTRAIL_ARXIV_API") or DEFAULT_ARXIV_API,
            arxiv_delay=_env_float("PAPERTRAIL_ARXIV_DELAY", DEFAULT_ARXIV_DELAY),
            batch_size=_env_int("PAPERTRAIL_ARXIV_BATCH", DEFAULT_BATCH_SIZE),
            arxiv_timeout=_env_float("PAPERTRAIL_ARXIV_TIMEOUT", DEFAULT_ARXIV_TIMEOUT),
            offline=_env_flag("PAPERTRAIL_OFFLINE"),
        )

"""Settings from the environment and command-line options.

platformdirs and tomllib are imported only when a path or the settings file is
needed: most commands are given `--db` or `PAPERTRAIL_DB` and never ask (start-up).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any, NamedTuple

from papertrail.errors import UsageError

DEFAULT_ARXIV_API = "https://export.arxiv.org/api/query"
DEFAULT_ARXIV_DELAY = 3.0  # seconds between requests: arXiv's terms of use
DEFAULT_BATCH_SIZE = 100
DEFAULT_ARXIV_TIMEOUT = 30.0  # seconds to wait for arXiv to answer one request
DEFAULT_ARXIV_RSS = "https://rss.arxiv.org/rss"
DEFAULT_ARXIV_PDF = "https://export.arxiv.org/pdf"  # arXiv's PDFs, for programs
DEFAULT_INBOX_DAYS = 14  # an inbox item nobody touched for this long goes away
MAX_INBOX_DAYS = 36500
MAX_BATCH_SIZE = 2000  # the arXiv API's own limit on results per request
MAX_SECONDS = 3600.0  # the longest delay or timeout a setting may ask for
MIN_TIMEOUT = 0.001
APP_NAME = "papertrail"


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def env_seconds(name: str, default: float, *, low: float, high: float) -> float:
    """Seconds from the environment, from `low` to `high`: inf, nan and 1e308 are refused
    with the range, never handed to a timer."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (low <= value <= high):  # also false for nan
        raise UsageError(
            f"{name} must be a number of seconds from {low:g} to {high:g}, not {raw!r}"
        )
    return value


def _env_int(name: str, default: int, *, high: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= high):
        raise UsageError(f"{name} must be a whole number from 1 to {high}, not {raw!r}")
    return int(text)


DEFAULT_DB_TIMEOUT = 30.0  # seconds: to reach the PostgreSQL server, or wait for a lock
STATEMENT_TIMEOUT = 600.0  # seconds any one statement may take on the server


def db_timeout() -> float:
    """PAPERTRAIL_DB_TIMEOUT: how long to wait for the database server or another client."""
    return env_seconds("PAPERTRAIL_DB_TIMEOUT", DEFAULT_DB_TIMEOUT, low=1, high=MAX_SECONDS)


def statement_timeout() -> float:
    """PAPERTRAIL_DB_STATEMENT_TIMEOUT: how long one statement may run on the server."""
    return env_seconds(
        "PAPERTRAIL_DB_STATEMENT_TIMEOUT", STATEMENT_TIMEOUT, low=1, high=MAX_SECONDS
    )


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME) / "papertrail.db"


def cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME)


def config_path() -> Path:
    """The settings file: $PAPERTRAIL_CONFIG, else config.toml in the user config directory
    (on Linux ~/.config/papertrail/config.toml)."""
    given = os.environ.get("PAPERTRAIL_CONFIG")
    if given:
        return Path(given).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "config.toml"


def config_file() -> dict[str, Any]:
    """The settings file's table ({} when there is none); read only by what needs it (a
    long-running process, `papertrail mcp`, sees it change)."""
    path = config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read the settings file {path}: {error}") from error
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path} is not valid TOML: {error}") from error


# Every key the settings file may hold, and what it takes (config.toml; README "Settings").
SETTINGS: dict[str, str] = {
    "pager": "true, false, or the pager command",
    "sort": "the order `list` and `export` use: added, published, year, title, status, "
    "citations (- before it reverses it)",
    "default_topic": "the topic `add` files papers under when no -t is given",
    "mailto": "your e-mail address, sent to Crossref and OpenAlex (their polite pool)",
    "files": "where papers' files are kept: a directory or s3://bucket/prefix",
    "s3_endpoint": "the address of an S3-compatible server",
    "opener": "the program `open` shows a local file with",
}
_SORTS = ("added", "published", "year", "title", "status", "citations")


class SettingsError(UsageError):
    """What is wrong with the settings file: one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(problems[-1])  # the others are printed before it, in order


def settings_problems(values: dict[str, Any]) -> list[str]:
    """One line per problem of the settings file's table: unknown keys (with the closest
    known one) and values of the wrong kind."""
    from difflib import get_close_matches  # only when the settings file is read

    path = config_path()
    problems = []
    for key, value in values.items():
        if key not in SETTINGS:
            close = get_close_matches(key, list(SETTINGS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            known = ", ".join(SETTINGS)
            problems.append(f"{path}: unknown setting {key!r}{hint}; known: {known}")
        elif key == "pager":
            if not isinstance(value, bool | str):
                problems.append(f"{path}: pager must be true, false or a command, not {value!r}")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"{path}: {key} must be a non-empty text, not {value!r}")
        elif key == "sort" and value.strip().lstrip("-").lower() not in _SORTS:
            problems.append(f"{path}: sort must be one of {', '.join(_SORTS)}, not {value!r}")
    return problems


def check_settings() -> None:
    """Refuse a settings file with problems (SettingsError: one line each); no file is fine."""
    problems = settings_problems(config_file())
    if problems:
        raise SettingsError(problems)


def setting(key: str) -> Any:
    """A setting of the settings file (None when unset), the file checked first."""
    check_settings()
    return config_file().get(key)


def pager_setting() -> bool | str | None:
    """`pager` in the settings file: false (never page), true, or the pager command."""
    value = config_file().get("pager")
    if value is not None and not isinstance(value, bool | str):
        raise UsageError(f"{config_path()}: pager must be true, false or a command, not {value!r}")
    return value


def _text_setting(variable: str, key: str) -> str | None:
    """A text setting: the environment variable, else the settings file's key."""
    value = os.environ.get(variable)
    if value is not None and value.strip():
        return value.strip()
    found = config_file().get(key)
    if found is None:
        return None
    if not isinstance(found, str) or not found.strip():
        raise UsageError(f"{config_path()}: {key} must be a non-empty text, not {found!r}")
    return found.strip()


# `--reader NAME`, the global option of this invocation (set by the CLI for each command).
_reader_option: str | None = None


def set_reader_option(name: str | None) -> None:
    global _reader_option
    _reader_option = name.strip() if name and name.strip() else None


def declared_reader() -> str:
    """Who reads: `--reader NAME`, else PAPERTRAIL_READER, else the `reader` setting, else
    the login name. (A PostgreSQL member connecting as their own role is that role: see
    papertrail.db.readers.)"""
    if _reader_option is not None:
        return _reader_option
    named = _text_setting("PAPERTRAIL_READER", "reader")
    if named is not None:
        return named
    import getpass  # only where a reader is needed (start-up)

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name: a container's anonymous uid
        return "me"


def reader_is_declared() -> bool:
    """Whether the reader was named (option, environment or setting), not the login."""
    return _reader_option is not None or _text_setting("PAPERTRAIL_READER", "reader") is not None


def privacy_setting() -> bool | None:
    """`privacy` in the settings file: "private" keeps one's reading out of the lab's view,
    "lab" shows it; None when not set (the library keeps what it holds)."""
    value = _text_setting("PAPERTRAIL_PRIVACY", "privacy")
    if value is None:
        return None
    if value not in ("private", "lab"):
        raise UsageError(f"privacy must be 'private' or 'lab', not {value!r}")
    return value == "private"


def files_setting() -> str | None:
    """Where papers' files are kept: PAPERTRAIL_FILES, else `files` in the settings file
    (a directory, or `s3://bucket/prefix`); None: the default, beside the library."""
    return _text_setting("PAPERTRAIL_FILES", "files")


def s3_endpoint_setting() -> str | None:
    """The address of an S3-compatible server (MinIO, Ceph...) for an s3:// file store:
    PAPERTRAIL_S3_ENDPOINT, else `s3_endpoint`; None: Amazon S3 itself."""
    return _text_setting("PAPERTRAIL_S3_ENDPOINT", "s3_endpoint")


def opener_setting() -> str | None:
    """The program `open` shows a local file with: PAPERTRAIL_OPENER, else `opener`;
    None: the system's (xdg-open, open)."""
    return _text_setting("PAPERTRAIL_OPENER", "opener")


def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME)


class Settings(NamedTuple):  # a NamedTuple: unlike a dataclass, built at no start-up cost
    db: str
    arxiv_api: str = DEFAULT_ARXIV_API
    arxiv_delay: float = DEFAULT_ARXIV_DELAY
    batch_size: int = DEFAULT_BATCH_SIZE
    arxiv_timeout: float = DEFAULT_ARXIV_TIMEOUT
    offline: bool = False
    arxiv_rss: str = DEFAULT_ARXIV_RSS
    inbox_days: int = DEFAULT_INBOX_DAYS
    arxiv_pdf: str = DEFAULT_ARXIV_PDF
    # What is wrong with the arXiv settings (PAPERTRAIL_ARXIV_DELAY=abc): an error only for
    # the commands that talk to arXiv (`for_arxiv`), never for `list`.
    arxiv_problem: str | None = None

    def for_arxiv(self) -> Settings:
        """These settings, for a command about to talk to arXiv: a bad arXiv setting is a
        one-line usage error here."""
        if self.arxiv_problem is not None:
            raise UsageError(self.arxiv_problem)
        return self

    @classmethod
    def load(cls, db: str | None = None) -> Settings:
        """`--db` first, then PAPERTRAIL_* variables, then the defaults."""
        problems: list[str] = []

        def arxiv_value(read: Any, default: Any) -> Any:
            try:
                return read()
            except UsageError as error:
                problems.append(str(error))
                return default

        return cls(
            db=db or os.environ.get("PAPERTRAIL_DB") or str(default_db_path()),
            arxiv_api=os.environ.get("PAPERTRAIL_ARXIV_API") or DEFAULT_ARXIV_API,
            arxiv_delay=arxiv_value(
                lambda: env_seconds(
                    "PAPERTRAIL_ARXIV_DELAY", DEFAULT_ARXIV_DELAY, low=0, high=MAX_SECONDS
                ),
                DEFAULT_ARXIV_DELAY,
            ),
            batch_size=arxiv_value(
                lambda: _env_int("PAPERTRAIL_ARXIV_BATCH", DEFAULT_BATCH_SIZE, high=MAX_BATCH_SIZE),
                DEFAULT_BATCH_SIZE,
            ),
            arxiv_timeout=arxiv_value(
                lambda: env_seconds(
                    "PAPERTRAIL_ARXIV_TIMEOUT",
                    DEFAULT_ARXIV_TIMEOUT,
                    low=MIN_TIMEOUT,
                    high=MAX_SECONDS,
                ),
                DEFAULT_ARXIV_TIMEOUT,
            ),
            offline=_env_flag("PAPERTRAIL_OFFLINE"),
            arxiv_rss=(os.environ.get("PAPERTRAIL_ARXIV_RSS") or DEFAULT_ARXIV_RSS).rstrip("/"),
            inbox_days=_env_int("PAPERTRAIL_INBOX_DAYS", DEFAULT_INBOX_DAYS, high=MAX_INBOX_DAYS),
            arxiv_pdf=(os.environ.get("PAPERTRAIL_ARXIV_PDF") or DEFAULT_ARXIV_PDF).rstrip("/"),
            arxiv_problem="; ".join(problems) or None,
        )


def machine() -> str:
    """Who links bibliography files here, `user@host`: the links of a library shared on
    PostgreSQL are each member's, and a command rewrites its own machine's files only."""
    import getpass  # a library with linked files only (start-up)

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this user id (a container)
        user = str(os.getuid())
    return f"{user}@{os.uname().nodename}"

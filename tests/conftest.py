from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.shared import require_shared


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own database and user directories, offline and without delay."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    db = tmp_path / "library.db"
    monkeypatch.setenv("PAPERTRAIL_DB", str(db))
    monkeypatch.setenv("PAPERTRAIL_OFFLINE", "1")
    monkeypatch.setenv("PAPERTRAIL_ARXIV_DELAY", "0")
    monkeypatch.delenv("PAPERTRAIL_ARXIV_API", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return db


@pytest.fixture
def arxiv_fixtures() -> Path:
    return require_shared("fixtures", "arxiv")


@pytest.fixture
def seeds_dir() -> Path:
    return require_shared("seeds")


@pytest.fixture
def reading_lists_dir() -> Path:
    return require_shared("reading-lists")

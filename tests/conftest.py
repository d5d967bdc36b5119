from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.arxiv_stub import ArxivStub
from tests.support.postgres import PostgresServer, start_server
from tests.support.s3 import S3Server, start_s3_server
from tests.support.shared import require_shared

BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Modules that say `pytestmark = pytest.mark.usefixtures("backend")` run every test
    # on SQLite and on a real PostgreSQL server.
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    yield from start_server()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    yield from start_s3_server()


@pytest.fixture
def files_in(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Where the library's files go: "dir" (the default, beside the library) or "s3" (a
    bucket of its own on moto's server). Parametrise with `files_in` to run a test on both."""
    where = str(getattr(request, "param", "dir"))
    if where == "s3":
        server: S3Server = request.getfixturevalue("s3_server")
        for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"),
                            ("AWS_DEFAULT_REGION", "us-east-1")):  # fmt: skip
            monkeypatch.setenv(name, value)
        bucket = server.new_bucket()
        monkeypatch.setenv("PAPERTRAIL_FILES", f"s3://{bucket}/lab")
        monkeypatch.setenv("PAPERTRAIL_S3_ENDPOINT", server.endpoint)
    return where


@pytest.fixture(autouse=True)
def isolated_env(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Every test gets its own database and user directories, offline and without delay.

    Yields the database: a file path, or a PostgreSQL URL for the postgresql backend.
    """
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("PAPERTRAIL_OFFLINE", "1")
    monkeypatch.setenv("PAPERTRAIL_ARXIV_DELAY", "0")
    monkeypatch.setenv("PAPERTRAIL_SERVICES_DELAY", "0")
    # Never the real Crossref, Semantic Scholar or DBLP: a closed local port, unless a test
    # points them at its stub (tests/support/services_stub.py).
    services = ("CROSSREF", "S2", "DBLP", "OPENALEX")
    for name in (f"PAPERTRAIL_{service}_API" for service in services):
        monkeypatch.setenv(name, "http://127.0.0.1:9/unreachable")
    unset = ("PAPERTRAIL_MAILTO", "PAPERTRAIL_S2_API_KEY", "PAPERTRAIL_FILES",
             "PAPERTRAIL_S3_ENDPOINT", "PAPERTRAIL_OPENER", "PAPERTRAIL_ARXIV_PDF")  # fmt: skip
    for name in unset:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("PAPERTRAIL_ARXIV_API", raising=False)
    monkeypatch.delenv("PAPERTRAIL_ARXIV_BATCH", raising=False)
    monkeypatch.delenv("PAPERTRAIL_TERMINAL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    if "backend" in request.fixturenames and request.getfixturevalue("backend") == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.new_database()
        monkeypatch.setenv("PAPERTRAIL_DB", url)
        yield url
        server.drop_database(url)
        return
    db = str(tmp_path / "library.db")
    monkeypatch.setenv("PAPERTRAIL_DB", db)
    yield db


@pytest.fixture
def arxiv(monkeypatch: pytest.MonkeyPatch) -> Iterator[ArxivStub]:
    """A local arXiv on 127.0.0.1 (the API and the announcement feeds), papertrail online."""
    with ArxivStub(hang_seconds=3) as stub:
        monkeypatch.setenv("PAPERTRAIL_ARXIV_API", stub.url)
        monkeypatch.setenv("PAPERTRAIL_ARXIV_RSS", stub.rss_url)
        monkeypatch.delenv("PAPERTRAIL_OFFLINE")
        yield stub


@pytest.fixture
def arxiv_fixtures() -> Path:
    return require_shared("fixtures", "arxiv")


@pytest.fixture
def seeds_dir() -> Path:
    return require_shared("seeds")


@pytest.fixture
def reading_lists_dir() -> Path:
    return require_shared("reading-lists")

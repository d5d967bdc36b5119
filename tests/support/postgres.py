"""A real, throw-away PostgreSQL server for the test session.

One server per test process (each pytest-xdist worker has its own).
Uses PAPERTRAIL_TEST_PG_URL when set (a server you run, e.g.
`postgresql+psycopg://postgres@127.0.0.1:5432/postgres`); otherwise starts one from the
installed binaries (Debian's `postgresql` package) in a temporary data directory on
127.0.0.1, as the `postgres` user when the tests run as root (initdb refuses root).
Without either, PostgreSQL tests skip, saying how to enable them; with
PAPERTRAIL_REQUIRE_POSTGRES=1 (as CI sets) they fail instead.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

HOW_TO_ENABLE = (
    "PostgreSQL tests need a server: install Debian's `postgresql` package (its initdb and "
    "pg_ctl are found automatically) or set PAPERTRAIL_TEST_PG_URL="
    "postgresql+psycopg://user:pass@host:port/db"
)
_counter = itertools.count()


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


class PostgresServer:
    """A running server; `new_database()` gives each test its own empty database."""

    def __init__(self, admin_url: str, stop: list[str] | None = None) -> None:
        self.admin_url = admin_url  # postgresql+psycopg://user@host:port/postgres
        self._stop = stop

    def url(self, database: str) -> str:
        return self.admin_url.rsplit("/", 1)[0] + "/" + database

    def new_database(self) -> str:
        import psycopg

        name = f"papertrail_test_{os.getpid()}_{next(_counter)}"
        with psycopg.connect(_libpq(self.admin_url), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(_libpq(self.admin_url), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        if self._stop:
            subprocess.run(self._stop, capture_output=True, timeout=60)


def _libpq(url: str) -> str:
    return "postgresql:" + url.split(":", 1)[1]


def start_server() -> Iterator[PostgresServer]:
    given = os.environ.get("PAPERTRAIL_TEST_PG_URL")
    if given:
        yield PostgresServer(given)
        return
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        _unavailable("no PostgreSQL binaries (initdb, pg_ctl) on this machine")
        return
    base = Path(tempfile.mkdtemp(prefix="papertrail-pg-"))
    data, sockets = base / "data", base / "run"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
    init = subprocess.run(
        _as_postgres([initdb, "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                      "--no-sync", "--locale", "C"]),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    if init.returncode != 0:
        _unavailable(f"initdb failed: {init.stderr.strip()[-300:]}")
        return
    log = base / "log"
    # Under pytest-xdist every worker starts its own server: a free port found here may be
    # taken by another worker before this server binds it, so try a few.
    for _attempt in range(5):
        port = _free_port()
        options = (
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=200"
        )
        start = subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]),
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        if start.returncode == 0:
            break
    else:
        tail = log.read_text(errors="replace")[-300:] if log.exists() else ""
        _unavailable(f"PostgreSQL did not start: {start.stderr.strip()[-200:]} {tail}")
        return
    stop = _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"])
    server = PostgresServer(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", stop)
    _wait_ready(server)
    try:
        yield server
    finally:
        server.close()
        shutil.rmtree(base, ignore_errors=True)


def _wait_ready(server: PostgresServer) -> None:
    import psycopg

    deadline = time.monotonic() + 30
    while True:
        try:
            psycopg.connect(_libpq(server.admin_url)).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _unavailable(reason: str) -> None:
    message = f"{reason}. {HOW_TO_ENABLE}"
    if os.environ.get("PAPERTRAIL_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PAPERTRAIL_REQUIRE_POSTGRES=1 but {message}", pytrace=False)
    pytest.skip(message)

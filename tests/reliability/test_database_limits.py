"""Waiting on the database is bounded, and the error says which bound was reached."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.reliability.helpers import cli, error_line, is_postgres, libpq
from tests.support.cli import ok
from tests.support.freezing_proxy import FreezingProxy

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def held_row_lock(isolated_env: str) -> Iterator[None]:
    """Another client in the middle of a write to paper 1, that does not finish."""
    ok("add", "--no-fetch", "1510.00149")
    if is_postgres(isolated_env):
        import psycopg

        with psycopg.connect(libpq(isolated_env)) as other:
            # What mark-read writes: the reader's status rows (0016).
            other.execute("LOCK TABLE reading IN SHARE ROW EXCLUSIVE MODE")
            yield
            other.rollback()
        return
    other = sqlite3.connect(isolated_env, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE paper SET title = 'mine' WHERE id = 1")
    yield
    other.execute("ROLLBACK")
    other.close()


def test_a_lock_held_by_another_client_is_waited_for_a_bounded_time(held_row_lock: None) -> None:
    result = cli("mark-read", "1", env={"PAPERTRAIL_DB_TIMEOUT": "1"})
    assert result.exit_code == 4, result.stderr
    assert "PAPERTRAIL_DB_TIMEOUT" in error_line(result.stderr)


def test_a_server_that_never_answers_is_given_up_on(isolated_env: str) -> None:
    if not is_postgres(isolated_env):
        pytest.skip("SQLite has no server")
    with socket.socket() as frozen:  # accepts connections (the kernel does), never answers
        frozen.bind(("127.0.0.1", 0))
        frozen.listen(8)
        url = f"postgresql+psycopg://me@127.0.0.1:{frozen.getsockname()[1]}/papers"
        result = cli("--db", url, "list", env={"PAPERTRAIL_DB_TIMEOUT": "2"})
    assert result.exit_code == 4, result.stderr
    line = error_line(result.stderr)
    assert "connect_timeout" in line and "no answer within 2 s" in line


def test_a_server_frozen_mid_command_is_given_up_on_by_a_client_deadline(
    isolated_env: str,
) -> None:
    """A server that stops answering after the connection is made (SIGSTOP: its kernel keeps
    the socket open, so neither keepalives nor the server's own timeouts fire) ends the
    command with one line naming papertrail's own deadline, instead of waiting for ever."""
    if not is_postgres(isolated_env):
        pytest.skip("SQLite has no server")
    ok("add", "--no-fetch", "1510.00149")
    address = urlsplit(isolated_env)
    assert address.hostname and address.port
    with FreezingProxy(address.hostname, address.port, trigger=b"FROM paper p") as proxy:
        through = isolated_env.replace(f"{address.hostname}:{address.port}",
                                       f"127.0.0.1:{proxy.port}")  # fmt: skip
        limits = {"PAPERTRAIL_DB_TIMEOUT": "1", "PAPERTRAIL_DB_STATEMENT_TIMEOUT": "1"}
        result = cli("--db", through, "list", env=limits)
        assert proxy.frozen.is_set()
    assert result.exit_code == 4, result.stderr
    line = error_line(result.stderr)
    assert "no answer within 7 s (papertrail's own deadline" in line, line


def test_the_timeout_setting_is_checked() -> None:
    ok("add", "--no-fetch", "1510.00149")
    result = cli("list", env={"PAPERTRAIL_DB_TIMEOUT": "inf"})
    assert result.exit_code == 2
    assert "PAPERTRAIL_DB_TIMEOUT must be a number of seconds from 1 to 3600" in error_line(
        result.stderr
    )

"""Shared pieces of the reliability suite: CLI runs that never hide a traceback, big reading
lists, raw database access on both backends, and private mounts for disk faults."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from papertrail.cli import app

PYTHON = sys.executable
# What must never reach a terminal from data: C0 controls but tab and newline, DEL, C1.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The styles Rich itself writes when colour is forced (bold, dim, italic, colours, reset).
SGR = re.compile(r"\x1b\[[0-9;]*m")

_runner = CliRunner()


def cli(
    *args: str,
    env: dict[str, str] | None = None,
    color: bool = False,
    input: str | None = None,
) -> Any:
    """The real CLI in-process, catching what escapes: `.exception` is then not SystemExit.

    `color=True` is how click behaves on a terminal: it stops stripping ANSI sequences from
    what `typer.echo` writes, so anything raw in the data shows up.
    """
    return _runner.invoke(app, list(args), env=env, color=color, input=input)


def escaped(result: Any) -> BaseException | None:
    """The exception that escaped the CLI (a traceback for a user), or None."""
    exc = result.exception
    return None if exc is None or isinstance(exc, SystemExit) else exc


def error_line(stderr: str) -> str:
    """stderr must be exactly one `Error: ...` line, no traceback; return it."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got {lines!r}"
    assert lines[0].startswith("Error: "), lines[0]
    return lines[0]


def warning_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got {lines!r}"
    assert lines[0].startswith("Warning: "), lines[0]
    return lines[0]


def run_papertrail(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m papertrail ...` in a fresh interpreter, with the test's environment."""
    return subprocess.run(
        [PYTHON, "-m", "papertrail", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


# -- reading lists ------------------------------------------------------------------------


def arxiv_id(n: int) -> str:
    """A distinct, valid new-style arXiv id for every n < 12 * 90000."""
    return f"19{n // 90000 + 1:02d}.{n % 90000 + 10000:05d}"


def big_json(path: Path, count: int, *, start: int = 0, topics: int = 50) -> Path:
    papers = [
        {
            "arxiv_id": arxiv_id(start + i),
            "title": f"Paper {start + i} on quantization, pruning and distillation",
            "authors": [f"Author {start + i}", "B. Coauthor"],
            "abstract": "An abstract that is long enough to look like one. " * 4,
            "year": 2000 + i % 25,
            "topics": [f"topic-{i % topics}"],
            "note": f"note {start + i}",
        }
        for i in range(count)
    ]
    document = {
        "format": "papertrail",
        "version": 1,
        "topics": [{"slug": f"topic-{k}", "parent": None} for k in range(topics)],
        "papers": papers,
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def big_markdown(path: Path, count: int, *, start: int = 0, topics: int = 50) -> Path:
    lines = ["# Reading list", ""]
    for k in range(topics):
        lines += ["", f"## Topic {k}", ""]
        for i in range(k, count, topics):
            n = start + i
            lines.append(
                f"- [ ] [Paper {n} on quantization](https://arxiv.org/abs/{arxiv_id(n)})"
                f" — Author {n} (2020)"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def markdown_importer_available() -> bool:
    try:
        import papertrail.importers.markdown  # noqa: F401
    except ImportError:
        return False
    return True


# -- databases ----------------------------------------------------------------------------


def is_postgres(db: str) -> bool:
    return db.startswith(("postgresql:", "postgresql+", "postgres:"))


def libpq(url: str) -> str:
    return "postgresql:" + url.split(":", 1)[1]


def raw_rows(db: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows straight from the database, bypassing papertrail (which may refuse to open it)."""
    if is_postgres(db):
        import psycopg

        with psycopg.connect(libpq(db), autocommit=True) as connection:
            return [tuple(row) for row in connection.execute(sql).fetchall()]
    connection = sqlite3.connect(db)
    try:
        return [tuple(row) for row in connection.execute(sql).fetchall()]
    finally:
        connection.close()


def raw_execute(db: str, sql: str, params: tuple[Any, ...] = ()) -> None:
    """Run one statement on the library's database directly (`?` placeholders)."""
    if is_postgres(db):
        import psycopg

        with psycopg.connect(libpq(db), autocommit=True) as connection:
            connection.execute(sql.replace("?", "%s"), params)
        return
    connection = sqlite3.connect(db)
    try:
        connection.execute(sql, params)
        connection.commit()
    finally:
        connection.close()


def raw_dump(db: str) -> dict[str, list[tuple[Any, ...]]]:
    tables = ("alembic_version", "paper", "topic", "paper_topic", "import_log")
    return {t: sorted(raw_rows(db, f"SELECT * FROM {t}"), key=repr) for t in tables}


def paper_count(db: str) -> int:
    return int(raw_rows(db, "SELECT count(*) FROM paper")[0][0])


def checkpoint(db: str) -> None:
    """Fold the WAL into the main file, so that the file's bytes are the whole library."""
    connection = sqlite3.connect(db)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/query"


# -- private mounts -----------------------------------------------------------------------


@functools.cache
def private_mount_command() -> list[str] | None:
    """A command prefix that runs a program in its own mount namespace, where it may mount
    a tmpfs (tiny, or read-only) that nobody else sees and that vanishes with it.

    As root this is the only honest way to make a directory unwritable or a disk full.
    """
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    candidates = [[unshare, "--mount", "--propagation", "private"]]
    if os.geteuid() != 0:
        candidates = [[unshare, "--map-root-user", "--mount", "--propagation", "private"]]
    for prefix in candidates:
        probe = subprocess.run(
            [*prefix, "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null || "
             "mount -t tmpfs -o size=64k tmpfs /tmp"],
            capture_output=True, timeout=30,
        )  # fmt: skip
        if probe.returncode == 0:
            return prefix
    return None


def in_private_mount(script: str, *args: str, timeout: float = 120) -> dict[str, Any]:
    """Run a Python script in a private mount namespace; it prints one JSON document."""
    prefix = private_mount_command()
    assert prefix is not None
    completed = subprocess.run(
        [*prefix, PYTHON, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ),
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)  # type: ignore[no-any-return]

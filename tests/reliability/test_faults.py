"""Faults: a process killed mid-import, a network that misbehaves in every way we know,
and disks that refuse to be written."""

from __future__ import annotations

import errno
import itertools
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.helpers import (
    PYTHON,
    big_json,
    big_markdown,
    checkpoint,
    cli,
    closed_port_url,
    error_line,
    escaped,
    in_private_mount,
    markdown_importer_available,
    paper_count,
    private_mount_command,
    raw_dump,
    raw_execute,
    raw_rows,
    run_papertrail,
    warning_line,
)
from tests.support.arxiv_stub import ArxivStub, atom_feed, echo_papers, error_feed
from tests.support.cli import as_json, ok
from tests.support.postgres import PostgresServer

# ------------------------------------------------------------------------ kill -9


def sqlite_is_writing(db: str) -> bool:
    """Whether another connection holds SQLite's write lock (a write transaction is open)."""
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            return True
        raise
    finally:
        probe.close()


def postgres_is_writing(url: str) -> bool:
    """Whether another session of this database has an open transaction that has written."""
    rows = raw_rows(
        url,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()",
    )
    return int(rows[0][0]) > 0


@dataclass
class Kill:
    outcome: str  # "none" or "all" of the import in the library afterwards
    mid_transaction: bool  # the write transaction was open when SIGKILL was sent


def kill_import_midway(
    db: str, source: Path, delay: float, is_writing: Callable[[str], bool]
) -> Kill:
    """Start `papertrail import`, wait until its transaction has begun (and `delay` more),
    then SIGKILL it."""
    process = subprocess.Popen(
        [PYTHON, "-m", "papertrail", "--db", db, "import", str(source)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 40
        while not is_writing(db):
            assert process.poll() is None, "the import ended before its transaction was seen"
            assert time.monotonic() < deadline, "the import never began writing"
            time.sleep(0.002)
        time.sleep(delay)
        mid = process.poll() is None and is_writing(db)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return Kill(outcome="", mid_transaction=mid)


def import_source(kind: str, tmp_path: Path) -> Path:
    if kind == "markdown":
        if not markdown_importer_available():
            pytest.skip("papertrail.importers.markdown is not there yet (being written)")
        return big_markdown(tmp_path / "big.md", 10_000)
    return big_json(tmp_path / "big.json", 10_000)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["json", "markdown"])
def test_kill_9_in_the_middle_of_a_10000_paper_import_sqlite(kind: str, tmp_path: Path) -> None:
    source = import_source(kind, tmp_path)
    seed = tmp_path / "seed.db"
    ok("--db", str(seed), "add", "--no-fetch", "1510.00149", "1602.01528", "1706.03762")
    checkpoint(str(seed))
    before = raw_dump(str(seed))
    kills: list[Kill] = []
    for n, delay in enumerate((0.0, 0.15)):
        db = tmp_path / f"killed-{n}.db"
        shutil.copyfile(seed, db)
        kill = kill_import_midway(str(db), source, delay, sqlite_is_writing)
        assert raw_rows(str(db), "PRAGMA integrity_check") == [("ok",)]
        assert raw_rows(str(db), "PRAGMA foreign_key_check") == []
        count = paper_count(str(db))
        assert count in (3, 10_003), f"half an import survived: {count} papers"
        kill.outcome = "none" if count == 3 else "all"
        if count == 3:
            assert raw_dump(str(db)) == before
        kills.append(kill)

        again = run_papertrail("--db", str(db), "import", str(source))
        assert again.returncode == 0, again.stderr
        assert paper_count(str(db)) == 10_003
        assert raw_rows(str(db), "PRAGMA integrity_check") == [("ok",)]
        assert len(as_json("--db", str(db), "list", "--status", "unread")) == 10_003
    print(f"\n[kill -9/sqlite/{kind}] {[(k.outcome, k.mid_transaction) for k in kills]}")
    assert any(k.mid_transaction for k in kills), "no kill landed inside the transaction"


@pytest.mark.slow
def test_kill_9_in_the_middle_of_an_import_postgresql(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    source = big_json(tmp_path / "big.json", 10_000)
    kills: list[Kill] = []
    for delay in (0.0, 0.5):
        url = postgres_server.new_database()
        try:
            ok("--db", url, "add", "--no-fetch", "1510.00149", "1602.01528", "1706.03762")
            before = raw_dump(url)
            kill = kill_import_midway(url, source, delay, postgres_is_writing)
            # The server rolls back when it notices the client is gone.
            deadline = time.monotonic() + 20
            while postgres_is_writing(url) and time.monotonic() < deadline:
                time.sleep(0.05)
            count = paper_count(url)
            assert count in (3, 10_003), f"half an import survived: {count} papers"
            kill.outcome = "none" if count == 3 else "all"
            if count == 3:
                assert raw_dump(url) == before
            kills.append(kill)
            again = run_papertrail("--db", url, "import", str(source), timeout=90)
            assert again.returncode == 0, again.stderr
            assert paper_count(url) == 10_003
        finally:
            postgres_server.drop_database(url)
    print(f"\n[kill -9/postgresql] {[(k.outcome, k.mid_transaction) for k in kills]}")
    assert any(k.mid_transaction for k in kills)


# ------------------------------------------------------------------------ network

PAPER = "2101.00001"
FEED = atom_feed([{"id": PAPER, "title": "A good title"}])
HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head>"
    b"<body><h1>Service Unavailable</h1><p>Try again later.</p></body></html>"
)
RSS = (
    b"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title>"
    b"<item><title>y</title></item></channel></rss>"
)


@dataclass(frozen=True)
class Fault:
    name: str
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    mode: str = "normal"
    says: str = ""  # part of the one-line message
    attempts: int = 4  # requests the client makes before giving up

    def inject(self, stub: ArxivStub) -> None:
        stub.queue(self.status, self.body, dict(self.headers), mode=self.mode, times=10)  # type: ignore[arg-type]


FAULTS = [
    Fault("html-error-page", 200, HTML_PAGE, (("Content-Type", "text/html"),),
          says="unreadable response"),
    Fault("empty-body", 200, b"", says="empty body"),
    Fault("cut-mid-xml", 200, FEED, mode="cut",
          says="connection closed before the response was complete"),
    Fault("truncated-xml", 200, FEED[: len(FEED) // 2], says="malformed XML"),
    Fault("dropped-without-answer", mode="drop", says="connection closed"),
    Fault("accepts-never-answers", mode="hang", says="did not answer"),
    Fault("http-503-retry-after", 503, b"busy", (("Retry-After", "0"),), says="HTTP 503"),
    Fault("http-429-retry-after", 429, b"slow down", (("Retry-After", "0"),), says="HTTP 429"),
    Fault("http-500", 500, b"oops", (("Content-Type", "text/plain"),), says="HTTP 500"),
    Fault("http-403-not-retried", 403, b"Forbidden", says="HTTP 403", attempts=1),
    Fault("binary-garbage", 200, bytes(range(256)) * 16, says="unreadable response"),
    Fault("latin-1-body", 200, FEED.replace(b"A good title", "Café".encode("latin-1")),
          says="not UTF-8"),
    Fault("rss-not-atom", 200, RSS, says="not an Atom feed"),
]  # fmt: skip


def pending(ref: str) -> bool:
    paper = as_json("show", ref)
    return paper["title"] is None and paper["published"] is None


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_add_keeps_the_paper_pending_on_every_network_fault(arxiv: ArxivStub, fault: Fault) -> None:
    fault.inject(arxiv)
    result = cli("add", PAPER, "-t", "to-read")
    assert escaped(result) is None
    assert result.exit_code == 0
    assert re.search(rf"Added \[1\] {PAPER}\s+\(metadata pending\)", result.stdout)
    line = warning_line(result.stderr)
    assert fault.says in line and "run `papertrail fetch` later" in line
    assert len(arxiv.requests) == fault.attempts
    assert pending(PAPER) and as_json("show", PAPER)["topics"] == ["to-read"]
    # arXiv is back: fetch completes the paper.
    arxiv._replies.clear()
    arxiv.respond_with(echo_papers)
    assert "Fetched metadata for 1 of 1" in ok("fetch")
    assert as_json("show", PAPER)["title"] == f"Paper {PAPER}"


FETCH_IDS = ["2101.00001", "2101.00002", "2101.00003", "2101.00004"]


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_fetch_keeps_finished_batches_and_can_run_again(
    arxiv: ArxivStub, fault: Fault, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERTRAIL_ARXIV_BATCH", "2")
    ok("add", "--no-fetch", *FETCH_IDS)
    arxiv.queue(200, atom_feed([{"id": i} for i in FETCH_IDS[:2]]))
    fault.inject(arxiv)
    result = cli("fetch")
    assert escaped(result) is None
    assert result.exit_code == 3
    assert "Fetched metadata for 2 of 4 paper(s)." in result.stdout
    line = error_line(result.stderr)
    assert fault.says in line and "2 paper(s) still pending" in line
    assert len(arxiv.requests) == 1 + fault.attempts
    assert [pending(i) for i in FETCH_IDS] == [False, False, True, True]

    arxiv._replies.clear()
    arxiv.respond_with(echo_papers)
    before = len(arxiv.requests)
    assert "Fetched metadata for 2 of 2" in ok("fetch")
    assert [r.ids for r in arxiv.requests[before:]] == [FETCH_IDS[2:]]
    assert not any(pending(i) for i in FETCH_IDS)


@pytest.mark.parametrize(
    ("where", "says"),
    [
        (closed_port_url, "connection refused"),
        (lambda: "http://papertrail-test.invalid/api/query", "could not resolve"),
    ],
    ids=["connection-refused", "dns-failure"],
)
def test_unreachable_arxiv_through_add_and_fetch(
    where: Callable[[], str], says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERTRAIL_ARXIV_API", where())
    monkeypatch.delenv("PAPERTRAIL_OFFLINE")
    result = cli("add", PAPER)
    assert escaped(result) is None and result.exit_code == 0
    line = warning_line(result.stderr)
    assert says in line and "(4 attempts)" in line
    assert pending(PAPER)
    fetched = cli("fetch")
    assert escaped(fetched) is None and fetched.exit_code == 3
    assert says in error_line(fetched.stderr)
    assert pending(PAPER)


def test_a_server_that_never_answers_times_out(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PAPERTRAIL_ARXIV_TIMEOUT bounds each attempt (30 s by default)."""
    monkeypatch.setenv("PAPERTRAIL_ARXIV_TIMEOUT", "0.4")
    arxiv.hang_seconds = 5
    arxiv.queue(mode="hang", times=10)
    result = cli("add", PAPER)
    assert escaped(result) is None and result.exit_code == 0
    # The message says the client gave up, rather than the stub hanging up after 5 s.
    assert "no response within 0.4 s (4 attempts)" in warning_line(result.stderr)
    assert len(arxiv.requests) == 4
    assert pending(PAPER)


def test_error_entry_in_a_200_feed_is_a_message_never_a_paper(arxiv: ArxivStub) -> None:
    arxiv.queue(200, error_feed(PAPER))
    result = cli("add", PAPER)
    assert escaped(result) is None and result.exit_code == 1
    line = error_line(result.stderr)
    assert PAPER in line and "arXiv says" in line
    assert all(p["title"] != "Error" for p in as_json("list"))
    assert len(arxiv.requests) == 1


def test_error_entry_in_a_batch_keeps_the_others(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERTRAIL_ARXIV_BATCH", "2")
    ok("add", "--no-fetch", *FETCH_IDS)
    arxiv.queue(200, error_feed(FETCH_IDS[0]))
    arxiv.respond_with(echo_papers)
    result = cli("fetch")
    assert escaped(result) is None and result.exit_code == 1
    assert "Fetched metadata for 3 of 4" in result.stdout
    assert FETCH_IDS[0] in error_line(result.stderr)
    assert [pending(i) for i in FETCH_IDS] == [True, False, False, False]
    assert all(p["title"] != "Error" for p in as_json("list"))


def gaps(stub: ArxivStub) -> list[float]:
    times = [r.time for r in stub.requests]
    return [b - a for a, b in itertools.pairwise(times)]


def test_retry_after_is_respected_and_bounded(arxiv: ArxivStub) -> None:
    arxiv.queue(503, b"busy", {"Retry-After": "1"}, times=2)
    arxiv.respond_with(echo_papers)
    ok("add", PAPER)
    assert not pending(PAPER)
    assert len(arxiv.requests) == 3
    assert all(g >= 0.95 for g in gaps(arxiv)), gaps(arxiv)


def test_429_asking_for_an_hour_gives_up_at_once(arxiv: ArxivStub) -> None:
    arxiv.queue(429, b"slow down", {"Retry-After": "3600"}, times=10)
    result = cli("add", PAPER)  # waiting an hour would hit pytest's timeout
    assert escaped(result) is None and result.exit_code == 0
    assert "asked to wait 3600 s" in warning_line(result.stderr)
    assert len(arxiv.requests) == 1
    assert pending(PAPER)


def test_delay_spaces_batches_and_retries(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERTRAIL_ARXIV_DELAY", "0.2")
    monkeypatch.setenv("PAPERTRAIL_ARXIV_BATCH", "2")
    ids = [f"2101.0000{n}" for n in range(1, 7)]
    ok("add", "--no-fetch", *ids)
    arxiv.queue(503, b"busy", times=2)  # no Retry-After: backoff of 0.2 s, then 0.4 s
    arxiv.respond_with(echo_papers)
    assert "Fetched metadata for 6 of 6" in ok("fetch")
    spacing = gaps(arxiv)
    print(f"\n[spacing] delay 0.2 s, gaps at the stub: {[round(g, 3) for g in spacing]}")
    assert len(arxiv.requests) == 5
    assert all(g >= 0.19 for g in spacing), spacing
    assert spacing[1] >= 0.38, spacing  # the second retry waits twice the delay


def test_delay_holds_across_papertrail_processes(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERTRAIL_ARXIV_DELAY", "1")
    arxiv.respond_with(echo_papers)
    processes = [
        subprocess.Popen(
            [PYTHON, "-m", "papertrail", "add", ref],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(os.environ),
        )
        for ref in ("2101.00001", "2101.00002")
    ]
    for process in processes:
        process.wait(timeout=60)
        assert process.returncode == 0
    assert len(arxiv.requests) == 2
    assert gaps(arxiv)[0] >= 0.95, gaps(arxiv)


# ------------------------------------------------------------------------ disks


def assert_refused(result: Any, code: int = 4) -> str:
    assert escaped(result) is None, repr(escaped(result))
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return error_line(result.stderr)


WRITE_COMMANDS = [
    ["add", "--no-fetch", "1706.03762"],
    ["add", "--title", "Manual", "--url", "https://e.org/p"],
    ["import", "LIBRARY_JSON"],
]
READ_COMMANDS = [["list"], ["stats"], ["topics"], ["export", "--format", "csv"]]


@pytest.fixture
def library_json(tmp_path: Path) -> Path:
    return big_json(tmp_path / "library.json", 3)


def commands(args: list[str], library_json: Path) -> list[str]:
    return [str(library_json) if a == "LIBRARY_JSON" else a for a in args]


def test_database_path_under_a_regular_file(tmp_path: Path, library_json: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("I am a file, not a directory\n")
    db = blocker / "sub" / "library.db"
    for args in WRITE_COMMANDS + READ_COMMANDS:
        line = assert_refused(cli("--db", str(db), *commands(args, library_json)))
        assert "cannot open the database" in line and str(db) in line
    assert blocker.read_text() == "I am a file, not a directory\n"


def test_database_path_under_proc(library_json: Path) -> None:
    db = "/proc/papertrail-reliability/library.db"
    for args in WRITE_COMMANDS + READ_COMMANDS:
        assert db in assert_refused(cli("--db", db, *commands(args, library_json)))
    assert not Path(db).parent.exists()


def test_database_path_that_is_a_directory(tmp_path: Path, library_json: Path) -> None:
    for args in WRITE_COMMANDS + READ_COMMANDS:
        line = assert_refused(cli("--db", str(tmp_path), *commands(args, library_json)))
        assert "is a directory" in line


@pytest.mark.skipif(
    os.geteuid() == 0,
    reason="root ignores permission bits; the read-only mount test covers this case as root",
)
def test_directory_without_write_permission(tmp_path: Path, library_json: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    existing = locked / "existing.db"
    ok("--db", str(existing), "add", "--no-fetch", "1510.00149")
    checkpoint(str(existing))
    before = existing.read_bytes()
    locked.chmod(0o500)
    try:
        for args in WRITE_COMMANDS:
            assert_refused(cli("--db", str(locked / "new.db"), *commands(args, library_json)))
            assert_refused(cli("--db", str(existing), *commands(args, library_json)))
        assert not (locked / "new.db").exists()
    finally:
        locked.chmod(0o700)
    assert existing.read_bytes() == before


needs_private_mount = pytest.mark.skipif(
    private_mount_command() is None,
    reason="cannot mount a private tmpfs here (`unshare --mount` unavailable or not permitted)",
)

READ_ONLY_SCRIPT = r"""
import json, os, sqlite3, subprocess, sys
mount, library_json = sys.argv[1], sys.argv[2]
def pt(*args):
    r = subprocess.run([sys.executable, "-m", "papertrail", *args], capture_output=True, text=True)
    return {"args": list(args), "code": r.returncode, "stdout": r.stdout, "stderr": r.stderr}
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount], check=True)
db = os.path.join(mount, "library.db")
setup = pt("--db", db, "add", "--no-fetch", "1510.00149", "1602.01528")
connection = sqlite3.connect(db)
connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
connection.close()
before = open(db, "rb").read()
subprocess.run(["mount", "-o", "remount,ro", mount], check=True)
runs = []
for args in (["add", "--no-fetch", "1706.03762"], ["mark-read", "1"], ["note", "1", "x"],
             ["import", library_json], ["list"], ["show", "1"]):
    runs.append(pt("--db", db, *args))
for name in ("new.db", "sub/new.db"):
    runs.append(pt("--db", os.path.join(mount, name), "add", "--no-fetch", "1706.03762"))
print(json.dumps({"setup": setup, "runs": runs, "unchanged": open(db, "rb").read() == before,
                  "files": sorted(os.listdir(mount))}))
"""


@needs_private_mount
def test_read_only_filesystem(tmp_path: Path, library_json: Path) -> None:
    mount = tmp_path / "mnt"
    mount.mkdir()
    report = in_private_mount(READ_ONLY_SCRIPT, str(mount), str(library_json))
    assert report["setup"]["code"] == 0, report["setup"]
    for run in report["runs"]:
        assert run["code"] == 4, run
        line = error_line(run["stderr"])
        assert "database" in line, line
    assert report["unchanged"]
    assert report["files"] == ["library.db"]


DISK_FULL_SCRIPT = r"""
import json, os, sqlite3, subprocess, sys
mount, big = sys.argv[1], sys.argv[2]
def pt(*args):
    r = subprocess.run([sys.executable, "-m", "papertrail", *args], capture_output=True, text=True)
    return {"args": list(args), "code": r.returncode, "stdout": r.stdout, "stderr": r.stderr}
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount], check=True)
db = os.path.join(mount, "library.db")
setup = pt("--db", db, "add", "--no-fetch", "1510.00149", "1602.01528", "-t", "seed")
def rows(sql):
    connection = sqlite3.connect(db)
    try:
        return [list(r) for r in connection.execute(sql).fetchall()]
    finally:
        connection.close()
before = rows("SELECT * FROM paper ORDER BY id")
full = pt("--db", db, "import", big)
after = pt("--db", db, "list", "--json")
print(json.dumps({"setup": setup, "import": full, "list": after,
                  "integrity": rows("PRAGMA integrity_check"),
                  "unchanged": rows("SELECT * FROM paper ORDER BY id") == before}))
"""


@pytest.fixture(scope="module")
def disk_full_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if private_mount_command() is None:
        pytest.skip("cannot mount a private tmpfs here (`unshare --mount` unavailable)")
    base = tmp_path_factory.mktemp("disk-full")
    (base / "mnt").mkdir()
    big = big_json(base / "big.json", 10_000)
    return in_private_mount(DISK_FULL_SCRIPT, str(base / "mnt"), str(big))


def test_disk_full_during_import_leaves_the_library_intact(
    disk_full_report: dict[str, Any],
) -> None:
    report = disk_full_report
    assert report["setup"]["code"] == 0, report["setup"]
    assert report["import"]["code"] == 4, report["import"]
    error_line(report["import"]["stderr"])
    assert report["integrity"] == [["ok"]]
    assert report["unchanged"]
    assert report["list"]["code"] == 0 and report["list"]["stdout"].count('"arxiv_id"') == 2


def test_disk_full_during_import_says_the_disk_is_full(disk_full_report: dict[str, Any]) -> None:
    line = error_line(disk_full_report["import"]["stderr"])
    assert "database or disk is full" in line, line


EXPORT_FULL_SCRIPT = r"""
import json, os, subprocess, sys
mount, db = sys.argv[1], sys.argv[2]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount], check=True)
target = os.path.join(mount, "export.out")
with open(target, "w") as handle:
    handle.write("the previous export\n")
runs = []
for fmt in ("json", "csv", "bibtex", "markdown"):
    r = subprocess.run([sys.executable, "-m", "papertrail", "--db", db, "export", "--format", fmt,
                        "--output", target], capture_output=True, text=True)
    runs.append({"format": fmt, "code": r.returncode, "stderr": r.stderr,
                 "files": sorted(os.listdir(mount)), "target": open(target).read()})
print(json.dumps(runs))
"""


@needs_private_mount
@pytest.mark.slow
def test_disk_full_on_export_for_real(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    ok("--db", str(db), "import", str(big_json(tmp_path / "big.json", 2_000)))
    (tmp_path / "mnt").mkdir()
    runs = in_private_mount(EXPORT_FULL_SCRIPT, str(tmp_path / "mnt"), str(db))
    for run in runs:
        assert run["code"] == 1, run
        assert "No space left on device" in error_line(run["stderr"])
        assert run["files"] == ["export.out"], run["files"]  # no half-written temporary
        assert run["target"] == "the previous export\n"


class FullDisk:
    """A file that takes `budget` characters, then fails as a full disk does."""

    def __init__(self, real: Any, budget: int) -> None:
        self._real = real
        self._budget = budget

    def write(self, text: str) -> int:
        if len(text) > self._budget:
            self._real.write(text[: self._budget])
            self._budget = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._budget -= len(text)
        return int(self._real.write(text))

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def __enter__(self) -> FullDisk:
        self._real.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._real.__exit__(*exc)


@pytest.fixture
def exported_library(tmp_path: Path) -> Iterator[Path]:
    ok("import", str(big_json(tmp_path / "big.json", 300)))
    out = tmp_path / "out"
    out.mkdir()
    target = out / "export.txt"
    target.write_text("the previous export\n")
    yield target


@pytest.mark.parametrize("fmt", ["json", "csv", "bibtex", "markdown"])
@pytest.mark.parametrize("where", ["write", "fsync", "rename"])
def test_export_failing_halfway_leaves_no_half_file(
    exported_library: Path, fmt: str, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    import papertrail.exporters as exporters

    target = exported_library
    if where == "write":
        real = tempfile.NamedTemporaryFile
        monkeypatch.setattr(
            exporters.tempfile,
            "NamedTemporaryFile",
            lambda *a, **k: FullDisk(real(*a, **k), budget=5_000),
        )
    elif where == "fsync":

        def fsync(fd: int) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(exporters.os, "fsync", fsync)
    else:

        def replace(src: str, dst: str) -> None:
            raise OSError(errno.EIO, os.strerror(errno.EIO))

        monkeypatch.setattr(exporters.os, "replace", replace)
    result = cli("export", "--format", fmt, "--output", str(target))
    line = assert_refused(result, code=1)
    assert str(target) in line
    assert sorted(p.name for p in target.parent.iterdir()) == ["export.txt"]
    assert target.read_text() == "the previous export\n"


# ------------------------------------------------------------------------ bad databases

ALL_COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["show", "1"],
    ["stats"],
    ["topics"],
    ["add", "--no-fetch", "1706.03762"],
    ["mark-read", "1"],
    ["tag", "1", "x"],
    ["note", "1", "x"],
    ["import", "LIBRARY_JSON"],
    ["export", "--format", "json"],
    ["fetch"],
    ["db", "upgrade"],
]


def test_a_file_that_is_not_a_sqlite_database(tmp_path: Path, library_json: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a SQLite database\n" * 200)
    before = junk.read_bytes()
    for args in ALL_COMMANDS:
        line = assert_refused(cli("--db", str(junk), *commands(args, library_json)))
        assert "not a papertrail database" in line
    assert junk.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("junk")) == ["junk.db"]


def test_a_sqlite_database_of_another_program(tmp_path: Path, library_json: Path) -> None:
    other = tmp_path / "other.db"
    raw_execute(str(other), "CREATE TABLE paper (id INTEGER PRIMARY KEY, anything TEXT)")
    before = other.read_bytes()
    for args in ALL_COMMANDS:
        line = assert_refused(cli("--db", str(other), *commands(args, library_json)))
        assert "not a papertrail library" in line
    assert other.read_bytes() == before


@pytest.fixture(scope="module")
def damaged_libraries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A 5000-paper library, damaged three ways a bad disk or a bad copy leaves one."""
    base = tmp_path_factory.mktemp("damaged")
    db = base / "template.db"
    result = run_papertrail("--db", str(db), "import", str(big_json(base / "big.json", 5_000)))
    assert result.returncode == 0, result.stderr
    checkpoint(str(db))
    data = db.read_bytes()
    page = 4096
    pages = len(data) // page
    middle = bytearray(data)
    for n in range(pages // 3, 2 * pages // 3, 2):
        middle[n * page + 64 : n * page + 512] = bytes((n * 7 + i) % 256 for i in range(448))
    first_page = bytearray(data)
    first_page[100:page] = b"\xff" * (page - 100)
    damaged = {
        "pages-overwritten-midway": bytes(middle),
        "truncated-to-half": data[: len(data) // 2],
        "first-page-overwritten": bytes(first_page),
    }
    paths = {}
    for name, content in damaged.items():
        paths[name] = base / f"{name}.db"
        paths[name].write_bytes(content)
    return paths


DAMAGE_COMMANDS = [
    *ALL_COMMANDS,
    ["list", "--search", "quantization"],
    ["list", "--topic", "topic-3"],
    ["remove", "1", "--yes"],
]


def run_on_damaged(template: Path, tmp_path: Path, library_json: Path) -> dict[str, Any]:
    """Every command on a fresh copy of a damaged library: what escaped, by command."""
    escapes: dict[str, Any] = {}
    for args in DAMAGE_COMMANDS:
        db = tmp_path / "damaged.db"
        for leftover in (db, tmp_path / "damaged.db-wal", tmp_path / "damaged.db-shm"):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(template, db)
        result = cli("--db", str(db), *commands(args, library_json))
        if escaped(result) is not None:
            escapes[" ".join(args[:2])] = escaped(result)
            continue
        if result.exit_code != 0:
            assert result.exit_code in (1, 3, 4), (args, result.exit_code)
            error_line(result.stderr)
    return escapes


@pytest.mark.parametrize("damage", ["truncated-to-half", "first-page-overwritten"])
def test_a_damaged_library_gives_a_one_line_error(
    damaged_libraries: dict[str, Path], damage: str, tmp_path: Path, library_json: Path
) -> None:
    escapes = run_on_damaged(damaged_libraries[damage], tmp_path, library_json)
    assert escapes == {}


def test_a_library_with_damaged_pages_never_shows_a_traceback(
    damaged_libraries: dict[str, Path], tmp_path: Path, library_json: Path
) -> None:
    escapes = run_on_damaged(damaged_libraries["pages-overwritten-midway"], tmp_path, library_json)
    print(f"\n[damaged pages] escaped as tracebacks: {sorted(escapes)}")
    assert escapes == {}


NEWER = "9999_from_the_future"


def test_a_library_from_a_newer_papertrail_is_refused_untouched(
    tmp_path: Path, library_json: Path
) -> None:
    db = tmp_path / "newer.db"
    ok("--db", str(db), "add", "--no-fetch", "1510.00149", "-t", "t")
    raw_execute(str(db), f"UPDATE alembic_version SET version_num = '{NEWER}'")
    checkpoint(str(db))
    before = db.read_bytes()
    for args in ALL_COMMANDS:
        line = assert_refused(cli("--db", str(db), *commands(args, library_json)))
        assert "written by a newer papertrail" in line and NEWER in line
    status = cli("--db", str(db), "db", "status")
    assert status.exit_code == 0 and "newer than this papertrail" in status.stdout
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("newer")) == [
        "newer.db"
    ]  # no backup, no WAL left behind


def test_a_postgresql_library_from_a_newer_papertrail_is_refused_untouched(
    postgres_server: PostgresServer, library_json: Path
) -> None:
    url = postgres_server.new_database()
    try:
        ok("--db", url, "add", "--no-fetch", "1510.00149", "-t", "t")
        raw_execute(url, f"UPDATE alembic_version SET version_num = '{NEWER}'")
        before = raw_dump(url)
        for args in ALL_COMMANDS:
            line = assert_refused(cli("--db", url, *commands(args, library_json)))
            assert "written by a newer papertrail" in line
        assert raw_dump(url) == before
    finally:
        postgres_server.drop_database(url)

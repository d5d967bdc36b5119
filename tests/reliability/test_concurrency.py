"""Load and concurrency: many papertrail processes writing one library at once, and readers
that must see a whole import or none of it.

Each worker is a real process running the real CLI (`papertrail.cli.app`) through typer's
CliRunner, one invoke per command: every command opens the library, works, and closes it,
exactly as `papertrail ...` does from a shell, without paying an interpreter start-up per
command.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from papertrail.db.migrations import HEAD
from tests.reliability.helpers import big_json, paper_count, raw_rows, run_papertrail
from tests.support.cli import as_json, ok
from tests.support.postgres import PostgresServer

WORKERS = 8
COMMANDS_PER_WORKER = 50
PAPERS_PER_WORKER = 12  # add, tag, mark-read, note each: 48 commands, plus 2 on a shared paper
SHARED = "2012.00001"

WORKER = r"""
import json, sys, time
from typer.testing import CliRunner
from papertrail.cli import app

db, plan_file = sys.argv[1], sys.argv[2]
plan = json.loads(open(plan_file, encoding="utf-8").read())
runner = CliRunner()
print("ready", flush=True)
sys.stdin.readline()  # everyone starts together
results = []
started = time.monotonic()
for args in plan:
    result = runner.invoke(app, ["--db", db, *args])
    escaped = result.exception
    if isinstance(escaped, SystemExit):
        escaped = None
    results.append({
        "args": args, "code": result.exit_code, "stderr": result.stderr[-500:],
        "exception": repr(escaped) if escaped is not None else None,
    })
print(json.dumps({"elapsed": time.monotonic() - started, "results": results}), flush=True)
"""

READER = r"""
import json, os, sys, time
from typer.testing import CliRunner
from papertrail.cli import app

db, stop_file = sys.argv[1], sys.argv[2]
runner = CliRunner()
print("ready", flush=True)
reads = []
while True:
    last = os.path.exists(stop_file)
    start = time.time()
    result = runner.invoke(app, ["--db", db, "list", "--json"])
    end = time.time()
    try:
        count = len(json.loads(result.stdout))
    except ValueError:
        count = None
    reads.append({"start": start, "end": end, "code": result.exit_code, "count": count,
                  "stderr": result.stderr[-300:]})
    if last:
        break
print(json.dumps(reads), flush=True)
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A library every worker process opens by its --db value; its schema not yet created."""
    if request.param == "sqlite":
        yield str(tmp_path / "shared.db")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.new_database()
    try:
        yield url
    finally:
        server.drop_database(url)


def worker_plan(worker: int) -> list[list[str]]:
    """50 mixed commands: a pipeline over this worker's papers (add k, tag k-1, mark-read
    k-2, note k-3), and two writes to a paper every worker touches."""
    ids = [f"21{worker + 1:02d}.{k:05d}" for k in range(PAPERS_PER_WORKER)]
    plan: list[list[str]] = []
    for step in range(PAPERS_PER_WORKER + 3):
        if step < len(ids):
            plan.append(["add", "--no-fetch", ids[step], "-t", "batch"])
        if 0 <= step - 1 < len(ids):
            plan.append(["tag", ids[step - 1], f"worker-{worker}"])
        if 0 <= step - 2 < len(ids):
            plan.append(["mark-read", ids[step - 2]])
        if 0 <= step - 3 < len(ids):
            plan.append(["note", ids[step - 3], "--replace", f"note {worker}/{step - 3}"])
    plan.insert(5, ["tag", SHARED, f"tagged-by-{worker}"])
    plan.insert(30, ["add", "--no-fetch", SHARED, "-t", f"added-by-{worker}"])
    assert len(plan) == COMMANDS_PER_WORKER
    return plan


def start_workers(script: str, argvs: list[list[str]], tmp_path: Path) -> list[subprocess.Popen]:
    path = tmp_path / "worker.py"
    path.write_text(script, encoding="utf-8")
    processes = [
        subprocess.Popen(
            [sys.executable, str(path), *argv],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in argvs
    ]
    for process in processes:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready", process.stderr
    return processes


def finish(process: subprocess.Popen, timeout: float) -> Any:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def run_workers(db: str, plans: list[list[list[str]]], tmp_path: Path) -> tuple[float, list[Any]]:
    argvs = []
    for n, plan in enumerate(plans):
        plan_file = tmp_path / f"plan-{n}.json"
        plan_file.write_text(json.dumps(plan), encoding="utf-8")
        argvs.append([db, str(plan_file)])
    processes = start_workers(WORKER, argvs, tmp_path)
    started = time.monotonic()
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    reports = [finish(process, timeout=90) for process in processes]
    return time.monotonic() - started, reports


def assert_every_command_succeeded(reports: list[Any]) -> int:
    failures = [
        (r["args"], r["code"], r["stderr"], r["exception"])
        for report in reports
        for r in report["results"]
        if r["code"] != 0 or r["exception"] is not None
    ]
    assert failures == [], f"{len(failures)} command(s) failed, first: {failures[:3]}"
    locked = [r for report in reports for r in report["results"] if "locked" in r["stderr"]]
    assert locked == []
    return sum(len(report["results"]) for report in reports)


@pytest.mark.slow
def test_eight_processes_fifty_mixed_writes_each_lose_nothing(
    shared_db: str, tmp_path: Path
) -> None:
    ok("--db", shared_db, "add", "--no-fetch", SHARED, "-t", "shared")
    plans = [worker_plan(w) for w in range(WORKERS)]

    elapsed, reports = run_workers(shared_db, plans, tmp_path)
    commands = assert_every_command_succeeded(reports)

    papers = {p["arxiv_id"]: p for p in as_json("--db", shared_db, "list")}
    expected_papers = 1 + WORKERS * PAPERS_PER_WORKER
    lost: list[str] = []
    links = reads = notes = 0
    for w in range(WORKERS):
        for k in range(PAPERS_PER_WORKER):
            paper = papers.get(f"21{w + 1:02d}.{k:05d}")
            if paper is None:
                lost.append(f"paper 21{w + 1:02d}.{k:05d}")
                continue
            for topic in ("batch", f"worker-{w}"):
                if topic in paper["topics"]:
                    links += 1
                else:
                    lost.append(f"topic {topic} of {paper['arxiv_id']}")
            if paper["status"] == "read" and paper["read_at"]:
                reads += 1
            else:
                lost.append(f"status of {paper['arxiv_id']}")
            if paper["note"] == f"note {w}/{k}":
                notes += 1
            else:
                lost.append(f"note of {paper['arxiv_id']}: {paper['note']!r}")
    shared_topics = set(papers[SHARED]["topics"])
    for w in range(WORKERS):
        for topic in (f"tagged-by-{w}", f"added-by-{w}"):
            if topic in shared_topics:
                links += 1
            else:
                lost.append(f"topic {topic} of the shared paper")
    expected_links = WORKERS * (PAPERS_PER_WORKER * 2 + 2)
    backend = "postgresql" if shared_db.startswith("postgresql") else "sqlite"
    slowest = max(report["elapsed"] for report in reports)
    print(
        f"\n[concurrency/{backend}] {WORKERS} processes x {COMMANDS_PER_WORKER} commands = "
        f"{commands} commands in {elapsed:.2f} s (slowest worker {slowest:.2f} s); "
        f"papers {len(papers)}/{expected_papers}, topic links {links}/{expected_links}, "
        f"read {reads}/{WORKERS * PAPERS_PER_WORKER}, notes {notes}/{WORKERS * PAPERS_PER_WORKER}; "
        f"writes lost = {len(lost)}"
    )
    assert lost == []
    assert len(papers) == expected_papers
    assert commands == WORKERS * COMMANDS_PER_WORKER


def test_eight_processes_creating_the_library_at_once(shared_db: str, tmp_path: Path) -> None:
    """First use races: every process finds no schema and wants to create it."""
    plans = [
        [["add", "--no-fetch", f"22{w + 1:02d}.00001", "-t", "first"], ["list", "--json"]]
        for w in range(WORKERS)
    ]
    _, reports = run_workers(shared_db, plans, tmp_path)
    assert_every_command_succeeded(reports)
    assert raw_rows(shared_db, "SELECT version_num FROM alembic_version") == [(HEAD,)]
    assert paper_count(shared_db) == WORKERS
    assert len(as_json("--db", shared_db, "list", "--topic", "first")) == WORKERS


@pytest.mark.slow
def test_a_reader_sees_the_whole_import_or_none_of_it(shared_db: str, tmp_path: Path) -> None:
    ok("--db", shared_db, "add", "--no-fetch", "1510.00149", "1602.01528", "1706.03762")
    before = 3
    big = big_json(tmp_path / "big.json", 10_000)
    after = before + 10_000
    stop = tmp_path / "stop"
    (reader,) = start_workers(READER, [[shared_db, str(stop)]], tmp_path)
    time.sleep(0.3)  # a few reads of the old library first

    import_start = time.time()
    imported = run_papertrail("--db", shared_db, "import", str(big), timeout=90)
    import_end = time.time()
    stop.touch()
    reads = finish(reader, timeout=60)

    assert imported.returncode == 0, imported.stderr
    assert "10000 added" in imported.stdout
    failed = [r for r in reads if r["code"] != 0]
    assert failed == [], failed[:3]
    counts = [r["count"] for r in reads]
    torn = sorted({c for c in counts if c not in (before, after)})
    during = [r for r in reads if r["end"] > import_start and r["start"] < import_end]
    print(
        f"\n[reader/{'postgresql' if shared_db.startswith('postgresql') else 'sqlite'}] "
        f"{len(reads)} reads ({len(during)} during the import of 10000 papers, "
        f"{import_end - import_start:.2f} s): saw {counts.count(before)} x {before}, "
        f"{counts.count(after)} x {after}, torn reads = {len(torn)}"
    )
    assert torn == []
    assert during, "no read overlapped the import: the test proved nothing"
    # Once the new library has been seen, the old one never comes back.
    first_after = counts.index(after)
    assert all(c == after for c in counts[first_after:])
    assert counts[0] == before and counts[-1] == after


def test_undos_at_once_take_turns_on_both_databases(shared_db: str, tmp_path: Path) -> None:
    """Four `undo`s started together undo the last four changes, one each, on PostgreSQL as
    on SQLite: none fails with a conflict it made up by undoing what another just undid."""
    for k in range(4):
        ok("--db", shared_db, "add", "--no-fetch", f"2201.{k:05d}")
    _, reports = run_workers(shared_db, [[["undo"]] for _ in range(4)], tmp_path)
    assert_every_command_succeeded(reports)
    assert as_json("--db", shared_db, "list") == []
    undone = {e["reverts"][0] for e in as_json("--db", shared_db, "log") if e["reverts"]}
    assert len(undone) == 4

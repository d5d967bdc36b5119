"""Start-up of the everyday commands, for two installations of papertrail in one run.

    python benchmarks/startup.py OLD/.venv/bin/papertrail .venv/bin/papertrail

Each command runs on the same 10,000-paper library (a copy per installation, its schema
revision stamped as each expects: the revisions between them must change no table the
commands read). Two figures per command and installation:

- CPU time (user + system), the median of `--runs` runs, the installations and commands
  taken round-robin so that a busy machine slows them alike;
- instructions, counted by valgrind's callgrind once per command: the same count for the
  same code and inputs, however busy the machine (the figure to trust on a shared one).

Writes a markdown table of both, with after/before ratios, to stdout.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import DEFAULT_SEED, TOPIC
from libraries import library_file
from processes import process_env, run_process
from suites import fresh_arxiv_ids, pick_refs

# Reads first, then the writes (each on its own paper, or a new id, every run).
READS = [
    ["--help"],
    ["list", "--topic", TOPIC],
    ["list", "--status", "unread"],
    ["show", "{show}"],
    ["stats"],
]
WRITES = [["mark-read", "{unread}"], ["add", "--no-fetch", "{new}"], ["tag", "{unread}", "x"]]


def revision_of(papertrail: Path) -> str:
    """The schema head of an installation (from its own migrations package)."""
    python = papertrail.parent / "python"
    code = (
        "import importlib.util as u\n"
        "for name in ('papertrail.db.migrations', 'papertrail.migrations'):\n"
        "    if u.find_spec(name.rsplit('.', 1)[0]) and u.find_spec(name):\n"
        "        print(__import__(name, fromlist=['HEAD']).HEAD); break\n"
    )
    return subprocess.run([str(python), "-c", code], capture_output=True, text=True).stdout.strip()


def library_for(papertrail: Path, scratch: Path, label: str) -> Path:
    db = scratch / f"{label}.db"
    shutil.copyfile(library_file(10_000, DEFAULT_SEED)[0], db)
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision_of(papertrail),))
    return db


def argv(
    papertrail: Path, db: Path, args: list[str], i: int, refs: dict[str, list[str]]
) -> list[str]:
    values = {name: found[i % len(found)] for name, found in refs.items()}
    return [str(papertrail), "--db", str(db), *(a.format(**values) for a in args)]


def instructions(command: list[str], env: dict[str, str]) -> int:
    """Instructions the whole process ran (callgrind's total), or 0 without valgrind."""
    if shutil.which("valgrind") is None:
        return 0
    with tempfile.TemporaryDirectory() as out:
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/cg", *command],
            capture_output=True, text=True, env=env,
        )  # fmt: skip
    found = re.search(r"Collected\s*:\s*(\d+)", result.stderr)
    return int(found.group(1)) if found else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="the first installation's papertrail script")
    parser.add_argument("after", type=Path, help="the second installation's papertrail script")
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="papertrail-startup-"))
    env = process_env(scratch / "home")
    installs = {"before": options.before, "after": options.after}
    dbs = {label: library_for(path, scratch, label) for label, path in installs.items()}
    show, unread, _ = pick_refs(dbs["after"], 3 * (options.runs + 2))
    refs = {
        "show": [show],
        "unread": unread,
        "new": fresh_arxiv_ids(dbs["after"], options.runs + 2),
    }
    cpu: dict[tuple[str, str], list[float]] = {}
    commands = READS + WRITES
    for i in range(options.runs + 1):  # run 0 warms the page cache and the bytecode
        for args in commands:
            for label, papertrail in installs.items():
                sample = run_process(argv(papertrail, dbs[label], args, i, refs), env)
                if sample.returncode != 0:
                    sys.exit(f"{label} {args}: exit {sample.returncode}: {sample.stderr[-300:]!r}")
                if i:
                    cpu.setdefault((" ".join(args), label), []).append(sample.cpu_seconds)
    columns = ["command", "CPU before", "CPU after", "after/before"]
    columns += ["instr. before", "instr. after", "after/before"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for n, args in enumerate(commands):
        name = " ".join(args)
        times = [statistics.median(cpu[(name, label)]) for label in installs]
        counts = [
            instructions(argv(p, dbs[label], args, options.runs + 1 + n, refs), env)
            for label, p in installs.items()
        ]
        ratio = f"{counts[1] / counts[0]:.3f}" if counts[0] else "-"
        cells = [f"`{name}`", f"{times[0] * 1000:.0f} ms", f"{times[1] * 1000:.0f} ms"]
        cells += [f"{times[1] / times[0]:.2f}", f"{counts[0] / 1e6:.1f} M"]
        cells += [f"{counts[1] / 1e6:.1f} M", ratio]
        print("| " + " | ".join(cells) + " |")
    shutil.rmtree(scratch)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The figures of issue 14 ("fast where people look"), for one papertrail installation.

    python benchmarks/scale.py --label after              # the papertrail of this venv
    OTHER/.venv/bin/python benchmarks/scale.py --label before   # another installation
    python benchmarks/scale.py --table before after       # the before/after table

Each figure is whole processes (see processes.py), on libraries the measured papertrail
built with its own schema: everyday commands against the stdlib-sqlite3 baseline
(baseline_topic.py); `list` of 10,000 papers on an 80 x 24 pseudo-terminal against the
same `list` piped; a new library; the import of 10,000 BibTeX entries and the peak memory
of 100,000; the export of 100,000 papers to BibTeX against the sqlite3 floor
(baseline_export.py). Figures go to benchmarks/.work/scale-LABEL.json; `--table` writes
the before/after table, with ratios, into benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

from common import BASELINE_SCRIPT, BENCH_DIR, DEFAULT_SEED, RESULTS_FILE, TOPIC, WORK_DIR
from libraries import bibtex_list, cached, import_files, library_file
from processes import LAUNCHER, Sample, papertrail_command, process_env, run_process
from suites import fresh_arxiv_ids, pick_refs
from synthetic import Generator

EXPORT_BASELINE = BENCH_DIR / "baseline_export.py"
FLOOR = "baseline_export.py (sqlite3 floor)"
EARLIER_FLOOR = "baseline_export.py --earlier (floor without abstracts)"
BIG = 100_000
TERMINAL_SIZE = (24, 80)  # rows, columns


def run_on_terminal(argv: list[str], env: dict[str, str]) -> Sample:
    """`run_process` with stdout and stdin on a pseudo-terminal of TERMINAL_SIZE, read as
    fast as a terminal emulator would (the bytes are counted, not drawn)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", *TERMINAL_SIZE, 0, 0))
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", LAUNCHER, str(write_end), *argv],
        stdin=slave, stdout=slave, stderr=subprocess.PIPE, env=env, pass_fds=(write_end,),
    )  # fmt: skip
    os.close(slave)
    os.close(write_end)
    lines = 0
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the terminal's last writer is gone
            break
        if not chunk:
            break
        lines += chunk.count(b"\n")
    process.wait()
    os.close(master)
    with os.fdopen(read_end, "rb") as report:
        fields = report.read().split()
    seconds, rss_kb, code, cpu = float(fields[0]), int(fields[1]), int(fields[2]), float(fields[3])
    errors = process.stderr.read() if process.stderr else b""
    return Sample(seconds, rss_kb, code, b"\n" * lines, errors, cpu)


def timed(
    name: str, run: Callable[[int], Sample], runs: int, figures: dict[str, dict[str, float]]
) -> dict[str, float]:
    """Median wall and CPU time, largest peak RSS of `runs` runs; kept under `name`."""
    samples = [run(index) for index in range(runs)]
    failed = [s for s in samples if s.returncode != 0]
    if failed:
        message = failed[0].stderr.decode(errors="replace").strip()[-300:]
        raise SystemExit(f"{name}: exit {failed[0].returncode}: {message}")
    walls = sorted(s.seconds * 1000 for s in samples)
    cpus = sorted(s.cpu_seconds * 1000 for s in samples)
    figure = {
        "ms": walls[len(walls) // 2],
        "cpu_ms": cpus[len(cpus) // 2],
        "rss_mb": max(s.max_rss_kb for s in samples) / 1024,
        "lines": samples[-1].stdout.count(b"\n"),
    }
    figures[name] = figure
    print(f"  {name:<52} {figure['ms']:9.1f} ms  cpu {figure['cpu_ms']:9.1f}  "
          f"rss {figure['rss_mb']:6.1f} MB", flush=True)  # fmt: skip
    return figure


def supports(option: str, env: dict[str, str]) -> bool:
    return run_process([*papertrail_command(), option, "--help"], env).returncode == 0


def measure_all(runs: int, seed: int, scratch: Path) -> dict[str, dict[str, float]]:
    figures: dict[str, dict[str, float]] = {}
    env = process_env(scratch / "home")
    terminal_env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES")}
    terminal_env["TERM"] = "xterm"
    pt = papertrail_command()
    db = scratch / "library-10k.db"
    shutil.copyfile(library_file(10_000, seed)[0], db)
    show_ref, unread_refs, _ = pick_refs(db, runs + 1)
    new_ids = fresh_arxiv_ids(db, runs + 1)

    def command(*args: str) -> Callable[[int], Sample]:
        return lambda _i: run_process([*pt, "--db", str(db), *args], env)

    print("== start-up: everyday commands on 10,000 papers, and the sqlite3 baseline")
    baseline = [sys.executable, str(BASELINE_SCRIPT), str(db), TOPIC]
    run_process(baseline, env)  # warm-up: page cache, bytecode
    command("list")(0)
    timed("baseline_topic.py (sqlite3)", lambda _i: run_process(baseline, env), runs, figures)
    timed("--help", lambda _i: run_process([*pt, "--help"], env), runs, figures)
    timed(f"list --topic {TOPIC}", command("list", "--topic", TOPIC), runs, figures)
    timed("list --status unread", command("list", "--status", "unread"), runs, figures)
    timed("show REF", command("show", show_ref), runs, figures)
    timed("mark-read REF", lambda i: command("mark-read", unread_refs[i])(i), runs, figures)
    timed("add --no-fetch ID", lambda i: command("add", "--no-fetch", new_ids[i])(i), runs, figures)

    print("== the terminal: list of 10,000 papers, piped and on an 80 x 24 terminal")
    no_pager = ["--no-pager"] if supports("--no-pager", env) else []  # older: no pager at all
    timed("list, piped (10,000)", command("list"), runs, figures)
    on_terminal = [*pt, "--db", str(db), *no_pager, "list"]
    timed("list, terminal (10,000)", lambda _i: run_on_terminal(on_terminal, terminal_env),
          runs, figures)  # fmt: skip

    print("== a new library, imports")
    new = scratch / "new.db"

    def fresh(path: Path) -> None:
        for leftover in scratch.glob(path.name + "*"):
            leftover.unlink()

    def first_add(_i: int) -> Sample:
        fresh(new)
        return run_process([*pt, "--db", str(new), "add", "--no-fetch", "2101.00001"], env)

    timed("new library (first command: add --no-fetch)", first_add, runs, figures)
    bib_10k = import_files(seed)["bibtex"]

    def import_bib(path: Path) -> Callable[[int], Sample]:
        def run(_i: int) -> Sample:
            fresh(new)
            return run_process([*pt, "--db", str(new), "import", str(path)], env)

        return run

    timed("import 10,000 BibTeX entries", import_bib(bib_10k), max(1, runs // 2), figures)
    timed("import 100,000 BibTeX entries", import_bib(big_bibtex(seed)), 1, figures)

    print("== export of 100,000 papers to BibTeX, and the sqlite3 floor")
    big = scratch / "library-100k.db"
    shutil.copyfile(library_file(BIG, seed)[0], big)
    out = scratch / "export.bib"
    floor = [sys.executable, str(EXPORT_BASELINE), str(big), str(out)]
    earlier = [sys.executable, str(EXPORT_BASELINE), "--earlier", str(big), str(out)]
    export = [*pt, "--db", str(big), "export", "--format", "bibtex", "--output", str(out)]
    timed(FLOOR, lambda _i: run_process(floor, env), 2, figures)
    timed(EARLIER_FLOOR, lambda _i: run_process(earlier, env), 2, figures)
    timed("export 100,000 papers to BibTeX", lambda _i: run_process(export, env), 2, figures)
    if no_pager:  # memory stays flat as the library grows (before: minutes, gigabytes)
        big_terminal = [*pt, "--db", str(big), *no_pager, "list"]
        timed("list, terminal (100,000)", lambda _i: run_on_terminal(big_terminal, terminal_env),
              1, figures)  # fmt: skip
    return figures


def big_bibtex(seed: int) -> Path:
    def write(path: Path) -> None:
        generator, papers = Generator(seed + 1), []
        while len(papers) < BIG:
            paper = generator.paper()
            if paper.arxiv_id and paper.title and paper.year and paper.primary_category:
                papers.append(paper)
        path.write_text(bibtex_list(papers, seed), encoding="utf-8")

    return cached(f"import-{BIG}-seed{seed}.bib", write)[0]


# -- the before/after table --------------------------------------------------------------

RATIO_TO = {  # figure -> the figure it is divided by, in the same run
    "--help": "baseline_topic.py (sqlite3)",
    f"list --topic {TOPIC}": "baseline_topic.py (sqlite3)",
    "list --status unread": "baseline_topic.py (sqlite3)",
    "show REF": "baseline_topic.py (sqlite3)",
    "mark-read REF": "baseline_topic.py (sqlite3)",
    "add --no-fetch ID": "baseline_topic.py (sqlite3)",
    "list, terminal (10,000)": "list, piped (10,000)",
    "export 100,000 papers to BibTeX": FLOOR,
    # The export against the floor drawn until 2026-12-06 (see baseline_export.py).
    "export 100,000 papers to BibTeX / earlier floor": EARLIER_FLOOR,
}
SAME_FIGURE = {"export 100,000 papers to BibTeX / earlier floor": "export 100,000 papers to BibTeX"}
TARGETS = {
    "--help": "≤ 3× baseline",
    f"list --topic {TOPIC}": "≤ 3× baseline",
    "list --status unread": "≤ 3× baseline",
    "show REF": "≤ 3× baseline",
    "mark-read REF": "≤ 3× baseline",
    "add --no-fetch ID": "≤ 3× baseline",
    "list, terminal (10,000)": "≤ 3× piped",
    "list, terminal (100,000)": "flat memory",
    "import 10,000 BibTeX entries": "≤ ½ before",
    "import 100,000 BibTeX entries": "peak < 200 MB",
    "export 100,000 papers to BibTeX": "≤ 2× floor",
}


def table(before: dict[str, dict[str, float]], after: dict[str, dict[str, float]]) -> str:
    rows = [
        "| figure | before ms | before CPU ms | before ratio (wall / CPU) | before peak MB "
        "| after ms | after CPU ms | after ratio (wall / CPU) | after peak MB | after / before "
        "| target |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in [*after, *SAME_FIGURE]:
        measured = SAME_FIGURE.get(name, name)  # a second ratio of a figure has a row too
        if measured not in after:
            continue
        cells = [name]
        for figures in (before, after):
            figure = figures.get(measured)
            if figure is None:
                cells += ["—"] * 4
                continue
            base = figures.get(RATIO_TO.get(name, ""))
            ratio = "—"
            if base:  # wall time, and CPU time (steadier on a busy machine)
                wall, cpu = figure["ms"] / base["ms"], figure["cpu_ms"] / base["cpu_ms"]
                ratio = f"{wall:.2f}× / {cpu:.2f}×"
            cells += [f"{figure['ms']:,.0f}", f"{figure['cpu_ms']:,.0f}", ratio,
                      f"{figure['rss_mb']:.1f}"]  # fmt: skip
        old, new = before.get(measured), after[measured]
        cells.append(f"{new['ms'] / old['ms']:.2f}×" if old else "—")
        cells.append(TARGETS.get(name, "—"))
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def write_table(labels: list[str]) -> None:
    before, after = (json.loads((WORK_DIR / f"scale-{label}.json").read_text()) for label in labels)
    meta = after.pop("_meta"), before.pop("_meta")
    section = (
        f"## Issue 14: before and after ({meta[0]['date']})\n\n"
        f"`python benchmarks/scale.py`, run for both installations back to back: before = "
        f"{meta[1]['papertrail']}, after = {meta[0]['papertrail']}. Median wall time of "
        f"{meta[0]['runs']} runs (1–2 for the 100,000-paper figures), median CPU time, "
        "peak RSS; wall times move with the machine's load more than CPU times do. Ratios "
        "divide by the baseline measured in the same run: sqlite3's "
        "`list --topic` (baseline_topic.py) for start-up, the piped `list` for the "
        "terminal, baseline_export.py for the export. Load average "
        f"{meta[1]['load']} (before) and {meta[0]['load']} (after).\n\n"
        + table(before, after)
        + "\n"
    )
    text = RESULTS_FILE.read_text(encoding="utf-8")
    start = text.find("## Issue 14: before and after")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + (text[end + 1 :] if end >= 0 else "")
    head, sep, rest = text.partition("\n## ")
    RESULTS_FILE.write_text(f"{head}\n{section}\n{sep.lstrip()}{rest}", encoding="utf-8")
    print(section)


def _commit(checkout: Path) -> str:
    """Which papertrail was measured: the git commit of its checkout, or its path."""
    found = subprocess.run(["git", "-C", str(checkout), "log", "-1", "--format=%h"],
                           capture_output=True, text=True)  # fmt: skip
    return f"commit {found.stdout.strip()}" if found.returncode == 0 else str(checkout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--label", default="after")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--table", nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.table:
        write_table(args.table)
        return 0
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    scratch = WORK_DIR / f"scale-{args.label}"
    shutil.rmtree(scratch, ignore_errors=True)
    (scratch / "home").mkdir(parents=True)
    load = os.getloadavg()
    figures = measure_all(args.runs, args.seed, scratch)
    import papertrail

    figures["_meta"] = {  # type: ignore[assignment]
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "papertrail": _commit(Path(papertrail.__file__).parents[2]),
        "runs": args.runs,
        "load": " ".join(f"{n:.2f}" for n in load),
    }
    (WORK_DIR / f"scale-{args.label}.json").write_text(json.dumps(figures, indent=1))
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""papertrail's benchmark: whole-process timings of everyday commands on synthetic libraries.

    python benchmarks/bench.py [--quick] [--sizes 1000,10000,100000] [--runs N]
                               [--label NAME] [--append]
    python benchmarks/bench.py --importtime list --topic quantization

Builds deterministic synthetic libraries (cached under benchmarks/.work/), runs the
installed `papertrail` console script in fresh processes with output to a pipe, times each
command (median and min-max after a warm-up) against a stdlib-sqlite3 baseline
(benchmarks/baseline_topic.py), records each process's peak RSS, counts the requests
`papertrail fetch` sends to a local arXiv stand-in, checks the budgets, and writes
benchmarks/results.md. Standard library only, plus papertrail itself (to create the schema).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from common import (
    BUDGET_SIZE,
    DEFAULT_RUNS,
    DEFAULT_SEED,
    DEFAULT_SIZES,
    REPO_ROOT,
    RESULTS_FILE,
    WORK_DIR,
)
from libraries import library_file
from processes import papertrail_command, process_env, rss_floor_mb, run_process
from report import apply_budgets, machine_info, render, write_results
from suites import RunReport, bench_fetch, bench_imports, bench_library

# ===================================================================== -X importtime


def importtime(args: Sequence[str], seed: int, top: int = 15, runs: int = 5) -> None:
    """Where start-up time goes: `python -X importtime -m papertrail ARGS`, top cumulative.

    One warm-up, then the median over `runs` runs of each module's times (one run is noisy).
    """
    with scratch_dir() as scratch:
        argv = list(args)
        if "--db" not in argv:
            db = scratch / "library.db"
            shutil.copyfile(library_file(BUDGET_SIZE, seed)[0], db)
            argv = ["--db", str(db), *argv]
        command = [sys.executable, "-X", "importtime", "-m", "papertrail", *argv]
        env = process_env(scratch / "home")
        run_process(command, env)  # warm-up: bytecode cached, files in the page cache
        samples = [run_process(command, env) for _ in range(runs)]
    times: dict[str, tuple[list[int], list[int]]] = {}
    depth: dict[str, int] = {}
    for sample in samples:
        for line in sample.stderr.decode(errors="replace").splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S.*)$", line)
            if match:
                own, cumulative = times.setdefault(match[4], ([], []))
                own.append(int(match[1]))
                cumulative.append(int(match[2]))
                depth[match[4]] = len(match[3]) // 2
    rows = sorted(
        ((statistics.median(c), statistics.median(o), name) for name, (o, c) in times.items()),
        reverse=True,
    )
    walls = [s.seconds * 1000 for s in samples]
    print(f"$ python -X importtime -m papertrail {' '.join(args)}")
    print(
        f"exit {samples[-1].returncode}; wall median {statistics.median(walls):.0f} ms "
        f"(importtime itself adds overhead); {len(times)} modules imported; "
        f"peak RSS {max(s.max_rss_kb for s in samples) / 1024:.1f} MB; median of {runs} runs"
    )
    print(f"{'cumulative ms':>13} {'self ms':>8}  module (top {top} by cumulative time)")
    for cumulative, own, name in rows[:top]:
        print(f"{cumulative / 1000:13.1f} {own / 1000:8.1f}  {'  ' * depth[name]}{name}")


# ===================================================================== main


@contextmanager
def scratch_dir() -> Iterator[Path]:
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="run-", dir=WORK_DIR) as name:
        path = Path(name)
        (path / "home").mkdir()
        yield path


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--quick", action="store_true", help="sizes 1,000 and 10,000, 3 runs, one run per import"
    )
    parser.add_argument("--sizes", help="comma-separated library sizes (default 1000,10000,100000)")
    parser.add_argument("--runs", type=int, help=f"timed runs per command (default {DEFAULT_RUNS})")
    parser.add_argument(
        "--import-runs", type=int, help="timed runs per import (default min(runs, 3))"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--label", default="run", help='a name for this run ("before", "after")')
    parser.add_argument("--append", action="store_true", help="append to results.md")
    parser.add_argument("--no-imports", action="store_true", help="skip the import benchmarks")
    parser.add_argument("--no-fetch", action="store_true", help="skip the fetch benchmark")
    parser.add_argument(
        "--importtime",
        nargs=argparse.REMAINDER,
        metavar="CMD",
        help="print the top 15 imports of `papertrail CMD...` and exit",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.importtime is not None:
        importtime(args.importtime or ["--help"], args.seed)
        return 0
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else ([1_000, 10_000] if args.quick else list(DEFAULT_SIZES))
    )
    runs = args.runs or (3 if args.quick else DEFAULT_RUNS)
    import_runs = args.import_runs or (1 if args.quick else min(runs, 3))
    report = RunReport(args.label, datetime.now(UTC), runs)
    report.rss_floor_mb = rss_floor_mb(process_env(WORK_DIR))
    report.machine = machine_info()
    load_before = os.getloadavg()
    command = " ".join(papertrail_command())
    print(f"papertrail benchmark: sizes {sizes}, {runs} runs; command {command}")
    with scratch_dir() as scratch:
        home = scratch / "home"
        for size in sizes:
            report.libraries.append(bench_library(size, args.seed, runs, scratch, home))
        if not args.no_imports:
            report.imports = bench_imports(args.seed, import_runs, scratch, home)
        if not args.no_fetch:
            report.fetch = bench_fetch(args.seed, scratch, home)
    load_after = os.getloadavg()
    report.load = (
        f"{' '.join(f'{n:.2f}' for n in load_before)} at the start, "
        f"{' '.join(f'{n:.2f}' for n in load_after)} at the end"
    )
    # The code (digest) and the libraries matter; a commit of unchanged code does not.
    changed = {k: v for k, v in machine_info().items() if k != "git" and report.machine.get(k) != v}
    if changed:
        report.warnings.append(
            "the software changed during the run (now: "
            + "; ".join(f"{k} {v}" for k, v in changed.items())
            + "): compare with care"
        )
    apply_budgets(report)
    text = render(report)
    print("\n" + text)
    write_results(text, args.append)
    print(f"(written to {RESULTS_FILE.relative_to(REPO_ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

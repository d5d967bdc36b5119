"""Budgets, and the markdown report (benchmarks/results.md)."""

from __future__ import annotations

import hashlib
import os
import platform
import sqlite3
import statistics
import subprocess
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

from common import (
    BUDGET_SIZE,
    FETCH_BATCH,
    FETCH_DELAY_S,
    IMPORT_ENTRIES,
    LARGE_SIZE,
    REPO_ROOT,
    RESULTS_FILE,
    SEARCH_WORD,
    SPACING_TOLERANCE_S,
    TAG_TOPIC,
    TOPIC,
)
from processes import Check, Measurement
from suites import RunReport

# ===================================================================== budgets


def apply_budgets(report: RunReport) -> None:
    """Attach each budget to the row it judges (see benchmarks/README.md)."""
    libraries = {lib.size: lib for lib in report.libraries}
    small = libraries.get(BUDGET_SIZE)
    if small is not None:
        rows = {row.name.split(" (")[0]: row for row in small.rows}
        base = small.rows[0]
        for name in (
            f"list --topic {TOPIC}",
            "list --status unread",
            next(r for r in rows if r.startswith("show ")),
        ):
            row = rows[name]
            if not (row.error or base.error):
                row.checks.append(Check("≤ 5× baseline", row.median_ms, 5 * base.median_ms, "ms"))
        absolute = {
            "--help": 150,
            "list": 400,
            "mark-read REF": 300,
            "add --no-fetch NEWID": 300,
            f"tag REF {TAG_TOPIC}": 300,
        }
        for name, limit in absolute.items():
            row = rows[name]
            if not row.error:
                row.checks.append(Check(f"≤ {limit} ms", row.median_ms, limit, "ms"))
    large = libraries.get(LARGE_SIZE)
    if large is not None:
        row = next(r for r in large.rows if r.name == f"list --topic {TOPIC}")
        if not row.error:
            if small is not None:
                ref = next(r for r in small.rows if r.name == row.name)
                if not ref.error:
                    row.checks.append(
                        Check(
                            f"≤ 2× its {BUDGET_SIZE:,} time", row.median_ms, 2 * ref.median_ms, "ms"
                        )
                    )
            row.checks.append(Check("peak RSS < 100 MB", row.peak_rss_mb, 100, "MB", "below"))
    for row in report.imports:
        if row.name.startswith("import") and "JSON" not in row.name and not row.error:
            row.checks.append(Check("< 5 s", row.median_ms, 5000, "ms", "below"))


def all_checks(report: RunReport) -> Iterator[tuple[str, Measurement | None, Check]]:
    for lib in report.libraries:
        for row in lib.rows:
            for check in row.checks:
                yield f"{lib.size:,} papers: {row.name}", row, check
    for row in report.imports:
        for check in row.checks:
            yield row.name, row, check
    if report.fetch:
        for check in report.fetch.checks:
            yield "fetch", None, check


# ===================================================================== reporting


def source_digest() -> str:
    """A short hash of papertrail's source: tells runs of different code apart, even
    uncommitted changes."""
    digest = hashlib.sha256()
    source = REPO_ROOT / "src" / "papertrail"
    for path in sorted(source.rglob("*.py")):
        digest.update(str(path.relative_to(source)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:10]


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "describe", "--always", "--dirty"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    from importlib.metadata import PackageNotFoundError, version

    from papertrail import __version__

    libraries = []
    for name in ("typer", "rich", "SQLAlchemy"):
        with suppress(PackageNotFoundError):
            libraries.append(f"{name} {version(name)}")
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "papertrail": f"{__version__} (source digest {source_digest()})",
        "git": commit,
        "OS": f"{platform.system()} {platform.release()}",
        "with": ", ".join(libraries),
    }


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _row_cells(row: Measurement) -> list[str]:
    if row.error:
        return [row.name, "ERROR", "", "", "", "", "", "", f"ERROR: {row.error}"]
    times = row.times_ms
    ratio = "—"
    if row.ratio is not None:
        ratio = f"{row.ratio:.1f}×"
    elif row.name.startswith("baseline"):
        ratio = "1.0×"
    return [
        f"{row.name} ({row.note})" if row.note else row.name,
        _ms(row.median_ms),
        f"{_ms(min(times))}–{_ms(max(times))}",
        _ms(row.cpu_ms),
        ratio,
        f"{row.peak_rss_mb:.1f}",
        f"{row.out_lines:,}",
        "; ".join(c.cell() for c in row.checks) or "—",
        " / ".join(c.verdict() for c in row.checks) or "—",
    ]


def _table(rows: list[Measurement]) -> list[str]:
    header = [
        "command",
        "median ms",
        "min–max ms",
        "CPU ms",
        "× baseline",
        "peak RSS MB",
        "out lines",
        "budget",
        "result",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += [
        "| " + " | ".join(c.replace("|", "\\|") for c in _row_cells(row)) + " |" for row in rows
    ]
    return lines


def render(report: RunReport) -> str:
    out = [
        f"## {report.label} — {report.started:%Y-%m-%d %H:%M} UTC",
        "",
        "Machine: " + "; ".join(f"{k} {v}" for k, v in report.machine.items()) + ".",
        "",
        *(f"**Warning:** {warning}.\n" for warning in report.warnings),
        f"Each command: a fresh process of the installed `papertrail` console script, stdout "
        f"to a pipe, {report.runs} timed runs after one warm-up (imports: no warm-up), "
        "interleaved round-robin across the reading commands of a table (then the writing "
        "ones), "
        "median and min–max wall time, median CPU time (user + system); peak RSS is the "
        "largest `ru_maxrss` of the runs. "
        "`× baseline` divides by the median of `benchmarks/baseline_topic.py` on the same "
        "library. Writing commands touch a different paper (or a new id) on every run. "
        f"Bytecode is cached (PYTHONPYCACHEPREFIX=benchmarks/.work/pycache). RSS floor (the "
        f"launcher running `true`): {report.rss_floor_mb:.1f} MB. Load average: {report.load}.",
        "",
    ]
    for lib in report.libraries:
        built = f"built in {lib.built_s:.1f} s" if lib.built_s else "cached build"
        same = {True: "identical to", False: "DIFFERENT from", None: "not compared with"}[
            lib.baseline_matches
        ]
        out += [
            f"### {lib.size:,} papers",
            "",
            f"Library {built}. `--topic {TOPIC}` selects {lib.topic_papers:,} papers (with its "
            f"sub-topics); `--search {SEARCH_WORD}` matches {lib.search_papers:,}. The output "
            f"of `list --topic {TOPIC}` is {same} the baseline's.",
            "",
            *_table(lib.rows),
            "",
        ]
    if report.imports:
        out += [
            f"### Imports ({IMPORT_ENTRIES:,} entries, each into a fresh empty library)",
            "",
            *_table(report.imports),
            "",
        ]
    if report.fetch:
        f = report.fetch
        spacing = (
            f"{min(f.gaps_s):.3f} s (median {statistics.median(f.gaps_s):.3f}, "
            f"max {max(f.gaps_s):.3f})"
            if f.gaps_s
            else "n/a"
        )
        out += [
            f"### fetch: {f.papers:,} pending papers, local arXiv stand-in",
            "",
            f"PAPERTRAIL_ARXIV_DELAY={FETCH_DELAY_S} (instead of arXiv's 3 s, to keep the run "
            f"short); default batch size ({FETCH_BATCH}); `tests/support/arxiv_stub.py` "
            "answering every id. Spacing is measured where requests arrive, so it may read up "
            f"to {SPACING_TOLERANCE_S * 1000:.0f} ms short of the client's own (connection set-up, "
            "scheduling).",
            "",
            "| measure | value | budget | result |",
            "|---|---|---|---|",
            f"| HTTP requests | {f.requests} | ≤ ceil({f.papers}/{FETCH_BATCH}) = "
            f"{f.expected_requests} | {f.checks[0].verdict()} |",
            f"| largest batch (ids per request) | {f.largest_batch} | ≥ {FETCH_BATCH} | "
            f"{f.checks[1].verdict()} |",
            f"| min spacing between request starts | {spacing} | ≥ {FETCH_DELAY_S} s | "
            f"{f.checks[2].verdict()} |",
            f"| papers fetched | {f.fetched}/{f.papers} | all | {f.checks[3].verdict()} |",
            *(
                [f"| wall time | {_ms(f.measurement.median_ms)} ms | — | — |",
                 f"| peak RSS | {f.measurement.peak_rss_mb:.1f} MB | — | — |"]
                if not f.measurement.error else [f"| error | {f.measurement.error} | — | ERROR |"]
            ),
            "",
        ]  # fmt: skip
    failures = [(where, check) for where, _row, check in all_checks(report) if not check.passed]
    errors = [row for lib in report.libraries for row in lib.rows if row.error] + [
        row for row in report.imports if row.error
    ]
    out += ["### Budgets", ""]
    total = sum(1 for _ in all_checks(report))
    out.append(
        f"{total - len(failures)} of {total} budgets pass; {len(errors)} command(s) failed to run."
    )
    out.append("")
    for where, check in failures:
        out.append(f"- FAIL {where} — {check.shortfall()}")
    for row in errors:
        out.append(f"- ERROR {row.name} — {row.error}")
    return "\n".join(out) + "\n"


def write_results(text: str, append: bool) -> None:
    title = (
        "# papertrail benchmark results\n\n"
        "Written by `python benchmarks/bench.py`; see benchmarks/README.md.\n\n"
    )
    if append and RESULTS_FILE.exists():
        with RESULTS_FILE.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)
    else:
        RESULTS_FILE.write_text(title + text, encoding="utf-8")

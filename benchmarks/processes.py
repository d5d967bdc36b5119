"""Running commands as whole processes: wall time, CPU time and peak RSS (through a tiny
launcher), round-robin across the commands of a table; budgets (`Check`)."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from common import PROCESS_TIMEOUT_S, PYCACHE_DIR

# ===================================================================== running processes


@dataclass
class Sample:
    seconds: float  # wall time
    max_rss_kb: int
    returncode: int
    stdout: bytes
    stderr: bytes
    cpu_seconds: float = 0.0  # user + system time of the command


# Runs one command and reports its wall time, peak RSS, exit status and CPU time on file
# descriptor argv[1]. It exists because a child's ru_maxrss starts from the RSS of the process that
# forked it (Linux keeps the pre-exec high-water mark): measured straight from this
# script, which holds generated libraries in memory, every command would look as large
# as the benchmark itself. This launcher is a bare interpreter (-I -S, ~10 MB) that only
# imports os, sys and time, so what it reports is the command's own peak.
LAUNCHER = """
import os, sys, time
report, argv = int(sys.argv[1]), sys.argv[2:]
started = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - started
cpu = usage.ru_utime + usage.ru_stime
code = os.waitstatus_to_exitcode(status)
os.write(report, f"{elapsed!r} {usage.ru_maxrss} {code} {cpu!r}".encode())
"""


def run_process(argv: Sequence[str], env: dict[str, str]) -> Sample:
    """Run one command in a fresh process, stdout and stderr to pipes; its time and peak RSS.

    The time runs from just before the process is spawned until it has been reaped.
    """
    read_end, write_end = os.pipe()
    try:
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", LAUNCHER, str(write_end), *argv],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env, pass_fds=(write_end,),
        )  # fmt: skip
    finally:
        os.close(write_end)
    try:
        out, err = process.communicate(timeout=PROCESS_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    with os.fdopen(read_end, "rb") as report:
        fields = report.read().split()
    if process.returncode != 0 or len(fields) != 4:
        # The launcher itself failed (or the command timed out): no measurement.
        message = err or b"launcher failed"
        return Sample(0.0, 0, process.returncode or 1, out, message)
    seconds, rss_kb, code, cpu = float(fields[0]), int(fields[1]), int(fields[2]), float(fields[3])
    return Sample(seconds, rss_kb, code, out, err, cpu)


def rss_floor_mb(env: dict[str, str]) -> float:
    """What the launcher itself contributes to a measured peak RSS (a command doing nothing)."""
    true = shutil.which("true") or "/bin/true"
    return run_process([true], env).max_rss_kb / 1024


def papertrail_command() -> list[str]:
    """The console script installed next to this interpreter (as a user's shell runs it)."""
    script = Path(sys.executable).parent / "papertrail"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "papertrail"]


def process_env(
    home: Path, *, offline: bool = True, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment of every timed process: a private HOME, offline unless told.

    Bytecode is cached (as after any user's first run) under benchmarks/.work/pycache, so
    that a PYTHONDONTWRITEBYTECODE in the caller's environment does not make every run
    compile papertrail from source, and nothing is written outside benchmarks/.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERTRAIL_")}
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME", "PYTHONUNBUFFERED"):
        env.pop(name, None)
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        PYTHONPYCACHEPREFIX=str(PYCACHE_DIR),
    )
    if offline:
        env["PAPERTRAIL_OFFLINE"] = "1"
    env.update(extra or {})
    return env


@dataclass
class Case:
    """One row of a table: a command and how to run it the i-th time (i = 0 is the warm-up)."""

    name: str
    argv: Callable[[int], list[str]]
    runs: int
    warmup: bool = True
    prepare: Callable[[int], None] | None = None  # before run i, not timed


def _number(value: float) -> str:
    if value == int(value) or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"


@dataclass
class Check:
    """A budget: `measured` must be at most `limit` ("max"), below it ("below") or at least
    it ("min")."""

    text: str  # "≤ 5× baseline"
    measured: float
    limit: float
    unit: str  # "ms", "MB", "requests"...
    kind: str = "max"

    @property
    def passed(self) -> bool:
        if self.kind == "min":
            return self.measured >= self.limit
        return self.measured < self.limit if self.kind == "below" else self.measured <= self.limit

    def cell(self) -> str:
        if "×" not in self.text:  # an absolute budget says its limit itself
            return self.text
        sign = {"max": "≤", "below": "<", "min": "≥"}[self.kind]
        return f"{self.text} ({sign} {_number(self.limit)} {self.unit})"

    def verdict(self) -> str:
        if self.passed:
            return "PASS"
        if self.kind == "min" or self.limit <= 0:
            return f"FAIL ({_number(self.measured)} {self.unit})"
        return f"FAIL ({self.measured / self.limit:.2f}× the limit)"

    def shortfall(self) -> str:
        """How far from the budget, for the summary."""
        over = self.measured - self.limit
        text = f"{_number(self.measured)} {self.unit} vs {self.cell()}: {over:+,.3g} {self.unit}"
        if self.kind != "min" and self.limit > 0:
            text += f", {self.measured / self.limit:.2f}× the limit"
        return text


@dataclass
class Measurement:
    name: str
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None
    checks: list[Check] = field(default_factory=list)
    ratio: float | None = None  # median / baseline median
    note: str = ""

    @property
    def times_ms(self) -> list[float]:
        return [s.seconds * 1000 for s in self.samples]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def cpu_ms(self) -> float:
        """Median CPU time (user + system): less sensitive than wall time to a busy machine."""
        return statistics.median(s.cpu_seconds * 1000 for s in self.samples)

    @property
    def peak_rss_mb(self) -> float:
        return max(s.max_rss_kb for s in self.samples) / 1024

    @property
    def out_lines(self) -> int:
        return self.samples[-1].stdout.count(b"\n") if self.samples else 0


def measure(cases: Sequence[Case], env: dict[str, str]) -> list[Measurement]:
    """Run the cases round-robin: warm-ups first, then timed run 1 of every case, run 2...

    Interleaving spreads whatever else the machine does over all the commands alike, so
    their ratios stay meaningful on a busy machine. A case that fails stops being run.
    """
    results = [Measurement(case.name) for case in cases]
    first = 0 if any(case.warmup for case in cases) else 1
    for index in range(first, max(case.runs for case in cases) + 1):
        for case, result in zip(cases, results, strict=True):
            if result.error or index > case.runs or (index == 0 and not case.warmup):
                continue
            if case.prepare is not None:
                case.prepare(index)
            sample = run_process(case.argv(index), env)
            if sample.returncode != 0:
                message = sample.stderr.decode(errors="replace").strip().splitlines()
                last = message[-1] if message else "(no message)"
                result.error = f"exit {sample.returncode}: {last[:160]}"
                result.samples = [sample]
            elif index > 0:
                result.samples.append(sample)
    for result in results:
        status = (
            f"ERROR {result.error}"
            if result.error
            else (
                f"median {result.median_ms:7.1f} ms  min {min(result.times_ms):7.1f}  "
                f"max {max(result.times_ms):7.1f}  cpu {result.cpu_ms:7.1f}  "
                f"rss {result.peak_rss_mb:5.1f} MB"
            )
        )
        print(f"  {result.name[:44]:<44} {status}", flush=True)
    return results

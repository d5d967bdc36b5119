"""Paths, sizes and names every part of the benchmark shares."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
WORK_DIR = BENCH_DIR / ".work"
RESULTS_FILE = BENCH_DIR / "results.md"
PYCACHE_DIR = WORK_DIR / "pycache"
BASELINE_SCRIPT = BENCH_DIR / "baseline_topic.py"

# Bump when the generator changes: cached libraries are keyed by it.
GENERATOR_VERSION = 1
DEFAULT_SEED = 20261123
DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_RUNS = 7
IMPORT_ENTRIES = 10_000
FETCH_PAPERS = 1_000
FETCH_DELAY_S = 0.2
FETCH_BATCH = 100  # papertrail's default; the benchmark does not set PAPERTRAIL_ARXIV_BATCH
SPACING_TOLERANCE_S = 0.005  # clock and scheduling jitter between the client and the stub
PROCESS_TIMEOUT_S = 600.0

# What the commands are run with (chosen so that each exercises a realistic amount of data).
TOPIC = "quantization"  # mid-sized, with four sub-topics
SEARCH_WORD = "distillation"
TAG_TOPIC = "survey"
BUDGET_SIZE = 10_000
LARGE_SIZE = 100_000
NOW = datetime(2026, 11, 20, 12, 0, 0, tzinfo=UTC)

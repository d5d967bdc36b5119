"""The reader model (issue 23) at scale, and the methods it was chosen from.

    python benchmarks/rank.py                  # every figure, markdown on stdout
    python benchmarks/rank.py --skip-methods   # without the precision comparison
    python benchmarks/rank.py --large          # also: training on 100,000 papers

Figures, in one run, on a synthetic library of 20,000 papers (benchmarks/synthetic.py:
titles, authors, abstracts) with one topic of 10,000 papers:

- training: the whole model from nothing (the text matrix of the library, then one
  logistic model per topic), and the labels alone (a paper marked read: the weights
  retrained on the cached matrix); and the 10,000-paper topic's own fit;
- ranking 30,000 new papers with the cached model (loading it included);
- `papertrail inbox --no-fetch` of a fetched day (300 items) as a process, the model
  cached, against `inbox --sort date` (no model) measured in the same run;
- the methods compared on real reading lists (../shared): precision at 20 and 50 of
  unseen papers for each of two topics, for each method tried.

Budgets (issue 23): ranking 30,000 < 2 s, a 10,000-paper topic < 5 s, inbox < 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import DEFAULT_SEED, REPO_ROOT, WORK_DIR
from libraries import library_file
from synthetic import Generator

LIBRARY_SIZE = 20_000
TOPIC_SIZE = 10_000
ITEMS = 30_000
INBOX_ITEMS = 300
RUNS = 5


def timed(action: Callable[[], object]) -> tuple[float, object]:
    """CPU seconds (user + system) of an action: on a shared, busy machine the wall clock
    says more about the neighbours than about papertrail."""
    start = time.process_time()
    result = action()
    return time.process_time() - start, result


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def prepare(scratch: Path) -> Path:
    """A copy of the 20,000-paper library, its first 10,000 papers filed under `big`."""
    source, _ = library_file(LIBRARY_SIZE, DEFAULT_SEED)
    db = scratch / "rank.db"
    shutil.copyfile(source, db)
    with sqlite3.connect(db) as connection:
        connection.execute("INSERT INTO topic (slug) VALUES ('big')")
        (topic_id,) = connection.execute("SELECT id FROM topic WHERE slug = 'big'").fetchone()
        connection.execute(
            "INSERT INTO paper_topic (paper_id, topic_id) "
            f"SELECT id, ? FROM paper ORDER BY id LIMIT {TOPIC_SIZE}",
            (topic_id,),
        )
    return db


def training(db: Path) -> list[tuple[str, float]]:
    import numpy as np

    from papertrail.core import ranking
    from papertrail.db.opening import open_store

    store = open_store(str(db))
    try:
        ranking.cache_file(store).unlink(missing_ok=True)
        whole, model = timed(lambda: ranking.reader_model(store))
        assert isinstance(model, ranking.ReaderModel)
        topics = len(model.topics)
        with store.transaction():
            store.execute("UPDATE paper SET status = 'read' WHERE id = 1")
        labels, _ = timed(lambda: ranking.reader_model(store))
        cached, _ = timed(lambda: ranking.reader_model(store))
        # The 10,000-paper topic's own fit, on the cached matrix.
        positives = model.members["big"]
        library_rows = np.flatnonzero(model.row_ids >= 0)
        dismissed = np.flatnonzero(model.row_ids < 0)
        double = np.zeros(len(positives), dtype=bool)
        rng = np.random.default_rng(0)
        one, _ = timed(
            lambda: ranking._fit_topic(model, positives, double, library_rows, dismissed, rng)
        )
    finally:
        store.close()
    return [
        (f"train from nothing: {LIBRARY_SIZE:,} papers, {topics} topics", whole),
        ("retrain after one paper is marked read (its topics alone)", labels),
        (f"fit of one topic of {len(positives):,} papers", one),
        ("load the cached model, library unchanged", cached),
    ]


def one_topic(db: Path, scratch: Path) -> list[tuple[str, float]]:
    """The budget's case alone: the library's only topic holds 10,000 of its papers."""
    from papertrail.core import ranking
    from papertrail.db.opening import open_store

    alone = scratch / "one-topic.db"
    shutil.copyfile(db, alone)
    with sqlite3.connect(alone) as connection:
        connection.execute(
            "DELETE FROM paper_topic WHERE topic_id <> (SELECT id FROM topic WHERE slug = 'big')"
        )
    store = open_store(str(alone))
    try:
        seconds, _ = timed(lambda: ranking.reader_model(store))
    finally:
        store.close()
    return [(f"train from nothing: {LIBRARY_SIZE:,} papers, one topic of {TOPIC_SIZE:,} "
             "(budget 5 s)", seconds)]  # fmt: skip


def ranking_items(db: Path) -> list[tuple[str, float]]:
    from papertrail.core import ranking
    from papertrail.db.opening import open_store
    from papertrail.model.records import PaperRecord

    papers = Generator(DEFAULT_SEED + 1).papers(ITEMS)
    records = [PaperRecord(title=p.title, authors=p.authors, abstract=p.abstract) for p in papers]
    store = open_store(str(db))
    try:

        def rank() -> object:
            model = ranking.reader_model(store)
            return ranking.ranked_order(ranking.fits(model, records))

        seconds = statistics.median(timed(rank)[0] for _ in range(3))
    finally:
        store.close()
    return [(f"rank {ITEMS:,} new papers, cached model (budget 2 s)", seconds)]


def inbox_process(db: Path, env: dict[str, str]) -> list[tuple[str, float]]:
    from papertrail.db.opening import open_store
    from papertrail.model.records import PaperRecord

    papers = Generator(DEFAULT_SEED + 2).papers(INBOX_ITEMS)
    store = open_store(str(db))
    try:
        with store.transaction():
            numbers = store.free_inbox_numbers()
            for n, p in enumerate(papers):
                record = PaperRecord(arxiv_id=f"2612.{n:05d}", title=p.title,
                                     authors=p.authors, abstract=p.abstract,
                                     categories=["cs.LG"])  # fmt: skip
                now = "2026-12-07T00:00:00Z"
                store.add_to_inbox(next(numbers), record, "new", "2026-12-07", "cs.LG new",
                                   [], now)  # fmt: skip
    finally:
        store.close()
    papertrail = [sys.executable, "-m", "papertrail", "--db", str(db)]
    run = dict(env)

    def seconds(*args: str) -> float:
        samples = []
        for _ in range(RUNS):
            start = child_cpu()
            done = subprocess.run([*papertrail, *args], capture_output=True, env=run)
            samples.append(child_cpu() - start)
            assert done.returncode == 0, done.stderr.decode()
        return statistics.median(samples)

    seconds("inbox", "--no-fetch")  # trains and caches once
    ranked = seconds("inbox", "--no-fetch")
    dated = seconds("inbox", "--no-fetch", "--sort", "date")
    return [
        (f"`inbox --no-fetch`, {INBOX_ITEMS} items, model cached (budget 0.5 s)", ranked),
        (f"`inbox --no-fetch --sort date` (no model), ratio {ranked / dated:.2f}", dated),
    ]


def large_library(scratch: Path) -> list[tuple[str, float]]:
    """Training from nothing and reloading on the synthetic 100,000-paper library."""
    from papertrail.core import ranking
    from papertrail.db.opening import open_store

    source, _ = library_file(100_000, DEFAULT_SEED)
    db = scratch / "large.db"
    shutil.copyfile(source, db)
    store = open_store(str(db))
    try:
        whole, model = timed(lambda: ranking.reader_model(store))
        assert isinstance(model, ranking.ReaderModel)
        cached, _ = timed(lambda: ranking.reader_model(store))
    finally:
        store.close()
    return [
        (f"100,000 papers: train from nothing ({len(model.topics)} topics)", whole),
        ("100,000 papers: load the cached model", cached),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-methods", action="store_true")
    parser.add_argument("--large", action="store_true", help="train on 100,000 papers too")
    args = parser.parse_args()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="rank-", dir=WORK_DIR))
    env = {**os.environ, "XDG_CACHE_HOME": str(scratch / "cache"), "PAPERTRAIL_OFFLINE": "1"}
    os.environ.update(env)
    try:
        db = prepare(scratch)
        rows = training(db) + one_topic(db, scratch) + ranking_items(db) + inbox_process(db, env)
        if args.large:
            rows += large_library(scratch)
        print("| what | CPU seconds |\n|---|---|")
        for label, value in rows:
            print(f"| {label} | {value:.3f} |")
        if not args.skip_methods:
            from rank_methods import compare

            print()
            print(compare())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT / "src"))
    main()

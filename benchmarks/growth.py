"""How work grows with the library: operations that once grew with its square (issue 21).

    python benchmarks/growth.py                 # 10,000 and 100,000
    python benchmarks/growth.py --sizes 1000 10000

For each size N, in one run:
- `queue -`, `queue --remove -` and `mark-reading -` with every paper's id on stdin (the
  papertrail process, CPU time);
- `duplicates` on N papers whose titles all end alike ("... with deep neural networks"),
  a few of them a typo apart (the process, CPU time; the pairs found are checked);
- filing N announced items in the inbox (`core.inbox.file_items`, in this process, CPU
  time): the part of `papertrail inbox` that once re-read every number for each item.

Near-linear growth: each figure at 10x the papers takes about 10x the time (the last
column). Results go to stdout as a markdown table.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from common import DEFAULT_SEED
from libraries import library_file
from processes import papertrail_command, process_env, run_process

WORDS = [
    "sparse",
    "attention",
    "pruning",
    "quantized",
    "adaptive",
    "robust",
    "efficient",
    "scalable",
    "learned",
    "graph",
    "kernel",
    "spectral",
    "latent",
    "hierarchical",
    "contrastive",
    "federated",
    "recurrent",
    "convolutional",
]


def timed_command(db: Path, args: list[str], stdin_ids: list[int], env: dict[str, str]) -> float:
    """CPU seconds of one papertrail process, the ids on its standard input."""
    feed = Path(tempfile.mkstemp(suffix=".ids")[1])
    feed.write_text("".join(f"{i}\n" for i in stdin_ids))
    launcher = ["/bin/sh", "-c", f'exec "$0" "$@" < {feed}']
    sample = run_process([*launcher, *papertrail_command(), "--db", str(db), *args], env)
    feed.unlink()
    if sample.returncode != 0:
        sys.exit(f"{args}: exit {sample.returncode}: {sample.stderr[-300:]!r}")
    return sample.cpu_seconds


def one_edit(title: str, k: int) -> str:
    """`title` with one letter (never a digit: a number is no typo) edited, the k-th twin's
    place spread over the whole title and the kind of edit taking turns."""
    letters = [i for i, ch in enumerate(title) if ch.isalpha()]
    at = letters[(k * 7919) % len(letters)]
    kind = k % 3
    if kind == 0:
        return title[:at] + ("x" if title[at] != "x" else "y") + title[at + 1 :]
    if kind == 1:
        return title[:at] + title[at + 1 :]
    return title[:at] + "q" + title[at:]


def same_endings(db: Path, size: int) -> int:
    """Give every paper a title ending "with deep neural networks"; every 500th gets a
    twin one character apart, anywhere in the title (its start, middle or end; a letter
    replaced, left out or added). Returns how many twins (the pairs to find)."""
    rng = random.Random(DEFAULT_SEED)
    with sqlite3.connect(db) as connection:
        ids = [row[0] for row in connection.execute("SELECT id FROM paper ORDER BY id")]
        titles = {}
        for n, paper_id in enumerate(ids):
            words = rng.sample(WORDS, 3)
            titles[paper_id] = f"{' '.join(words)} {n} with deep neural networks"
        twins = ids[1::500][: size // 500]
        for k, (original, twin) in enumerate(zip(ids[::500], twins, strict=False)):
            titles[twin] = one_edit(titles[original], k)
        connection.executemany(
            "UPDATE paper SET title = ?, arxiv_id = NULL, doi = NULL, year = 2020, "
            "authors = 'A. Author' WHERE id = ?",
            [(title, paper_id) for paper_id, title in titles.items()],
        )
    return len(twins)


def file_inbox(db: Path, size: int) -> float:
    """CPU seconds of filing `size` announced items (one feed that takes them all)."""
    from papertrail.core.inbox import Refresh, file_items
    from papertrail.db.opening import open_store
    from papertrail.model.records import FeedSpec
    from papertrail.services.arxiv_rss import FeedItem

    items = [
        FeedItem(f"2612.{90000 + n:05d}" if n < 9999 else f"2611.{n:05d}", 1, f"Item {n}",
                 ["A. Author"], "An abstract.", ["cs.LG"])
        for n in range(size)
    ]  # fmt: skip
    store = open_store(str(db))
    try:
        with store.transaction():
            store.add_feed(FeedSpec(categories=["cs.LG"]), "2026-12-07T00:00:00Z")
        started = time.process_time()
        file_items(store, store.feeds(), items, Refresh(), everything=True)
        return time.process_time() - started
    finally:
        store.close()


def measure(size: int, scratch: Path) -> dict[str, float]:
    env = process_env(scratch / "home")
    source = library_file(size, DEFAULT_SEED)[0]
    db = scratch / f"growth-{size}.db"
    shutil.copyfile(source, db)
    with sqlite3.connect(db) as connection:
        ids = [row[0] for row in connection.execute("SELECT id FROM paper ORDER BY id")]
        connection.execute("DELETE FROM reading_queue")
    figures = {
        "queue - (every paper)": timed_command(db, ["queue", "-"], ids, env),
        "queue --remove - (every paper)": timed_command(db, ["queue", "--remove", "-"], ids, env),
        "mark-reading - (every paper)": timed_command(db, ["mark-reading", "-"], ids, env),
    }
    shutil.copyfile(source, db)
    twins = same_endings(db, size)
    sample = run_process([*papertrail_command(), "--db", str(db), "duplicates"], env)
    found = sample.stdout.decode().count("near-identical titles")
    if found < twins:
        sys.exit(f"duplicates found {found} of the {twins} twins on {size} papers")
    figures["duplicates (titles ending alike)"] = sample.cpu_seconds
    empty = scratch / f"inbox-{size}.db"
    shutil.copyfile(source, empty)
    with sqlite3.connect(empty) as connection:
        connection.execute("DELETE FROM inbox_item")
    figures["inbox: filing every item"] = file_inbox(empty, size)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    options = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="papertrail-growth-"))
    results = {size: measure(size, scratch) for size in options.sizes}
    first, last = options.sizes[0], options.sizes[-1]
    names = list(results[first])
    print("| what | " + " | ".join(f"{s:,} papers" for s in options.sizes) + " | growth |")
    print("|---|" + "---|" * (len(options.sizes) + 1))
    for name in names:
        cells = [f"{results[s][name]:.2f} s" for s in options.sizes]
        growth = results[last][name] / max(results[first][name], 1e-9)
        print(f"| {name} | " + " | ".join(cells) + f" | {growth:.1f}x for {last // first}x |")
    shutil.rmtree(scratch)
    return 0


if __name__ == "__main__":
    sys.exit(main())

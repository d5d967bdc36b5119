"""Issue 20's figures, each with its floor, measured in one run:

1. extraction: pages per second on one core (the worker pool, one worker, pinned to CPU 0);
2. `find` over 1,000 papers of 20 pages (20,000 pages): against a bare sqlite3 FTS5 query on
   the same index (floor: within 3x, and under 100 ms);
3. `papertrail import DIR` of 200 distinct PDFs without network (floor: 20 PDFs/s);
4. the full-text index against the text it indexes (floor: at most 1.5x).

    python benchmarks/pdfs.py                 # prints the table, appends it to results.md
    python benchmarks/pdfs.py --no-write

Needs ../shared/fixtures/pdfs (the real papers: their pages are the extraction load, their
sentences the synthetic library's text, and 200 copies of them, each made distinct by a
trailing comment, the import). Scratch files go to benchmarks/.work/pdfs/.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work" / "pdfs"
RESULTS = ROOT / "benchmarks" / "results.md"
sys.path.insert(0, str(ROOT / "src"))

from papertrail.db.opening import open_store  # noqa: E402
from papertrail.model.records import PaperRecord, now_iso  # noqa: E402

QUERIES = [
    "network", "huffman", '"neural networks"', "quantum factoring", "pruning OR quantization",
    "learning NOT transfer", "compress*", "the",
]  # fmt: skip


def fixtures() -> Path:
    for base in (os.environ.get("PAPERTRAIL_SHARED"), str(ROOT.parent / "shared")):
        if base and (Path(base) / "fixtures" / "pdfs").is_dir():
            return Path(base) / "fixtures" / "pdfs"
    sys.exit("benchmarks/pdfs.py needs ../shared/fixtures/pdfs (or PAPERTRAIL_SHARED)")


def readable(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.glob("*.pdf")) if p.read_bytes()[:5] == b"%PDF-"]


def worker_cpu(pool: object) -> float:
    """CPU seconds the pool's live workers used so far (/proc: they are not reaped yet)."""
    total = 0.0
    for worker in pool._all:  # type: ignore[attr-defined]
        fields = Path(f"/proc/{worker.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# -- 1. extraction ------------------------------------------------------------------------------


def extraction(paths: list[Path], rounds: int = 5) -> dict[str, float]:
    """Pages per second of one worker on one core: best wall time of `rounds` passes."""
    from papertrail.files.extract import ExtractPool, PdfText

    os.sched_setaffinity(0, {0})  # this process and the worker it starts: one core
    try:
        with ExtractPool(workers=1) as pool:
            pool.extract(paths[0])  # the worker started, PDFium loaded
            best, pages, cpu = float("inf"), 0, 0.0
            for _ in range(rounds):
                started, cpu_before = time.perf_counter(), worker_cpu(pool)
                got = [r for _, r in pool.map(paths)]
                elapsed = time.perf_counter() - started
                pages = sum(r.page_count for r in got if isinstance(r, PdfText))
                best = min(best, elapsed)
                cpu = max(worker_cpu(pool) - cpu_before, 0.01)
    finally:
        os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    return {"pages": pages, "seconds": best, "pages_per_s": pages / best,
            "pages_per_cpu_s": pages / cpu}  # fmt: skip


# -- 2. find over 1,000 papers ------------------------------------------------------------------


def sentences(paths: list[Path]) -> list[str]:
    from papertrail.files.extract import ExtractPool, PdfText

    found: list[str] = []
    with ExtractPool(workers=2) as pool:
        for _, result in pool.map(paths):
            if isinstance(result, PdfText):
                for page in result.pages:
                    found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", page) if len(s) > 40]
    return found


def build_library(db: Path, pool: list[str], papers: int = 1000, pages: int = 20) -> None:
    """`papers` papers with a file of `pages` pages each (about 3,500 characters a page of
    the fixtures' sentences, shuffled, and a few words made up per paper)."""
    rng = random.Random(20)
    for path in db.parent.glob(db.name + "*"):
        path.unlink()
    store = open_store(str(db))
    now = now_iso()
    with store.transaction():
        for number in range(1, papers + 1):
            status = ("unread", "reading", "read")[number % 3]
            record = PaperRecord(title=f"Paper {number}", status=status, topics=[f"t{number % 20}"])
            paper_id = store.insert_paper(record, now)
            sha = f"{number:064x}"
            file_id = store.insert_file(sha, 100_000, ".pdf", now, pages=pages)
            made = [f"w{rng.randrange(10**6):06d}x" for _ in range(30)]
            texts = []
            for _ in range(pages):
                words: list[str] = []
                while sum(len(w) for w in words) < 3500:
                    words.append(rng.choice(pool))
                words.insert(rng.randrange(len(words)), " ".join(rng.sample(made, 3)))
                texts.append(" ".join(words))
            store.set_file_text(file_id, texts)
            store.attach_file(paper_id, file_id, f"paper-{number}.pdf", now)
        store.optimize_index()
    store.close()


def timed(function: object, repeat: int) -> tuple[float, float]:
    """Median milliseconds of `repeat` calls: wall, and this process's CPU time."""
    times, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        function()  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(times), statistics.median(cpus)


def find_times(db: Path, repeat: int = 15) -> list[dict[str, object]]:
    from papertrail.core.files import find
    from papertrail.model.search_query import parse, to_fts5

    store = open_store(str(db))
    bare = sqlite3.connect(db)
    bare_sql = (
        "SELECT rowid, snippet(file_page_fts, 0, '[', ']', '…', 16) FROM file_page_fts "
        "WHERE file_page_fts MATCH ? ORDER BY rank LIMIT 20"
    )
    rows = []
    for query in QUERIES:
        match = to_fts5(parse(query))
        hits = find(store, query)
        ours, ours_cpu = timed(lambda q=query: find(store, q), repeat)
        floor, floor_cpu = timed(lambda m=match: bare.execute(bare_sql, (m,)).fetchall(), repeat)
        matching = bare.execute(
            "SELECT count(*) FROM file_page_fts WHERE file_page_fts MATCH ?", (match,)
        ).fetchone()[0]
        rows.append({"query": query, "pages": matching, "papers": len(hits), "find_ms": ours,
                     "bare_ms": floor, "ratio": ours / floor, "find_cpu": ours_cpu,
                     "bare_cpu": floor_cpu, "cpu_ratio": ours_cpu / floor_cpu})  # fmt: skip
    store.close()
    bare.close()
    return rows


def index_size(db: Path) -> dict[str, float]:
    connection = sqlite3.connect(db)
    text = connection.execute("SELECT sum(length(CAST(text AS BLOB))) FROM file_page").fetchone()[0]
    index = connection.execute(
        "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'file_page_fts%'"
    ).fetchone()[0]
    connection.close()
    return {"text_mb": text / 1e6, "index_mb": index / 1e6, "ratio": index / text}


# -- 3. import DIR of 200 PDFs ----------------------------------------------------------------


def import_dir(paths: list[Path], count: int = 200) -> dict[str, float]:
    folder = WORK / "import"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    pages = 0
    for number in range(count):
        source = paths[number % len(paths)]
        # A trailing comment makes each copy a distinct file (its own hash); readers ignore it.
        (folder / f"{number:03d}-{source.name}").write_bytes(
            source.read_bytes() + f"\n% copy {number}\n".encode()
        )
    library = WORK / "import.db"
    for path in WORK.glob("import.db*"):
        path.unlink()
    shutil.rmtree(WORK / "files", ignore_errors=True)
    env = {**os.environ, "PAPERTRAIL_DB": str(library), "PAPERTRAIL_OFFLINE": "1",
           "PAPERTRAIL_FILES": str(WORK / "files")}  # fmt: skip
    started, cpu = time.perf_counter(), cpu_children()
    done = subprocess.run(
        [sys.executable, "-m", "papertrail", "import", str(folder)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    elapsed, cpu = time.perf_counter() - started, cpu_children() - cpu
    summary = [line for line in done.stdout.splitlines() if line.startswith("Imported")]
    connection = sqlite3.connect(library)
    pages = connection.execute("SELECT sum(pages) FROM file").fetchone()[0] or 0
    connection.close()
    return {
        "files": count,
        "seconds": elapsed,
        "per_s": count / elapsed,
        "pages": pages,
        "cpu": cpu,
        "per_cpu_s_2_cores": count / (cpu / 2),
        "summary": summary[0] if summary else done.stderr[-300:],
    }  # type: ignore[dict-item]


# -- the report ----------------------------------------------------------------------------------


def report(extract: dict[str, float], finds: list[dict[str, object]], size: dict[str, float],
           imported: dict[str, float]) -> str:  # fmt: skip
    load = os.getloadavg()[0]
    worst = max(float(str(r["find_ms"])) for r in finds)
    worst_ratio = max(float(str(r["ratio"])) for r in finds)
    worst_cpu = max(float(str(r["find_cpu"])) for r in finds)
    worst_cpu_ratio = max(float(str(r["cpu_ratio"])) for r in finds)
    lines = [
        f"## PDFs (issue 20), {time.strftime('%Y-%m-%d %H:%M')}, load average {load:.1f} "
        f"on {os.cpu_count()} cores",
        "",
        "| figure | measured | floor | met |",
        "|---|---|---|---|",
        f"| extraction, one worker on one core | {extract['pages_per_s']:.0f} pages/s "
        f"({extract['pages']:.0f} pages in {extract['seconds']:.2f} s) | 300 pages/s | "
        f"{'yes' if extract['pages_per_s'] >= 300 else 'NO'} |",
        f"| extraction, pages per CPU-second of the worker | {extract['pages_per_cpu_s']:.0f} "
        f"| 300 | {'yes' if extract['pages_per_cpu_s'] >= 300 else 'NO'} |",
        f"| find, 1,000 papers / 20,000 pages, slowest query | {worst:.0f} ms | 100 ms | "
        f"{'yes' if worst < 100 else 'NO'} |",
        f"| find / bare FTS5 query, worst ratio | {worst_ratio:.1f}x | 3x | "
        f"{'yes' if worst_ratio <= 3 else 'NO'} |",
        f"| find, slowest query, CPU time | {worst_cpu:.0f} ms | 100 ms | "
        f"{'yes' if worst_cpu < 100 else 'NO'} |",
        f"| find / bare FTS5 query, worst ratio of CPU times | {worst_cpu_ratio:.1f}x | 3x | "
        f"{'yes' if worst_cpu_ratio <= 3 else 'NO'} |",
        f"| import DIR, 200 PDFs, offline | {imported['per_s']:.1f} PDFs/s "
        f"({imported['seconds']:.1f} s, {imported['pages']:.0f} pages) | 20 PDFs/s | "
        f"{'yes' if imported['per_s'] >= 20 else 'NO'} |",
        f"| import DIR, CPU: PDFs per second of two cores' CPU time | "
        f"{imported['per_cpu_s_2_cores']:.1f} ({imported['cpu']:.1f} CPU-s) | 20 PDFs/s | "
        f"{'yes' if imported['per_cpu_s_2_cores'] >= 20 else 'NO'} |",
        f"| full-text index / extracted text | {size['ratio']:.2f}x ({size['index_mb']:.1f} MB "
        f"/ {size['text_mb']:.1f} MB) | 1.5x | {'yes' if size['ratio'] <= 1.5 else 'NO'} |",
        "",
        "| query | matching pages | papers shown | find ms (CPU) | bare FTS5 ms (CPU) "
        "| ratio (CPU) |",
        "|---|---|---|---|---|---|",
    ]
    for row in finds:
        f = {k: float(str(v)) for k, v in row.items() if k not in ("query",)}
        lines.append(
            f"| `{row['query']}` | {row['pages']} | {row['papers']} | {f['find_ms']:.0f} "
            f"({f['find_cpu']:.0f}) | {f['bare_ms']:.0f} ({f['bare_cpu']:.0f}) | "
            f"{f['ratio']:.2f} ({f['cpu_ratio']:.2f}) |"
        )
    lines += ["", f"import: {imported['summary']}", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true", help="Do not append to results.md.")
    options = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    paths = readable(fixtures())
    extract = extraction(paths)
    db = WORK / "find.db"
    build_library(db, sentences(paths))
    finds = find_times(db)
    size = index_size(db)
    imported = import_dir(paths)
    text = report(extract, finds, size, imported)
    print(text)
    if not options.no_write:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write("\n" + text)


if __name__ == "__main__":
    main()

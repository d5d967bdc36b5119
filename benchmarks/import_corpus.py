"""How well `papertrail import` reads real lists nobody here shaped: figures per file.

Each file is imported through the real CLI (`python -m papertrail`, a fresh SQLite library
per file) and the library read back with `list --json`. Measured per file:

* entries: papers in the library after the import;
* unusable %: papers whose title no reader would take for a title (tests/support/titles.py,
  written apart from the importer's rules), or missing on a paper not on arXiv (`fetch`
  gives an arXiv paper its title: none is honest there); untitled %: papers with no title;
* sampled right %: of the hand-checked titles (tests/data/corpus_titles.json), how many
  are in the library, compared case- and space-insensitively;
* proceedings: BibTeX `@proceedings`/`@book` entries that exist only as `crossref=`
  targets of other entries, imported as papers (should be 0);
* years %: of the BibTeX entries whose own fields or crossref target give a year, those
  whose paper has a year;
* arXiv: ids found / ids the file names (outside fenced code);
* linked: markdown lines linking a paper host (DOI, OpenReview, ACL Anthology, CVF...)
  without an arXiv id, whose link is some paper's url/pdf_url/doi, or whose link text
  (three words or more) is some paper's title (found / lines);
* dropped: entries skipped as "removed from the library" on this fresh library (0).

The importer is whatever `papertrail` the running Python imports: to measure another
checkout, put its src/ first on PYTHONPATH. Run from the repository root:

    python benchmarks/import_corpus.py                       # ../corpus, ../shared, tests
    python benchmarks/import_corpus.py --label before --json .work/before.json
    python benchmarks/import_corpus.py --compare .work/before.json --markdown RESULTS.md
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.corpus import (
    DEFAULT_DIRS,
    Figures,
    corpus_files,
    load_expected,
    measure,
    row,
    table,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: all)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--compare", type=Path, help="figures (--json) measured before")
    parser.add_argument("--markdown", type=Path, help="write the table here")
    parser.add_argument("--bad", action="store_true", help="print unusable titles per file")
    parser.add_argument("--missing", action="store_true", help="print linked lines not in")
    args = parser.parse_args()
    expected = load_expected()
    chosen = [p for p in args.paths if p.is_file()]
    folders = [p for p in args.paths if p.is_dir()]
    files = chosen + corpus_files(folders if folders or chosen else DEFAULT_DIRS)
    figures = []
    for path in files:
        f = measure(path, expected)
        figures.append(f)
        print(" | ".join(row(f)) + (f"  FAILED: {f.failed}" if f.failed else ""), flush=True)
        if args.bad and f.bad_titles:
            print("    " + " // ".join(f.bad_titles)[:400])
        if args.missing:
            for line in f.missing:
                print("    MISSING " + line)
    before = None
    if args.compare:
        before = {d["file"]: Figures(**d) for d in json.loads(args.compare.read_text())}
    text = table(figures, before)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(f) for f in figures], indent=1))
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

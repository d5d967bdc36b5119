"""Import figures of real reading lists, per file: what `benchmarks/import_corpus.py`
reports and `tests/importers/test_corpus.py` asserts (totals). See the benchmark's
docstring for what each figure means.

Each file is imported through the real CLI into a fresh SQLite library; `runner` runs
it (a subprocess of `python -m papertrail` by default, Typer's CliRunner in tests).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from papertrail.model.ids import find_arxiv_ids, normal_doi
from tests.support.titles import unusable_reason

ROOT = Path(__file__).resolve().parents[2]
# (library, *arguments) -> (exit code, stdout, stderr) of `papertrail --db library ...`
Runner = Callable[..., tuple[int, str, str]]

EXPECTED = ROOT / "tests" / "data" / "corpus_titles.json"
DEFAULT_DIRS = (
    ROOT.parent / "corpus",
    ROOT.parent / "shared" / "reading-lists",
    ROOT / "tests" / "data" / "corpus",
)
SUFFIXES = (".md", ".bib", ".ris", ".json")
# Files read only together with the one before them (@string macros used by the next).
COMPANIONS = {"crcox__MASTERBIB__Main.bib": "crcox__MASTERBIB__AuthorIDs.bib"}
PAPER_HOSTS = re.compile(
    r"https?://(?:dx\.)?(?:doi\.org|openreview\.net|aclanthology\.org|(?:www\.)?aclweb\.org"
    r"/anthology|proceedings\.neurips\.cc|papers\.nips\.cc|proceedings\.mlr\.press"
    r"|openaccess\.thecvf\.com|ieeexplore\.ieee\.org|dl\.acm\.org|link\.springer\.com"
    r"|(?:www\.)?sciencedirect\.com|(?:www\.)?nature\.com/articles|(?:www\.)?biorxiv\.org"
    r"|ojs\.aaai\.org|(?:www\.)?ijcai\.org/proceedings|(?:www\.)?jmlr\.org/papers"
    r"|(?:www\.)?science\.org/doi|(?:www\.)?ncbi\.nlm\.nih\.gov/pmc|pmc\.ncbi\.nlm\.nih\.gov"
    r"|(?:www\.)?medrxiv\.org|(?:www\.)?pnas\.org/doi|(?:www\.)?cell\.com|academic\.oup\.com"
    r"|onlinelibrary\.wiley\.com|(?:www\.)?tandfonline\.com|journals\.plos\.org)"
    r"[^\s)\]\"'<>]*",
    re.I,
)
# Any site's page of a DOI (`/doi/10.1016/...`, `/doi/abs/10.1142/...`) is a paper's too.
_DOI_PAGE = re.compile(r"https?://[^\s/]+/(?:[^\s]*/)?doi/(?:[a-z]+/)?(10\.\d{4,9}/[^\s?#]+)", re.I)

_LABEL = re.compile(r"\[([^\[\]]{3,300})\]\(")
_PRE = re.compile(r"<pre\b.*?</pre\s*>", re.I | re.S)


@dataclass
class Figures:
    file: str
    entries: int = 0
    unusable: int = 0
    untitled: int = 0
    sampled: int = 0
    sampled_right: int = 0
    proceedings: int = 0
    years_possible: int = 0
    years_kept: int = 0
    arxiv_named: int = 0
    arxiv_found: int = 0
    linked: int = 0
    linked_found: int = 0
    dropped: int = 0
    failed: str = ""
    bad_titles: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def norm(title: str) -> str:
    return " ".join(title.casefold().replace("’", "'").split()).strip(" .")


_COMMENT = re.compile(r"<!--.*?-->", re.S)


def outside_code(text: str) -> str:
    """The text a reader sees: without fenced code blocks and HTML comments."""
    text = _COMMENT.sub(" ", text)
    kept, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced:
            kept.append(line)
    return "\n".join(kept)


def run(db: Path, *args: str) -> tuple[int, str, str]:
    """`papertrail --db db ...` in a fresh interpreter (whatever `papertrail` it imports)."""
    env = dict(os.environ, PAPERTRAIL_OFFLINE="1", NO_COLOR="1", COLUMNS="200")
    command = [sys.executable, "-m", "papertrail", "--db", str(db), *args]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    return done.returncode, done.stdout, done.stderr


def bib_entries(text: str) -> list[dict[str, str]]:
    """BibTeX entries as lower-case field dicts (`_type`, `_key`), by bibtexparser's
    splitter alone: no papertrail rule decides what the benchmark counts."""
    from bibtexparser.splitter import Splitter

    found = []
    for entry in Splitter(text).split().entries:
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        fields["_type"], fields["_key"] = entry.entry_type.lower(), entry.key
        found.append(fields)
    return found


def bib_figures(figures: Figures, text: str, papers: list[dict]) -> None:
    entries = bib_entries(text)
    by_key = {e["_key"].lower(): e for e in entries}
    targets = {e["crossref"].strip("{} ").lower() for e in entries if "crossref" in e}
    keys = {(p.get("citation_key") or "").lower(): p for p in papers}
    figures.proceedings = sum(1 for key in targets if key in keys and key in by_key)
    for entry in entries:
        key = entry["_key"].lower()
        if key in targets or key not in keys:
            continue
        target = by_key.get(entry.get("crossref", "").strip("{} ").lower(), {})
        if any(
            re.search(r"\d{4}", e.get(n, "")) for e in (entry, target) for n in ("year", "date")
        ):
            figures.years_possible += 1
            figures.years_kept += keys[key].get("year") is not None


_ITEM = re.compile(r"\s*(?:[-*+]|\d{1,4}[.)])\s+\S|\s*#|\s*\|")
_DESTINATION = re.compile(
    r"\]\(\s*<?((?:[^\s()<>]|\([^\s()]*\))+)|(?<![(\w])(https?://[^\s)\]\"'<>]+)"
)
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def entries_of(text: str) -> list[str]:
    """A markdown file's entries as a reader segments it, by a rule written apart from the
    importer's: a list item with the lines under it that start no item of their own, a
    table row, a heading, a paragraph (hard breaks included). Sub-items are entries of
    their own: a list's sub-bullet usually adds a link to the paper above, and an entry
    counted twice can only lower the figure."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in _PRE.sub(" ", outside_code(text)).splitlines():  # <pre>: code, no entry
        if not line.strip():
            current = None
        elif current is None or _ITEM.match(line) or line.lstrip().startswith("<details"):
            current = [line]
            blocks.append(current)
        else:
            current.append(line)
    return ["\n".join(block) for block in blocks]


def all_links(entry: str) -> set[str]:
    """The entry's link destinations, markdown escapes undone."""
    found = set()
    for match in _DESTINATION.finditer(entry):
        found.add(_ESCAPED.sub(r"\1", match.group(1) or match.group(2)).rstrip("/.,;").lower())
    return found


def paper_links(entry: str) -> set[str]:
    """The entry's link destinations on a paper host, or naming a DOI."""
    return {url for url in all_links(entry) if PAPER_HOSTS.search(url) or _DOI_PAGE.match(url)}


def _link_doi(url: str) -> str | None:
    page = _DOI_PAGE.match(url)
    return normal_doi(page.group(1) if page else url)


def linked_figures(figures: Figures, text: str, papers: list[dict]) -> None:
    """An entry's paper came in when one of its paper links is a paper's url, pdf_url or
    DOI, when one of its link texts (three words or more) is a paper's title, or when a
    paper's title (four words or more) is written in it: the list may name one paper twice
    with two links (a merge by title keeps one), or link the paper only from its title."""
    known = set()
    titles = set()
    for paper in papers:
        for name in ("url", "pdf_url"):
            if paper.get(name):
                known.add(paper[name].rstrip("/").lower())
                doi = normal_doi(paper[name])
                known.update([doi.lower()] if doi else [])
        if paper.get("doi"):
            known.add(paper["doi"].lower())
        if paper.get("title"):
            known.add(norm(paper["title"]))
            if len(paper["title"].split()) >= 4:
                titles.add(norm(paper["title"]))
    for entry in entries_of(text):
        links = paper_links(entry)
        if not links or find_arxiv_ids(entry):
            continue
        figures.linked += 1
        keys = links | {d.lower() for d in map(_link_doi, links) if d}
        keys |= {norm(label) for label in _LABEL.findall(entry) if len(label.split()) > 2}
        words = norm(re.sub(r"[*_`\[\]]", " ", entry))
        if keys & known or any(t in words for t in titles):
            figures.linked_found += 1
        else:
            figures.missing.append(" / ".join(entry.split("\n"))[:300])


def measure(path: Path, expected: dict[str, list[str]], runner: Runner = run) -> Figures:
    figures = Figures(path.name)
    files = [path]
    if path.name in COMPANIONS:
        files.insert(0, path.with_name(COMPANIONS[path.name]))
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "lib.db"
        code, out, err = runner(db, "import", "-v", *map(str, files))
        if code != 0:
            figures.failed = (err.strip().splitlines() or ["?"])[-1][:120]
            return figures
        figures.dropped = out.count("removed from the library")
        papers = json.loads(runner(db, "list", "--json")[1] or "[]")
    text = "\n".join(f.read_text(encoding="utf-8") for f in files)
    figures.entries = len(papers)
    titles = [p.get("title") for p in papers]
    # No title on an arXiv paper is honest (`fetch` fills it in); on any other, unusable.
    bad = [
        p.get("title") or "(none)"
        for p in papers
        if (not p.get("title") and not p.get("arxiv_id")) or unusable_reason(p.get("title"))
    ]
    figures.unusable, figures.bad_titles = len(bad), bad[:8]
    figures.untitled = sum(1 for t in titles if not t)
    have = {norm(t) for t in titles if t}
    sample = expected.get(path.name, [])
    figures.sampled = len(sample)
    figures.sampled_right = sum(norm(t) in have for t in sample)
    named = {a.id for a in find_arxiv_ids(outside_code(text) if path.suffix == ".md" else text)}
    found = {p["arxiv_id"] for p in papers if p.get("arxiv_id")}
    figures.arxiv_named, figures.arxiv_found = len(named), len(named & found)
    if path.suffix == ".bib":
        bib_figures(figures, text, papers)
    if path.suffix == ".md":
        linked_figures(figures, text, papers)
    return figures


def load_expected() -> dict[str, list[str]]:
    if not EXPECTED.exists():
        return {}
    data = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return {name: titles for name, titles in data.items() if not name.startswith("_")}


def corpus_files(dirs: Iterable[Path]) -> list[Path]:
    """The lists of `dirs`, each name once (the corpus's files kept here are in ../corpus)."""
    files: dict[str, Path] = {}
    for folder in dirs:
        if folder.is_dir():
            for p in sorted(folder.rglob("*")):
                if (
                    p.suffix in SUFFIXES
                    and p.name not in COMPANIONS.values()
                    and not p.name.startswith(("SOURCES", "README"))
                ):
                    files.setdefault(p.name, p)
    return list(files.values())


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "-"


def row(f: Figures) -> list[str]:
    return [
        f.file[:60], str(f.entries), pct(f.unusable, f.entries), pct(f.untitled, f.entries),
        pct(f.sampled_right, f.sampled), str(f.proceedings), pct(f.years_kept, f.years_possible),
        f"{f.arxiv_found}/{f.arxiv_named}", f"{f.linked_found}/{f.linked}", str(f.dropped),
    ]  # fmt: skip


HEAD = ["file", "entries", "unusable %", "untitled %", "sampled right %", "proceedings", "years %",
        "arXiv", "linked", "dropped"]  # fmt: skip


def totals(figures: list[Figures]) -> Figures:
    total = Figures("TOTAL")
    for f in figures:
        for name in ("entries", "unusable", "untitled", "sampled", "sampled_right", "proceedings",
                     "years_possible", "years_kept", "arxiv_named", "arxiv_found", "linked",
                     "linked_found", "dropped"):  # fmt: skip
            setattr(total, name, getattr(total, name) + getattr(f, name))
    return total


def table(figures: list[Figures], before: dict[str, Figures] | None = None) -> str:
    lines = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    for f in [*figures, totals(figures)]:
        cells = row(f)
        if before is not None:
            old = totals(list(before.values())) if f.file == "TOTAL" else before.get(f.file)
            if old is not None:
                cells = [c if c == o or i == 0 else f"{o} → {c}"
                         for i, (c, o) in enumerate(zip(cells, row(old), strict=True))]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)

"""The real bibliographies in ../shared/reading-lists/bib (JabRef, Zotero BibLaTeX,
Zotero CSL-JSON): what comes in, and that it goes out and back in unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bibtexparser.splitter import Splitter

from papertrail.model.ids import find_arxiv_ids, normal_doi
from tests.support import paths
from tests.support.cli import ok
from tests.support.shared import require_shared

JABREF = ("crcox__MASTERBIB__AuthorIDs.bib", "crcox__MASTERBIB__Main.bib")
ZOTERO_BIB = ("EoinDavey__MSc_Thesis__zotero.bib",)
ZOTERO_CSL = ("danjustice2__Dan-Justice-s-Thesis__My_Library.csl.json",)
# What a bibliography says of a paper, and what BibTeX -> papertrail -> BibTeX must keep.
KEPT = ("entry_type", "venue", "volume", "number", "pages", "publisher", "doi", "authors",
        "title", "year", "published", "arxiv_id")  # fmt: skip


def shared_files(names: tuple[str, ...]) -> list[str]:
    return [str(require_shared("reading-lists", "bib", name)) for name in names]


def papers(db: Path) -> list[dict]:
    return json.loads(ok("--db", str(db), "list", "--json"))


@pytest.mark.parametrize(
    ("names", "report", "figures"),
    [
        # 707 entries; 45 are the same paper again (Zotero's `key-1` copies): 662 papers.
        (JABREF, "662 added, 45 already present (merged), 0 skipped",
         {"papers": 662, "arxiv": 0, "without_authors": 2}),
        (ZOTERO_BIB, "26 added, 0 already present (merged), 0 skipped",
         {"papers": 26, "arxiv": 5, "without_authors": 0}),
        # 56 items: BERT three times, "Sparks of AGI" twice, one item with no title at all.
        (ZOTERO_CSL, "52 added, 3 already present (merged), 1 skipped",
         {"papers": 52, "arxiv": 1, "without_authors": 1}),
    ],
)  # fmt: skip
def test_real_bibliographies_come_in_whole(
    tmp_path: Path, names: tuple[str, ...], report: str, figures: dict[str, int]
) -> None:
    files = shared_files(names)
    db = tmp_path / "lib.db"
    out = ok("--db", str(db), "import", *files)
    assert report in out
    found = papers(db)
    assert {
        "papers": len(found),
        "arxiv": sum(1 for p in found if p["arxiv_id"]),
        "without_authors": sum(1 for p in found if not p["authors"]),
    } == figures
    # Every arXiv id the file names (URLs, DOIs, `arXiv:` mentions) is found ...
    text = "\n".join(Path(f).read_text(encoding="utf-8") for f in files)
    assert {p["arxiv_id"] for p in found if p["arxiv_id"]} == {i.id for i in find_arxiv_ids(text)}
    # ... and no title is unusable: text, no markup, braces or LaTeX left.
    for paper in found:
        title = paper["title"]
        assert title and len(title) > 3 and not set(title) & set("{}\\<>$"), title


def test_every_jabref_entry_with_authors_has_them(tmp_path: Path) -> None:
    macros, main = shared_files(JABREF)
    db = tmp_path / "lib.db"
    out = ok("--db", str(db), "import", macros, main)
    # Three names the file uses are defined nowhere: said once, not per entry.
    assert "warning: crcox__MASTERBIB__Main.bib: 3 @string macro(s) used but not defined" in out
    with_author = {
        e.key
        for e in Splitter(Path(main).read_text(encoding="utf-8")).split().entries
        if any(f.key.lower() == "author" for f in e.fields)
    }
    found = {p["citation_key"]: p for p in papers(db)}
    assert not [key for key in with_author & found.keys() if not found[key]["authors"]]
    assert found["acosta-cabronero_atrophy_2011"]["authors"][:2] == [
        "Julio Acosta-Cabronero",
        "Karalyn Patterson",
    ]
    assert found["acosta-cabronero_atrophy_2011"]["pages"] == "2025–2035"


@pytest.mark.parametrize("names", [JABREF, ZOTERO_BIB], ids=["jabref", "zotero-biblatex"])
def test_bibtex_to_papertrail_to_bibtex_keeps_every_entry(
    tmp_path: Path, names: tuple[str, ...]
) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    ok("--db", str(first), "import", *shared_files(names))
    exported = tmp_path / "export.bib"
    ok("--db", str(first), "export", "--format", "bibtex", "--output", str(exported))
    ok("--db", str(second), "import", str(exported))
    before = {p["citation_key"]: p for p in papers(first)}
    after = {p["citation_key"]: p for p in papers(second)}
    assert after.keys() == before.keys()
    changed = [(k, f) for k, p in before.items() for f in KEPT if after[k][f] != p[f]]
    assert changed == []


def test_zotero_csl_json_round_trips(tmp_path: Path) -> None:
    (source,) = shared_files(ZOTERO_CSL)
    db = tmp_path / "lib.db"
    ok("--db", str(db), "import", source)
    exported = tmp_path / "export.json"
    ok("--db", str(db), "export", "--format", "csl-json", "--output", str(exported))
    items = {i["id"]: i for i in json.loads(exported.read_text(encoding="utf-8"))}
    original = {i["id"]: i for i in json.loads(Path(source).read_text(encoding="utf-8"))}
    checked = 0
    for key, item in items.items():
        given = original[key]
        assert item["type"] == given["type"], key
        assert _names(item.get("author")) == _names(given.get("author")), key
        for name in ("container-title", "volume", "issue", "page", "publisher", "URL"):
            assert item.get(name) == given.get(name), (key, name)
        assert normal_doi(item.get("DOI")) == normal_doi(given.get("DOI")), key
        checked += 1
    assert checked == 52
    again = tmp_path / "again.db"
    ok("--db", str(again), "import", str(exported))
    assert [p["title"] for p in papers(again)] == [p["title"] for p in papers(db)]


def _names(authors: list[dict] | None) -> list[str]:
    """CSL names as a reader sees them (`{"family": "OpenAI", "given": ""}`: OpenAI)."""
    parts = ("literal", "given", "dropping-particle", "non-dropping-particle", "family", "suffix")
    return [" ".join(a[p] for p in parts if a.get(p)) for a in authors or []]


@pytest.mark.parametrize("chunk", [1, 3, 1000])
def test_the_fast_path_reads_plain_entries_as_bibtexparser_does(chunk: int) -> None:
    from papertrail.importers.bibtex import _chunks
    from papertrail.importers.bibtex_fast import split_plain

    files = shared_files(JABREF + ZOTERO_BIB) + [str(p) for p in paths.DATA.glob("**/*.bib")]
    taken = 0
    for name in files:
        for _, text in _chunks(Path(name).read_text(encoding="utf-8-sig"), chunk):
            plain = split_plain(text)
            if plain is None:
                continue  # anything unusual goes to bibtexparser
            library = Splitter(text).split()
            assert not library.failed_blocks and not library.strings
            expected = [
                (e.entry_type, e.key, [(f.key, f.value) for f in e.fields], e.start_line)
                for e in library.entries
            ]
            assert [tuple(e) for e in plain] == expected, name
            taken += 1
    assert taken  # the path is used at all

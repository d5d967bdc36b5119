"""Bibliographies through the real CLI: BibTeX/BibLaTeX, CSL-JSON and RIS in, BibTeX and
CSL-JSON out, and one record per paper when two sources describe the same one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from papertrail.importers import bibtex
from papertrail.importers.bibtex import parse_bibtex
from tests.support.cli import as_json, ok, run
from tests.support.db import dump as db_dump
from tests.support.paths import DATA

BIB = DATA / "bib"

pytestmark = pytest.mark.usefixtures("backend")


def by_key() -> dict[str, dict]:
    return {p["citation_key"]: p for p in as_json("list")}


# -- BibTeX and BibLaTeX in ---------------------------------------------------------------


def test_biblatex_file_keeps_what_the_bibliography_says() -> None:
    out = ok("import", "--verbose", str(BIB / "biblatex.bib"))
    assert "7 added" in out and "1 skipped" in out
    # The unclosed entry is named by its line; the entry after it still came in.
    assert "skipped biblatex.bib:59 @article{broken2021," in out
    assert "not closed before the next entry" in out
    papers = by_key()
    vaswani = papers["vaswani2017attention"]  # JabRef: capitalised fields, macros joined by #
    assert vaswani["authors"] == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]
    assert vaswani["venue"] == "Advances in Neural Information Processing Systems 30"
    assert (vaswani["entry_type"], vaswani["pages"], vaswani["arxiv_id"]) == (
        "inproceedings", "5998–6008", "1706.03762",  # from Url_ArXiv
    )  # fmt: skip
    assert vaswani["publisher"] == "Curran Associates, Inc."
    bonamy = papers["bonamy2018colouring"]  # BibLaTeX: date, eprinttype, name parts
    assert bonamy["authors"] == ["Marthe Bonamy", "Thomas Perrett", "Rémi de Verclos"]
    assert (bonamy["year"], bonamy["published"]) == (2018, "2018-10-15")
    assert (bonamy["arxiv_id"], bonamy["primary_category"]) == ("1810.06704", "math.CO")
    assert bonamy["title"] == "Colouring Graphs with Sparse Neighbourhoods"
    who = papers["who2020report"]
    assert who["authors"] == ["World Health Organization", "Jörg Müller"]
    assert (who["venue"], who["volume"], who["number"]) == (
        "Weekly Epidemiological Record",
        "95",
        "12",
    )
    assert (who["year"], who["published"], who["doi"]) == (2020, None, "10.1000/WER.2020.12")
    assert papers["wei2022chain"]["arxiv_id"] == "2201.11903"  # journal = {arXiv preprint ...}
    assert papers["wei2022chain"]["authors"] == ["Jason Wei", "Xuezhi Wang"]  # "and others"
    assert papers["he2016identity"]["arxiv_id"] == "1603.05027"  # arxiv = {...}
    assert papers["doe2019thesis"]["arxiv_id"] == "1902.00001"  # arxivid = {...}
    assert papers["doe2019thesis"]["publisher"] == "University of Somewhere"  # school
    assert papers["last2023"]["pages"] == "1–9"


def test_string_macros_from_an_earlier_file_of_the_same_command() -> None:
    out = ok("import", str(BIB / "macros.bib"), str(BIB / "uses_macros.bib"))
    assert "Imported uses_macros.bib: 1 added" in out
    paper = as_json("show", "1510.00149")
    assert paper["authors"] == ["Song Han", "Huizi Mao"]
    assert paper["venue"] == "International Conference on Learning Representations"


def test_undefined_macros_are_one_warning_that_says_what_to_do() -> None:
    out = ok("import", str(BIB / "uses_macros.bib"))
    assert "1 added" in out and "0 skipped" in out
    assert "warning: uses_macros.bib: 3 @string macro(s) used but not defined" in out
    assert "papertrail import macros.bib main.bib" in out
    assert as_json("show", "1510.00149")["authors"] == []


def test_strict_import_of_several_files_is_all_or_nothing(isolated_env: str) -> None:
    before = db_dump(isolated_env)
    result = run("import", "--strict", str(BIB / "uses_macros.bib"), str(BIB / "biblatex.bib"))
    assert result.exit_code == 1
    assert "biblatex.bib: the entry at line 59 is malformed" in result.stderr
    assert db_dump(isolated_env) == before


@pytest.mark.parametrize("chunk", [1, 2, 1000])
def test_line_numbers_stay_right_across_chunks(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    # Large files are read a chunk of entries at a time.
    monkeypatch.setattr(bibtex, "CHUNK_ENTRIES", chunk)
    parsed = parse_bibtex((BIB / "biblatex.bib").read_text(encoding="utf-8"), "b.bib")
    records = [r for batch in parsed.record_batches() for r in batch]
    assert [r.sources[0].split()[0] for r in records] == [
        f"b.bib:{line}" for line in (5, 16, 26, 37, 44, 51, 63)
    ]
    assert [label.split()[0] for label, _ in parsed.skipped] == ["b.bib:59"]
    assert records[0].authors == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]  # macros


def test_names_with_accented_letters_in_braces_split_as_written() -> None:
    """Braces that only hold an accented letter (`Nov{\'a}k`) change no split; braces
    with a space or comma in them still keep a name whole."""
    parsed = parse_bibtex(
        "@misc{k, title = {T}, author = {Nov{\\'a}k, Kaiming and Dvo{\\v{r}}{\\'a}k, Huizi"
        " and {\\'E}mile de la {F}ontaine and {Barnes and Noble} and {Smith, Jones and Co}"
        ' and M{\\"u}ller, Jr, J{\\"o}rg}}',
        "a.bib",
    )
    [record] = next(parsed.record_batches())
    assert record.authors == [
        "Kaiming Novák", "Huizi Dvořák", "Émile de la Fontaine", "Barnes and Noble",
        "Smith, Jones and Co", "Jörg Müller Jr",
    ]  # fmt: skip


def test_a_file_with_no_entry_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.bib"
    bad.write_text("% just a comment\nnothing here\n", encoding="utf-8")
    result = run("import", str(bad))
    assert result.exit_code == 1 and "notes.bib holds no BibTeX entries" in result.stderr


# -- BibTeX out ---------------------------------------------------------------------------------


def test_bibtex_export_writes_the_original_types_fields_and_braced_organisations(
    tmp_path: Path,
) -> None:
    ok("import", str(BIB / "biblatex.bib"))
    out = ok("export", "--format", "bibtex")
    assert "@inproceedings{vaswani2017attention," in out
    assert "  booktitle = {Advances in Neural Information Processing Systems 30}," in out
    assert "  pages = {5998--6008}," in out
    assert "@online{bonamy2018colouring," in out and "  date = {2018-10-15}," in out
    assert "  author = {{World Health Organization} and Jörg Müller}," in out
    assert "  journal = {Weekly Epidemiological Record}," in out
    assert "@phdthesis{doe2019thesis," in out and "  school = {University of Somewhere}," in out
    # ... and reads back the same
    exported = tmp_path / "out.bib"
    exported.write_text(out, encoding="utf-8")
    original = by_key()
    fresh = tmp_path / "fresh.db"
    ok("--db", str(fresh), "import", str(exported))
    again = {p["citation_key"]: p for p in json.loads(ok("--db", str(fresh), "list", "--json"))}
    assert set(again) == set(original)
    for key, paper in original.items():
        for name in ("entry_type", "venue", "volume", "number", "pages", "doi", "authors",
                     "title", "year", "published", "arxiv_id", "publisher"):  # fmt: skip
            assert again[key][name] == paper[name], (key, name)


def test_bibtex_export_keys_stay_unique_when_papers_share_one() -> None:
    for title in ("Same", "Same again", "Same once more"):
        ok("add", "--title", title, "--year", "2020", "--authors", "Ann Lee", "--url",
           f"https://e.org/{len(title)}")  # fmt: skip
    out = ok("export", "--format", "bibtex")
    keys = [line.split("{", 1)[1].rstrip(",") for line in out.splitlines() if line.startswith("@")]
    assert keys == ["lee2020same", "lee2020samea", "lee2020sameb"]


# -- CSL-JSON and RIS ---------------------------------------------------------------------------


def test_csl_json_is_told_apart_from_papertrail_json_and_keeps_its_fields() -> None:
    out = ok("import", str(DATA / "zotero.csl.json"))
    assert "5 added" in out
    papers = by_key()
    assert papers["maaten2008"]["authors"] == ["Laurens van der Maaten", "Geoffrey Hinton"]
    assert (papers["maaten2008"]["venue"], papers["maaten2008"]["number"]) == (
        "Journal of Machine Learning Research", "86",
    )  # fmt: skip
    assert papers["maaten2008"]["topics"] == ["embeddings", "visualization"]
    assert papers["wei2022"]["arxiv_id"] == "2201.11903"
    assert papers["wei2022"]["published"] == "2022-01-28"
    assert papers["who2020"]["title"] == "Global tuberculosis report"  # markup dropped
    assert papers["blog"]["entry_type"] == "post-weblog"
    assert papers["vaswani2017"]["entry_type"] == "inproceedings"


def test_csl_json_round_trips(tmp_path: Path) -> None:
    ok("import", str(DATA / "zotero.csl.json"))
    exported = tmp_path / "again.json"
    ok("export", "--format", "csl-json", "--output", str(exported))
    items = {item["id"]: item for item in json.loads(exported.read_text(encoding="utf-8"))}
    source = {item["id"]: item for item in json.loads((DATA / "zotero.csl.json").read_text())}
    assert set(items) == set(source)
    for key, item in source.items():
        assert items[key]["type"] == item["type"], key
        assert items[key]["author"] == item["author"], key
        assert items[key]["issued"]["date-parts"][0][0] == int(item["issued"]["date-parts"][0][0])
        for name in ("container-title", "volume", "issue", "page", "publisher", "URL"):
            assert items[key].get(name) == item.get(name), (key, name)
    fresh = tmp_path / "fresh.db"
    ok("--db", str(fresh), "import", str(exported))
    again = json.loads(ok("--db", str(fresh), "list", "--json"))
    original = as_json("list")
    for paper in (*again, *original):
        del paper["added_at"]
    assert again == original


def test_papertrail_list_json_is_still_papertrail_json(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    listed = tmp_path / "listed.json"
    listed.write_text(ok("list", "--json"), encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    ok("--db", str(fresh), "import", str(listed))
    assert json.loads(ok("--db", str(fresh), "list", "--json"))[0]["status"] == "read"


def test_ris_import_reads_endnote_zotero_mendeley_references() -> None:
    out = ok("import", str(DATA / "library.ris"))
    assert "4 added" in out
    papers = {p["title"]: p for p in as_json("list")}
    review = papers["Representation Learning: A Review and New Perspectives"]
    assert review["arxiv_id"] == "1206.5538" and review["doi"] == "10.1109/TPAMI.2013.50"
    assert (review["entry_type"], review["volume"], review["number"], review["pages"]) == (
        "article", "35", "8", "1798–1828",
    )  # fmt: skip
    assert review["venue"] == "IEEE Transactions on Pattern Analysis and Machine Intelligence"
    assert review["published"] == "2013-08-01" and review["authors"][0] == "Yoshua Bengio"
    adam = papers["Adam: A Method for Stochastic Optimization"]
    assert (adam["arxiv_id"], adam["entry_type"]) == ("1412.6980", "inproceedings")
    assert papers["A Report by Two Organisations"]["authors"] == ["OpenAI", "Google DeepMind"]
    assert "{Google DeepMind}" in ok("export", "--format", "bibtex")
    assert papers["Deep Learning"]["publisher"] == "MIT Press"


# -- one paper, two sources -------------------------------------------------------------------


def test_the_same_paper_from_two_formats_is_one_record() -> None:
    ok("import", str(BIB / "biblatex.bib"))
    out = ok("import", str(DATA / "zotero.csl.json"))
    # Vaswani: arXiv in the .bib, a title in CSL; Wei: the arXiv DOI; the rest are new.
    assert "3 added, 2 already present (merged)" in out
    attention = [p for p in as_json("list") if p["title"].lower() == "attention is all you need"]
    assert len(attention) == 1 and attention[0]["arxiv_id"] == "1706.03762"
    assert attention[0]["volume"] == "30"  # filled from the CSL item: the .bib had none


def test_a_title_only_paper_gains_the_arxiv_id_of_the_same_paper(tmp_path: Path) -> None:
    ok("add", "--title", "Identity mappings in deep residual networks!", "--year", "2016")
    ok("mark-read", "1")
    ok("note", "1", "my note")
    note = as_json("show", "1")["note"]
    ok("import", str(BIB / "biblatex.bib"))
    paper = as_json("show", "1")
    assert paper["arxiv_id"] == "1603.05027"
    assert paper["title"] == "Identity mappings in deep residual networks!"  # the user's stays
    assert (paper["status"], paper["note"]) == ("read", note) and "my note" in note
    assert paper["authors"] == ["Kaiming He", "Xiangyu Zhang"]  # it had none


def test_different_papers_that_share_a_title_stay_apart(tmp_path: Path) -> None:
    bib = tmp_path / "quantum.bib"
    bib.write_text(
        "@article{a, title = {Quantum cryptography}, author = {Gisin, Nicolas}, year = 2002,"
        " doi = {10.1103/RevModPhys.74.145}}\n"
        "@article{b, title = {Quantum Cryptography.}, author = {Other, Olga}, year = 2010,"
        " doi = {10.1000/other}}\n"
        "@article{c, title = {Quantum cryptography}, author = {Gisin, N.}, year = 2002,"
        " doi = {10.1103/REVMODPHYS.74.145}}\n"
        "@article{d, title = {Quantum cryptography}, author = {Gisin, Nicolas}, year = 2003}\n",
        encoding="utf-8",
    )
    out = ok("import", str(bib))
    # c is a (the same DOI, whatever its case); d differs from a by its year.
    assert "3 added, 1 already present (merged)" in out
    assert sorted(p["year"] for p in as_json("list")) == [2002, 2003, 2010]


def test_titles_match_across_accents_punctuation_and_case(tmp_path: Path) -> None:
    ok("add", "--title", "Über die Quantisierung — neuronaler Netze", "--authors", "Jörg Müller")
    csl = [{
        "id": "u", "type": "article-journal", "title": "uber die quantisierung neuronaler netze",
        "author": [{"family": "Muller", "given": "Jorg"}], "container-title": "Zeitschrift",
    }]  # fmt: skip
    file = tmp_path / "one.csl.json"
    file.write_text(json.dumps(csl), encoding="utf-8")
    assert "0 added, 1 already present (merged)" in ok("import", str(file))
    assert as_json("show", "1")["venue"] == "Zeitschrift"


def test_an_import_is_one_change_that_undo_takes_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bibtex, "CHUNK_ENTRIES", 2)  # several batches, one history entry
    ok("import", str(BIB / "biblatex.bib"))
    assert "imported biblatex.bib: 7 added, 0 merged" in ok("log")
    ok("undo")
    assert as_json("list") == []

"""BibTeX and BibLaTeX in: what a bibliography says is kept (JabRef's fields, BibLaTeX's
dates and eprints, @string macros across files, arXiv ids wherever they are given), names
with braces, malformed entries skipped by their line or refused with --strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from papertrail.importers import bibtex
from papertrail.importers.bibtex import parse_bibtex
from tests.support.cli import as_json, by_key, ok, run
from tests.support.db import dump as db_dump
from tests.support.paths import DATA

BIB = DATA / "bib"

pytestmark = pytest.mark.usefixtures("backend")


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


def test_bibtex_import_takes_arxiv_ids_from_eprint_journal_and_doi() -> None:
    out = ok("import", str(DATA / "small.bib"))
    assert "4 added" in out
    papers = {p["title"]: p for p in as_json("list")}
    assert (
        papers["Deep Compression: Compressing Deep Neural Networks with Pruning"]["arxiv_id"]
        == "1510.00149"
    )
    assert papers["Deep Compression: Compressing Deep Neural Networks with Pruning"]["version"] == 5
    assert papers["Deep Compression: Compressing Deep Neural Networks with Pruning"]["tags"] == [
        "pruning", "quantization",
    ]  # fmt: skip
    assert papers["Deep Compression: Compressing Deep Neural Networks with Pruning"]["authors"] == [
        "Song Han", "Huizi Mao", "William J. Dally",
    ]  # fmt: skip
    assert papers["Binarized Neural Networks"]["arxiv_id"] == "1602.02830"
    assert papers["Deep Sparse Rectifier Neural Networks"]["arxiv_id"] is None
    assert papers["Deep Sparse Rectifier Neural Networks"]["year"] == 2011
    assert papers["Über die Quantisierung"]["arxiv_id"] == "2001.00001"
    assert papers["Über die Quantisierung"]["authors"] == ["Jörg Müller"]


def test_a_malformed_bibtex_entry_is_skipped_with_its_line_and_the_rest_comes_in(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.bib"
    bad.write_text(
        "@misc{good, title = {Fine}, year = 2020}\n"
        "@misc{broken, title = {Never closed, year = 2021\n"
        "@misc{twice, title = {One}, title = {Two}}\n"
        "@misc{after, title = {After}, author = {Han, Song and Mao, Huizi,}, year = 2022}\n",
        encoding="utf-8",
    )
    out = ok("import", str(bad))
    assert "2 added" in out and "2 skipped" in out
    assert "Skipped: 1 not closed before the next entry, 1 field given twice" in out
    out = ok("import", "--verbose", "--dry-run", str(bad))
    assert "skipped bad.bib:2 @misc{broken," in out
    assert "skipped bad.bib:3 @misc{twice," in out and "field given twice: title" in out
    papers = {p["title"]: p for p in as_json("list")}
    assert set(papers) == {"Fine", "After"}
    assert papers["After"]["authors"] == ["Song Han", "Huizi Mao"]  # the trailing comma aside


def test_strict_bibtex_import_names_the_entry_and_changes_nothing(
    tmp_path: Path, isolated_env: str
) -> None:
    ok("import", str(DATA / "small.bib"))
    before = db_dump(isolated_env)
    bad = tmp_path / "bad.bib"
    bad.write_text(
        "@misc{good, title = {Fine}, year = 2020}\n"
        "@misc{broken, title = {Never closed, year = 2021\n"
        "@misc{after, title = {After}, year = 2022}\n",
        encoding="utf-8",
    )
    result = run("import", "--strict", str(bad))
    assert result.exit_code == 1
    assert "bad.bib: the entry at line 2 is malformed" in result.stderr
    assert "broken" in result.stderr
    assert db_dump(isolated_env) == before


def test_latex_the_decoder_trips_on_is_read_not_a_crash(tmp_path: Path) -> None:
    # HoTT's book bibliography: `\href{url}{words}` in notes (pylatexenc fails on every
    # \href), and a title with a command of its own.
    path = tmp_path / "refs.bib"
    path.write_text(
        "@misc{lumsdaine,\n"
        "\tAuthor = {Peter LeFanu Lumsdaine},\n"
        "\tTitle = {Higher inductive types: a tour of the menagerie},\n"
        "\tNote = {\\href{http://arxiv.org/abs/1302.1207/}{arXiv:1302.1207}},\n"
        "\tYear = 2013}\n\n"
        "@article{shulman,\n"
        "  title = {Univalence for {\\href{https://ex.org/a}{inverse}} diagrams},\n"
        "  author = {Shulman, Michael},\n  year = {2015}}\n",
        encoding="utf-8",
    )
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    papers = {p["citation_key"]: p for p in as_json("list")}
    assert papers["lumsdaine"]["arxiv_id"] == "1302.1207"
    assert papers["shulman"]["title"] == "Univalence for inverse diagrams"

"""The BibTeX exporter on rows (what `Store.iter_rows` streams): escaping in short and long
text alike, citation keys, and every entry written; and through `papertrail export`: the
original entry types and fields, arXiv's eprint fields, unique keys, and reading it back."""

from __future__ import annotations

import gc
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from papertrail.exporters import bibtex
from tests.support.cli import as_json, by_key, ok
from tests.support.paths import DATA

PADDING = " and more" * 40  # past the length below which a value takes the short path
BIB = DATA / "bib"


def row(topics: str | None = None, **fields: Any) -> tuple[Any, ...]:
    return (*(fields.get(column) for column in bibtex.COLUMNS), topics)


def export(*rows: tuple[Any, ...]) -> str:
    out = io.StringIO()
    assert bibtex.write(rows, {}, out) == len(rows)
    return out.getvalue()


def field(text: str, name: str) -> str:
    line = next(line for line in text.splitlines() if line.startswith(f"  {name} = "))
    return line.split(" = ", 1)[1].removesuffix(",")


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("plain words", "plain words"),
        (
            "a {b} \\c & d % e $ f # g _ h ~ i ^ j",
            "a \\{b\\} \\textbackslash{}c \\& d \\% e \\$ f \\# g \\_ h \\~{} i \\^{} j",
        ),
        ("line\nbreak\ttab\x00nul\x7fdel", "line break tab nul del"),
        ("Müller\x85next\x9fline  é", "Müller next line é"),  # C1 controls, not ASCII
        ("no\xa0break, 50%", "no\xa0break, 50\\%"),  # NBSP is no control character
        ("Ünïcödé ∑ {x}", "Ünïcödé ∑ \\{x\\}"),  # braces kept: the importer reads them back
    ],
)
def test_values_are_escaped_alike_in_short_and_long_text(value: str, escaped: str) -> None:
    text = export(row(title=value), row(abstract=value + PADDING))
    assert field(text, "title") == "{{" + escaped + "}}"
    assert field(text, "abstract") == "{" + escaped + PADDING + "}"


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("Ann Lee\nJörg Müller", "Ann Lee and Jörg Müller"),
        ("Ann Lee\n{World Health Organization}", "Ann Lee and {World Health Organization}"),
        ("A_B\nC & D", "A\\_B and C \\& D"),
        ("Ann\tLee\n\x01\nBob", "Ann Lee and  and Bob"),  # names tidied one by one
    ],
)
def test_authors_are_escaped_name_by_name(stored: str, written: str) -> None:
    assert field(export(row(authors=stored)), "author") == "{" + written + "}"


@pytest.mark.parametrize(
    ("authors", "title", "key"),
    [
        ("Ann Lee", "The Art of Keys", "lee2020art"),
        ("Ann Lee", "GPT-4's Report", "lee2020gpt"),
        ("Jörg Müller", "Über alles", "muller2020uber"),
        ("{World Health Organization}", "A Report", "organization2020report"),
        ("", "On the of", "anon2020"),
        ("Ann Lee", "On\u2028Learning", "lee2020onlearning"),  # dropped, as it is no ASCII
    ],
)
def test_keys_come_from_author_year_and_title(authors: str, title: str, key: str) -> None:
    text = export(row(authors=authors, title=title, year=2020))
    assert text.startswith(f"@misc{{{key},\n")


def test_every_entry_is_written_and_counted_with_unique_keys() -> None:
    count = 2_007
    rows = [row(title="Same", year=2020, authors="Ann Lee") for _ in range(count)]
    text = export(*rows)
    keys = [line[len("@misc{") : -1] for line in text.splitlines() if line.startswith("@")]
    assert len(keys) == count and len(set(keys)) == count
    assert keys[:3] == ["lee2020same", "lee2020samea", "lee2020sameb"]


def test_the_garbage_collector_is_back_on_after_an_export_even_a_failed_one() -> None:
    def failing() -> Iterator[tuple[Any, ...]]:
        yield row(title="One")
        assert not gc.isenabled()  # paused while entries are made
        raise OSError("disk full")

    assert gc.isenabled()
    export(row(title="One"))
    assert gc.isenabled()
    with pytest.raises(OSError):
        bibtex.write(failing(), {}, io.StringIO())
    assert gc.isenabled()


# -- through `papertrail export` ------------------------------------------------------------


@pytest.mark.usefixtures("backend")  # on SQLite and PostgreSQL
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


@pytest.mark.usefixtures("backend")  # on SQLite and PostgreSQL
def test_bibtex_export_keys_stay_unique_when_papers_share_one() -> None:
    for title in ("Same", "Same again", "Same once more"):
        ok("add", "--title", title, "--year", "2020", "--authors", "Ann Lee", "--url",
           f"https://e.org/{len(title)}")  # fmt: skip
    out = ok("export", "--format", "bibtex")
    keys = [line.split("{", 1)[1].rstrip(",") for line in out.splitlines() if line.startswith("@")]
    assert keys == ["lee2020same", "lee2020samea", "lee2020sameb"]


@pytest.mark.usefixtures("backend")  # on SQLite and PostgreSQL
def test_bibtex_export_has_eprint_fields_and_unique_keys(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    ok("add", "--title", "Deep Compression again", "--url", "https://e.org", "--year", "2015")
    out = ok("export", "--format", "bibtex")
    assert "eprint = {1510.00149}" in out and "archivePrefix = {arXiv}" in out
    assert "primaryClass = {cs.CV}" in out
    keys = [line.split("{", 1)[1].rstrip(",") for line in out.splitlines() if line.startswith("@")]
    assert len(keys) == 5 and len(set(keys)) == 5
    # and it reads back: same arXiv ids and titles
    bib = tmp_path / "out.bib"
    bib.write_text(out, encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    ok("--db", str(fresh), "import", str(bib))
    again = json.loads(ok("--db", str(fresh), "list", "--json"))
    assert sorted(str(p["arxiv_id"]) for p in again) == sorted(
        str(p["arxiv_id"]) for p in as_json("list")
    )


def test_an_organisation_with_and_in_its_name_stays_one_author() -> None:
    text = export(row(authors="Procter and Gamble\nAnn Lee\nJohnson AND Johnson"))
    assert field(text, "author") == "{{Procter and Gamble} and Ann Lee and {Johnson AND Johnson}}"
    assert field(export(row(authors="Alexander Anderson\nBrandon")), "author") == (
        "{Alexander Anderson and Brandon}"  # "and" inside a word is no separator
    )


def test_the_paper_profile_leaves_out_abstract_keywords_and_file() -> None:
    out = io.StringIO()
    bibtex.write(
        [row("a,b", title="T", abstract="Long", year=2020)], {}, out,
        fields=frozenset({"title", "year"}),
    )  # fmt: skip
    assert out.getvalue() == "@misc{anon2020t,\n  title = {{T}},\n  year = {2020}\n}\n\n"

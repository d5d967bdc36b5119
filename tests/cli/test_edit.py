"""`edit` through the CLI on both databases: options, the editor form, arXiv linking, and
fetch leaving hand-edited fields alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.arxiv_stub import ArxivStub, atom_feed
from tests.support.cli import as_json, ok, run
from tests.support.editor import editor_env
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


def test_edit_fields_with_options_and_undo() -> None:
    ok("import", str(DATA / "library.json"))
    out = ok("edit", "4", "--title", "  GEMM  explained ", "--authors", "Pete Warden; Jane Roe",
             "--year", "2016", "--venue", "Blog",
             "--doi", "https://doi.org/10.1234/gemm.5")  # fmt: skip
    assert out.startswith("Edited [4] GEMM explained: title, authors, year, doi, venue")
    paper = as_json("show", "4")
    assert (paper["title"], paper["authors"], paper["year"], paper["venue"], paper["doi"]) == (
        "GEMM explained",
        ["Pete Warden", "Jane Roe"],
        2016,
        "Blog",
        "10.1234/gemm.5",
    )
    ok("edit", "4", "--venue", "")  # an empty value clears
    assert as_json("show", "4")["venue"] is None
    ok("undo")
    ok("undo")
    assert as_json("show", "4")["title"] == "Why GEMM is at the heart of deep learning"


@pytest.mark.parametrize(
    ("option", "value", "reason"),
    [("--year", "20x5", "year must be a whole number"), ("--year", "0", "from 1 to 9999"),
     ("--arxiv", "not-an-id", "not an arXiv id"), ("--doi", "doi", "not a DOI"),
     ("--title", "  ", "title cannot be empty")],
)  # fmt: skip
def test_bad_values_are_refused_with_the_reason(option: str, value: str, reason: str) -> None:
    ok("import", str(DATA / "library.json"))
    before = as_json("show", "4")
    result = run("edit", "4", option, value)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and reason in result.stderr
    assert as_json("show", "4") == before


def test_an_arxiv_id_another_paper_has_is_refused() -> None:
    ok("import", str(DATA / "library.json"))
    result = run("edit", "4", "--arxiv", "arXiv:1510.00149v2")
    assert result.exit_code == 1
    assert "already paper 1" in result.stderr and "merge" in result.stderr


def test_the_form_in_the_editor_changes_only_what_was_edited(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    code = "t = path.read_text()\npath.write_text(t.replace('year: 2015', 'year: 2014'))"
    out = ok("edit", "4", env=editor_env(tmp_path, code))
    assert "Edited [4]" in out and out.strip().endswith(": year")
    assert as_json("show", "4")["year"] == 2014


def test_an_unchanged_form_changes_nothing(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    assert ok("edit", "4", env=editor_env(tmp_path, "pass")).startswith("Nothing changed")
    assert len(as_json("log")) == 1


def test_a_bad_form_off_a_terminal_is_refused_with_the_reason(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    code = "t = path.read_text()\npath.write_text(t.replace('year: 2015', 'year: last year'))"
    result = run("edit", "4", env=editor_env(tmp_path, code))
    assert result.exit_code == 2
    assert "year must be a whole number from 1 to 9999, not 'last year'" in result.stderr
    assert as_json("show", "4")["year"] == 2015
    code = "path.write_text(path.read_text() + 'colour: blue\\n')"
    result = run("edit", "4", env=editor_env(tmp_path, code))
    assert result.exit_code == 2 and "'colour: blue'" in result.stderr


def test_linking_an_arxiv_id_fetches_its_metadata(arxiv: ArxivStub) -> None:
    ok("add", "--title", "Attention paper", "--year", "2017")
    arxiv.queue(200, atom_feed([{"id": "1706.03762v7", "title": "Attention Is All You Need",
                                 "authors": ["Ashish Vaswani"]}]))  # fmt: skip
    out = ok("edit", "1", "--arxiv", "https://arxiv.org/abs/1706.03762v7")
    assert "Fetched metadata for 1706.03762" in out
    assert [r.ids for r in arxiv.requests] == [["1706.03762"]]
    paper = as_json("show", "1706.03762")
    assert (paper["id"], paper["title"], paper["version"]) == (1, "Attention Is All You Need", 7)
    assert paper["url"] == "https://arxiv.org/abs/1706.03762"


def test_fetch_never_replaces_fields_the_user_edited(arxiv: ArxivStub) -> None:
    arxiv.queue(
        200, atom_feed([{"id": "1510.00149v1", "title": "Deep Compression", "doi": "10.1/a"}])
    )
    ok("add", "1510.00149")
    ok("edit", "1", "--title", "Deep Compression (ICLR 2016 best paper)", "--doi", "10.5555/x.1")
    arxiv.queue(200, atom_feed([{"id": "1510.00149v5", "title": "Deep Compression v5",
                                 "doi": "10.9/b", "comment": "new comment"}]))  # fmt: skip
    ok("fetch", "--refresh")
    paper = as_json("show", "1")
    assert paper["title"] == "Deep Compression (ICLR 2016 best paper)"
    assert paper["doi"] == "10.5555/x.1"
    assert (paper["version"], paper["comment"]) == (5, "new comment")  # the rest is fetched


def test_linking_offline_leaves_metadata_pending() -> None:
    ok("add", "--title", "Attention paper")
    result = run("edit", "1", "--arxiv", "1706.03762")
    assert result.exit_code == 0 and "offline" in result.stderr
    paper = as_json("show", "1706.03762")
    assert paper["title"] == "Attention paper"


def test_a_bad_form_on_a_terminal_reopens_with_the_reason(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    # First save: a bad year. Second: the editor sees the reason on top and fixes the year.
    code = (
        "t = path.read_text()\n"
        "if 'ERROR' not in t:\n"
        "    path.write_text(t.replace('year: 2015', 'year: 2O15'))\n"
        "else:\n"
        "    assert t.startswith('# ERROR: year must be a whole number'), t\n"
        "    assert 'year: 2O15' in t  # what the user typed is kept\n"
        "    path.write_text(t.replace('year: 2O15', 'year: 2016'))\n"
    )
    env = {**editor_env(tmp_path, code), "PAPERTRAIL_TERMINAL": "1"}
    assert ok("edit", "4", env=env).strip().endswith(": year")
    assert as_json("show", "4")["year"] == 2016


def test_a_new_arxiv_id_takes_the_links_papertrail_made_for_the_old_one() -> None:
    ok("import", str(DATA / "library.json"))
    ok("edit", "1", "--arxiv", "1510.00148")
    paper = as_json("show", "1")
    assert (paper["arxiv_id"], paper["url"], paper["pdf_url"]) == (
        "1510.00148", "https://arxiv.org/abs/1510.00148", None)  # fmt: skip
    assert paper["title"].startswith("Deep Compression")  # kept until the next fetch
    ok("edit", "4", "--url", "https://example.org/gemm", "--arxiv", "2101.00001")
    assert as_json("show", "4")["url"] == "https://example.org/gemm"  # the user's own link stays

"""A paper known by its address alone (issue 25): a link labelled as the paper (`PDF2`,
`Paper 1`) to a PDF or a paper's page comes in untitled, once however often the list is
imported, and stays out once removed; an untitled link to a site's page is skipped with
its reason. The list is written for this test in the shape of real ones (an awesome-list
of quantum machine learning whose entries are numbered PDF links)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import as_json, import_text, ok, run

pytestmark = pytest.mark.usefixtures("backend")  # SQLite and PostgreSQL

LIST = (
    "# Awesome quantum machine learning\n\n## Nearest neighbours\n\n"
    "* [PDF1](http://www.machinelearning.org/proceedings/icml2007/papers/518.pdf) - Theory\n"
    "* [PDF2](https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4726808/)\n"
    "* [Paper 3](https://proceedings.mlr.press/v97/a19a.html)\n"
    "* [Matlab](https://github.com/someone/) - Yet to come\n"
    "* <https://www.talkrl.com/episodes/nan-jiang>\n"
)
ADDRESSES = [
    "http://www.machinelearning.org/proceedings/icml2007/papers/518.pdf",
    "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4726808/",
    "https://proceedings.mlr.press/v97/a19a.html",
]


def test_numbered_paper_links_are_untitled_papers_at_their_address(tmp_path: Path) -> None:
    papers = import_text(tmp_path, LIST)
    # Not titled "PDF1" / "PDF2": numbered link words are link words.
    assert sorted((p["url"], p["title"]) for p in papers) == [(a, None) for a in sorted(ADDRESSES)]
    assert all(p["topics"] == ["nearest-neighbours"] for p in papers)


def test_an_untitled_site_page_is_skipped_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    path.write_text(LIST, encoding="utf-8")
    out = ok("import", "--verbose", str(path))
    assert (
        "https://www.talkrl.com/episodes/nan-jiang: no title, and "
        "https://www.talkrl.com/episodes/nan-jiang is no paper's page or PDF (list.md:9)"
    ) in " ".join(out.split())
    assert "Matlab: a repository link" in out


def test_importing_again_adds_nothing_and_a_removal_stays(tmp_path: Path) -> None:
    assert [p["title"] for p in import_text(tmp_path, LIST)] == [None] * 3  # by address only
    path = tmp_path / "list.md"
    written = "http://WWW.machinelearning.org/proceedings/icml2007/papers/518.pdf"
    path.write_text(LIST.replace(ADDRESSES[0], written), encoding="utf-8")
    assert "0 added" in ok("import", str(path))  # the same address, written otherwise
    assert len(as_json("list")) == 3
    pmc = next(p for p in as_json("list") if "PMC4726808" in p["url"])
    assert run("remove", str(pmc["id"]), "--yes").exit_code == 0
    out = ok("import", str(path))
    assert "0 added" in out
    assert "PMC4726808" not in str(as_json("list"))


def test_list_tells_untitled_papers_apart_by_their_address(tmp_path: Path) -> None:
    import_text(tmp_path, LIST)
    lines = ok("list").splitlines()  # piped: one tab-separated line per paper
    titles = sorted(line.split("\t")[2] for line in lines)
    assert titles == sorted(f"(untitled) {address}" for address in ADDRESSES)
    table = ok("list", env={"PAPERTRAIL_TERMINAL": "1", "COLUMNS": "200"})
    assert "(untitled) https://proceedings.mlr.press/v97/a19a.html" in table

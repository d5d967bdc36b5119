"""A link to a DOI names its paper (issue 25): the paper keeps the DOI, comes in from running
text and through an image too, untitled when nothing titles it, and `fetch` completes it
from Crossref. The list below is written for this test in the shape of real ones."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import as_json, import_text, run

LIST = (
    "# Quantum devices\n\n"
    "* [Deep residual learning for image recognition](https://doi.org/10.1109/CVPR.2016.90)\n"
    "* [PDF](https://doi.org/10.1038/nature14539) - nice\n\n"
    "[![Diodes in quantum computing](https://example.org/diode.jpg)]"
    "(http://onlinelibrary.wiley.com/doi/10.1002/adma.201200537/abstract)\n\n"
    "The authors first published a [conference paper]"
    "(http://www.worldscientific.com/doi/abs/10.1142/9789814644730_0014) on it.\n"
)


def _import(tmp_path: Path) -> dict[str, dict]:
    return {p["doi"]: p for p in import_text(tmp_path, LIST)}


def test_a_link_to_a_doi_gives_the_paper_its_doi(tmp_path: Path) -> None:
    papers = _import(tmp_path)
    assert set(papers) == {
        "10.1109/CVPR.2016.90",
        "10.1038/nature14539",
        "10.1002/adma.201200537",
        "10.1142/9789814644730_0014",
    }
    assert papers["10.1109/CVPR.2016.90"]["title"] == "Deep residual learning for image recognition"
    # A one-word remark after a label link, an image's words, a sentence's words: no titles.
    untitled = [doi for doi, paper in papers.items() if paper["title"] is None]
    assert sorted(untitled) == [
        "10.1002/adma.201200537",
        "10.1038/nature14539",
        "10.1142/9789814644730_0014",
    ]
    assert papers["10.1002/adma.201200537"]["url"].startswith("http://onlinelibrary.wiley.com/")


def test_the_same_doi_linked_again_is_the_same_paper(tmp_path: Path) -> None:
    _import(tmp_path)
    again = tmp_path / "again.md"
    again.write_text(
        "## Vision\n\n* [Deep residual learning for image recognition]"
        "(https://dl.acm.org/doi/10.1109/CVPR.2016.90)\n",
        encoding="utf-8",
    )
    result = run("import", str(again))
    assert result.exit_code == 0
    papers = {p["doi"]: p for p in as_json("list")}
    assert len(papers) == 4  # known by its DOI, whatever the address
    assert "vision" in papers["10.1109/CVPR.2016.90"]["topics"]


def test_a_doi_page_in_a_tools_remarks_is_a_paper(tmp_path: Path) -> None:
    # A tool under its bold name, its remarks citing the paper on the publisher's /doi/
    # page beside a preprint: the DOI names the paper, whatever the site.
    papers = import_text(
        tmp_path,
        "## Gene expression\n\n"
        "**ADAGE – Analysis using Denoising Autoencoders of Gene Expression** "
        "[[github](https://github.com/greenelab/adage)]\n\n"
        "The authors initially published a [conference paper]"
        "(http://www.example-press.com/doi/abs/10.1142/9789814644730_0014) and later posted "
        "a paper on [bioRxiv](http://biorxiv.org/content/early/2015/11/05/030650).\n",
    )
    assert sorted((p["doi"] or "", p["url"]) for p in papers) == [
        ("", "http://biorxiv.org/content/early/2015/11/05/030650"),
        (
            "10.1142/9789814644730_0014",
            "http://www.example-press.com/doi/abs/10.1142/9789814644730_0014",
        ),
    ]
    assert all(p["title"] is None for p in papers)  # `fetch` asks Crossref for the DOI's


def test_an_untitled_doi_paper_removed_stays_removed(tmp_path: Path) -> None:
    papers = _import(tmp_path)
    nature = papers["10.1038/nature14539"]
    assert run("remove", str(nature["id"]), "--yes").exit_code == 0
    result = run("import", str(tmp_path / "list.md"))
    assert result.exit_code == 0
    assert "10.1038/nature14539" not in {p["doi"] for p in as_json("list")}
    assert (
        "removed from the library after an earlier import"
        in run("import", "--verbose", str(tmp_path / "list.md")).stdout
    )


def test_show_and_list_name_an_untitled_paper_by_its_doi(tmp_path: Path) -> None:
    papers = _import(tmp_path)
    nature = papers["10.1038/nature14539"]
    assert f"{nature['id']}\t-\t(untitled) doi:10.1038/nature14539\t" in run("list").stdout
    assert "(untitled) doi:10.1038/nature14539" in run("show", str(nature["id"])).stdout

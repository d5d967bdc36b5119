"""Two works with one title are two papers; a DOI two records share does not merge them
when their titles disagree. Both on a fresh library, whatever the batch they come in."""

from __future__ import annotations

from pathlib import Path

import pytest

from papertrail.importers import bibtex
from tests.support.cli import as_json, by_key, ok

pytestmark = pytest.mark.usefixtures("backend")

TWO_DEEP_LEARNINGS = """
@article{lecun2015deep,
  author = {LeCun, Yann and Bengio, Yoshua and Hinton, Geoffrey},
  title = {Deep learning},
  journal = {Nature},
  year = {2015},
  doi = {10.1038/nature14539},
}
@book{goodfellow2016deep,
  author = {Goodfellow, Ian and Bengio, Yoshua and Courville, Aaron},
  title = {Deep Learning},
  publisher = {MIT Press},
  year = {2016},
}
@article{lecun2015again,
  author = {Yann LeCun and Yoshua Bengio},
  title = {Deep Learning},
  journal = {Nature},
  year = {2015},
}
"""

WRONG_DOI = """
@article{right,
  author = {Smith, Ann},
  title = {Graph Neural Networks for Protein Folding},
  year = {2021},
  doi = {10.1000/shared.1},
}
@article{wrong,
  author = {Jones, Bo},
  title = {A Survey of Event Cameras in Robotics},
  year = {2019},
  doi = {10.1000/shared.1},
}
@article{right-again,
  author = {Smith, Ann},
  title = {Graph neural networks for protein folding.},
  year = {2021},
  doi = {https://doi.org/10.1000/SHARED.1},
}
"""


@pytest.mark.parametrize("chunk", [1000, 1], ids=["one-batch", "a-batch-each"])
def test_one_title_two_works_on_a_fresh_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(bibtex, "CHUNK_ENTRIES", chunk)
    source = tmp_path / "dl.bib"
    source.write_text(TWO_DEEP_LEARNINGS, encoding="utf-8")
    out = ok("import", "--verbose", str(source))
    assert "2 added, 1 already present (merged), 0 skipped" in out
    assert "removed from the library" not in out
    papers = as_json("list")
    assert sorted((p["year"], p["authors"][0], p["venue"] or p["publisher"]) for p in papers) == [
        (2015, "Yann LeCun", "Nature"),
        (2016, "Ian Goodfellow", "MIT Press"),
    ]
    # The same file again: each merges into its own paper, nothing is skipped or added.
    again = ok("import", "--verbose", str(source))
    assert "0 added, 3 already present (merged), 0 skipped" in again


def test_a_paper_removed_after_an_import_stays_removed(tmp_path: Path) -> None:
    source = tmp_path / "dl.bib"
    source.write_text(TWO_DEEP_LEARNINGS, encoding="utf-8")
    ok("import", str(source))
    ok("remove", "--yes", str(by_key()["goodfellow2016deep"]["id"]))
    assert len(as_json("list")) == 1
    out = ok("import", "--verbose", str(source))
    assert "0 added, 2 already present (merged), 1 skipped" in out
    assert "removed from the library after an earlier import" in out


@pytest.mark.parametrize("chunk", [1000, 1], ids=["one-batch", "a-batch-each"])
def test_a_doi_shared_by_two_titles_keeps_both_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(bibtex, "CHUNK_ENTRIES", chunk)
    source = tmp_path / "doi.bib"
    source.write_text(WRONG_DOI, encoding="utf-8")
    out = ok("import", str(source))
    assert "2 added, 1 already present (merged), 0 skipped" in out
    assert "shares DOI 10.1000/shared.1 with another paper whose title differs" in out
    papers = by_key()
    assert sorted(papers) == ["right", "wrong"]
    assert (papers["right"]["year"], papers["wrong"]["year"]) == (2021, 2019)  # not overwritten
    pairs = as_json("duplicates")
    assert len(pairs) == 1, pairs

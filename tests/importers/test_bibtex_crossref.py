"""BibTeX `crossref`: the entry inherits its volume's year and venue, and the volumes
that exist only to be cited that way are not papers. Titles with math stay whole."""

from __future__ import annotations

import pytest

from tests.support.cli import by_key, ok
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


def test_crossref_entries_inherit_and_their_volumes_are_not_papers() -> None:
    out = ok("import", "--verbose", str(DATA / "bib" / "crossref.bib"))
    assert "5 added, 0 already present (merged), 2 skipped" in out
    assert "@DBLP:conf/esop/2021: a proceedings volume that other entries cite" in out
    assert "@handbook: a book volume that other entries cite through crossref" in out
    papers = by_key()
    assert sorted(papers) == ["DBLP:conf/esop/Lee21", "DBLP:conf/esop/Smith21", "bookchapter",
                              "own-year", "standalone-book"]  # fmt: skip
    smith = papers["DBLP:conf/esop/Smith21"]
    assert (smith["year"], smith["venue"], smith["publisher"], smith["volume"]) == (
        2021,
        "Programming Languages and Systems - 30th European Symposium, ESOP 2021",
        "Springer",
        "12648",
    )
    # What names the work itself is its own: title, pages, DOI.
    assert smith["title"] == "Typed Holes for Task-Oriented Programs"
    assert (smith["pages"], smith["doi"]) == ("1–27", "10.1007/978-3-030-72019-3_1")
    assert (papers["bookchapter"]["year"], papers["bookchapter"]["venue"]) == (
        2002,
        "Handbook of Thin Films",
    )
    assert papers["standalone-book"]["year"] == 2010  # a book on its own is a work


def test_titles_with_math_are_kept_whole() -> None:
    ok("import", str(DATA / "bib" / "crossref.bib"))
    titles = {key: p["title"] for key, p in by_key().items()}
    assert titles["DBLP:conf/esop/Lee21"] == "Measuring h^CFF in Deep Inelastic Scattering"
    assert titles["bookchapter"] == "Penetration Depth lambda^-2 of Thin Films"
    assert titles["own-year"] == "Bounds on ^max Flows"
    assert titles["own-year"] and by_key()["own-year"]["year"] == 2019  # `oct # "-" # nov`

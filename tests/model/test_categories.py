"""arXiv's taxonomy (model/categories.py): categories spelled as arXiv does, archives and
their categories, unknown ones refused with the close matches."""

from __future__ import annotations

import pytest

from papertrail.errors import UsageError
from papertrail.model.categories import ARCHIVES, CATEGORIES, archive_categories, canonical_category


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("cs.lg", "cs.LG"), ("STAT.ML", "stat.ML"), ("hep-th", "hep-th"), ("math", "math"),
     ("cond-mat.STR-EL", "cond-mat.str-el"), ("q-fin.tr", "q-fin.TR"), ("eess.sy", "eess.SY"),
     ("astro-ph.GA", "astro-ph.GA"), ("nlin.CD", "nlin.CD"), ("econ.EM", "econ.EM"),
     ("math-ph", "math-ph"), ("nucl-th", "nucl-th"), ("gr-qc", "gr-qc"), ("quant-ph", "quant-ph"),
     ("physics.optics", "physics.optics"), ("q-bio.NC", "q-bio.NC")],
)  # fmt: skip
def test_categories_are_spelled_as_arxiv_does(typed: str, canonical: str) -> None:
    assert canonical_category(typed) == canonical


def test_every_archive_has_categories_and_every_category_a_known_archive() -> None:
    assert len(CATEGORIES) > 150
    for archive in ARCHIVES:
        assert archive_categories(archive), archive
    for name in CATEGORIES:
        assert "." not in name or name.split(".")[0] in ARCHIVES, name


@pytest.mark.parametrize("typed", ["cs.XX", "cs.", "machine learning", "", "hep", "cs.LG;"])
def test_unknown_categories_are_refused_with_close_matches(typed: str) -> None:
    with pytest.raises(UsageError, match="not an arXiv category"):
        canonical_category(typed)


def test_a_near_miss_names_what_was_meant() -> None:
    with pytest.raises(UsageError, match=r"did you mean .*cs\.LG"):
        canonical_category("cs.LGG")

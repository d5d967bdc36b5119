"""Layouts of the third held-out set (issue 25): one general rule each, through the CLI.

The table below was written for this test in the shape of real ones (a causal inference
list): a Name column beside a `Paper/Documentation` column whose cells write the reference
out, quoted, in APA or plain, linked to the paper or not, the row's only link sometimes
the code's; an arXiv id named inside a linked reference.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import by_title, import_text

TABLE = (
    "# Awesome tide algorithms\n\n"
    "## Packages\n\n"
    "|Name|Paper/Documentation|Paper Venue|Code|\n"
    "|---|---|---|---|\n"
    "|TideML|[Tidal forecasting with gradient boosted trees](https://example.org/tideml.pdf)"
    "|KDD|[Python](https://github.com/ex/tideml)|\n"
    '|Tide Bootstrap|Little, Max A., and Ann Lee. "Tidal bootstrapping." arXiv preprint '
    "arXiv:1910.09648 (2019).|arXiv|[Matlab](https://example.org/cblib.zip)|\n"
    "|Tide Impact|[Brodersen, K. H., Gallusser, F., & Scott, S. L. (2015). Inferring tidal "
    "impact using Bayesian structural time-series models. The Annals of Applied Statistics, "
    "9(1), 247-274.](https://projecteuclid.org/journals/aoas/tidal-impact)|AOAS|NA|\n"
    '|TideBed|Gulrajani, Ishaan, and David Lopez-Paz. "In Search of Lost Tide '
    'Generalization." In International Conference on Learning Representations. 2020.'
    "|ICLR|[code](https://github.com/ex/tidebed)|\n"
    "|BMTide|S. Shimizu and K. Bollen. Bayesian estimation of tidal direction in acyclic "
    "models with non-Gaussian distributions. Journal of Machine Learning Research, 15: "
    "2629-2652, 2014.|JMLR|[Python](https://github.com/ex/bmtide)|\n"
    '|IPS Tides|[Schnabel, Tobias, and Thorsten Joachims. "Tides as treatments: Debiasing '
    'learning and evaluation." arXiv preprint arXiv:1602.05352 (2016).]'
    "(http://www.jmlr.org/proceedings/papers/v48/schnabel16.pdf)|ICML|NA|\n"
)


def test_references_written_out_in_a_table_give_their_titles(tmp_path: Path) -> None:
    papers = by_title(import_text(tmp_path, TABLE))
    assert set(papers) == {
        "Tidal forecasting with gradient boosted trees",  # not the Name column's `TideML`
        "Tidal bootstrapping",
        "Inferring tidal impact using Bayesian structural time-series models",
        "In Search of Lost Tide Generalization",
        "Bayesian estimation of tidal direction in acyclic models with non-Gaussian distributions",
        "Tides as treatments: Debiasing learning and evaluation",
    }
    # A reference with only its code linked is a paper with no address.
    bed = papers["In Search of Lost Tide Generalization"]
    assert (bed["url"], bed["arxiv_id"], bed["year"]) == (None, None, 2020)
    assert papers["Tidal bootstrapping"]["arxiv_id"] == "1910.09648"
    # The arXiv id inside the linked reference is the paper's.
    assert papers["Tides as treatments: Debiasing learning and evaluation"]["arxiv_id"] == (
        "1602.05352"
    )
    impact = papers["Inferring tidal impact using Bayesian structural time-series models"]
    assert (impact["year"], impact["url"]) == (
        2015,
        "https://projecteuclid.org/journals/aoas/tidal-impact",
    )


def test_an_emphasis_never_closed_is_no_part_of_a_title(tmp_path: Path) -> None:
    papers = import_text(
        tmp_path,
        "## Datasets\n\n"
        "|ID|Name|Description|Paper|Year|\n|---|---|---|---|---|\n"
        "|102|[RWS-Cit](https://github.com/ex/rws)||[*Automatic generation of related work "
        "through summarizing citations](https://onlinelibrary.wiley.com/doi/epdf/10.1002/cpe.4261)"
        "|2017|\n"
        "|103|[AStar](https://github.com/ex/astar)||[Q* planning for A* search]"
        "(https://example.org/qstar.pdf)|2019|\n",
    )
    assert sorted((p["title"], p["doi"], p["year"]) for p in papers) == [
        (
            "Automatic generation of related work through summarizing citations",
            "10.1002/cpe.4261",
            2017,
        ),
        ("Q* planning for A* search", None, 2019),
    ]


def test_an_arxiv_id_in_the_words_of_a_link_to_arxiv_names_another_paper(
    tmp_path: Path,
) -> None:
    # Found by the round-trip property test: the words of a link to an arXiv page that look
    # like a reference name a paper the title speaks of, not a second paper of the entry.
    papers = import_text(
        tmp_path,
        "## Other\n\n"
        '- [Notes on the tides of arXiv:1706.03762 "Attention"](https://arxiv.org/abs/2101.00000)\n',
    )
    assert [p["arxiv_id"] for p in papers] == ["2101.00000"]

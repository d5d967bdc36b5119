"""Whether two descriptions are one paper (model/same_paper.py): titles, judgements, the
one family-name rule (which citation keys use too)."""

from __future__ import annotations

import pytest

from papertrail.model.citation_keys import KeyMaker
from papertrail.model.records import PaperRecord
from papertrail.model.same_paper import (
    PaperIndex,
    best_match,
    describe,
    family_name,
    judge,
    normal_title,
    normal_url,
)
from papertrail.model.works import Work


def test_titles_are_compared_without_case_accents_or_punctuation() -> None:
    assert normal_title("Attention is All you Need.") == "attention is all you need"
    assert normal_title("  Über  die Théorie — des_Réseaux!") == "uber die theorie des reseaux"
    assert judge(Work(title="Attention Is All You Need"), "Attention is all you need.").verdict == (
        "same"
    )


@pytest.mark.parametrize(
    ("work", "year", "author", "verdict", "says"),
    [
        (Work(title="Dropout", year=2014), 2014, None, "same", "title and year agree"),
        (Work(title="Dropout", year=2014), None, None, "unsure", "this short"),
        (Work(title="Deep Residual Learning", year=2016), 2015, None, "same", "year agree"),
        (Work(title="Deep Residual Learning", year=2019), 2015, None, "different", "from 2019"),
        (Work(title="Deep Residual Learning", authors=["K. He"]), None, "Kaiming He", "same",
         "first author agree"),
        (Work(title="Deep Residual Learning", authors=["Jane Doe"]), None, "Kaiming He",
         "different", "first author 'Jane Doe'"),
        (Work(title="Deep Residual Learning: A Study"), None, None, "unsure", "subtitle"),
        (Work(title="Deep Residual Learning for Speech"), None, None, "different",
         "another title"),
        (Work(title=None), None, None, "different", "no title"),
    ],
)  # fmt: skip
def test_judgements(
    work: Work, year: int | None, author: str | None, verdict: str, says: str
) -> None:
    ours = "Dropout" if work.title == "Dropout" else "Deep Residual Learning"
    judgement = judge(work, ours, year, author)
    assert judgement.verdict == verdict and says in judgement.reason, judgement.reason


def test_the_first_equal_hit_wins_unless_equal_hits_disagree() -> None:
    a = Work(title="Deep learning", year=2015, doi="10.1038/nature14539")
    b = Work(title="Deep learning", year=2015, doi="10.1038/NATURE14539")
    accepted, _ = best_match([Work(title="Other"), a, b], "Deep Learning", 2015)
    assert accepted is not None and accepted.work is a
    c = Work(title="Deep learning", year=2016, doi="10.1007/x")
    accepted, judgements = best_match([a, c], "Deep Learning", 2015)
    assert accepted is None and [j.verdict for j in judgements] == ["unsure", "unsure"]


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("Bengio, Y.", "bengio"), ("Yoshua Bengio", "bengio"), ("Bengio Y", "bengio"),
        ("Y. Bengio Jr.", "bengio"), ("Martin Luther King, Jr.", "king"),
        ("King, Jr., Martin Luther", "king"), ("LeCun, Yann", "lecun"), ("Yann LeCun", "lecun"),
        ("Aidan N. Gómez", "gomez"), ("Smith-Jones, A.", "smithjones"),
        ("{World Health Organization}", "world health organization"), ("", ""),
    ],
)  # fmt: skip
def test_one_family_name_rule(name: str, family: str) -> None:
    assert family_name(name) == family


def test_the_citation_key_takes_the_family_name_whichever_way_it_is_written() -> None:
    maker = KeyMaker()
    assert maker.made("LeCun, Yann", 2015, "Deep learning") == "lecun2015deep"
    assert maker.made("Yann LeCun", 2015, "Deep learning") == "lecun2015deepa"
    assert maker.made("Martin Luther King Jr.", 1963, "Why we can't wait") == "king1963why"


def test_a_doi_under_two_disagreeing_titles_is_not_one_paper() -> None:
    from papertrail.model.same_paper import PaperIndex, known, titles_disagree

    index = PaperIndex()
    first = index.add(known(1, None, "10.1/x", "Graph Networks for Proteins", 2021, "smith"))
    wrong = known(None, None, "10.1/X", "A Survey of Event Cameras", 2019, "jones")
    assert index.find(wrong) is None and index.doi_conflict(wrong) is first
    # The same work with a subtitle, a typo or other punctuation is still one paper.
    for title in ("Graph networks for proteins: a study", "Graph Networks for Protiens",
                  "graph networks for proteins."):  # fmt: skip
        assert index.find(known(None, None, "10.1/x", title, 2021, "smith")) is first
    assert not titles_disagree("", "anything") and titles_disagree("deep learning", "graphs")


def test_a_paper_known_by_its_address_alone_is_the_paper_at_it() -> None:
    index = PaperIndex()
    stored = index.add(describe(PaperRecord(authors=["Lee, Ann"], year=2019)))
    index.add_address(stored, "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4726808/")
    again = describe(PaperRecord(url="HTTP://ncbi.nlm.nih.gov/pmc/articles/PMC4726808#body"))
    assert index.find(again) is stored
    # A title for the untitled paper at that address: the same paper, titled now ...
    titled = PaperRecord(title="Quantum Bayesian networks", url=again_url())
    assert index.find(describe(titled)) is stored
    index.learn(stored, describe(titled))
    # ... so another title at the same address is another paper (a list's slip).
    other = PaperRecord(title="Quantum Markov chains", url=again_url())
    assert index.find(describe(other)) is None
    # Another page, or the same page by other people in another year, is not that paper.
    assert index.find(describe(PaperRecord(url="https://ncbi.nlm.nih.gov/pmc/PMC1"))) is None
    later = PaperRecord(url=again_url(), authors=["Park, Bo"], year=2022)
    assert index.find(describe(later)) is None


def test_a_single_page_site_s_route_is_part_of_its_address() -> None:
    assert normal_url("https://www.researchgate.net/#/publication/111") != normal_url(
        "https://www.researchgate.net/#/publication/222"
    )
    assert normal_url("https://Ex.org/a/#section-2") == normal_url("http://ex.org/a")


def again_url() -> str:
    return "https://ncbi.nlm.nih.gov/pmc/articles/PMC4726808/"

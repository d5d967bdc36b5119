"""Journal references read into fields, and the entry each paper gets."""

from __future__ import annotations

import pytest

from papertrail.model.entry_types import Venue, entry_fields, parse_fields, parse_journal_ref


@pytest.mark.parametrize(
    ("text", "venue"),
    [
        ("Phys. Rev. D 76, 044016 (2007)",
         Venue("article", "Phys. Rev. D", "76", None, "044016", 2007)),
        ("J. Mach. Learn. Res. 15(1):1929-1958, 2014",
         Venue("article", "J. Mach. Learn. Res.", "15", "1", "1929-1958", 2014)),
        ("Nature 521, 436-444 (2015)", Venue("article", "Nature", "521", None, "436-444", 2015)),
        ("Neural Computation, vol. 9, no. 8, pp. 1735-1780, 1997",
         Venue("article", "Neural Computation", "9", "8", "1735-1780", 1997)),
        ("Neural Computation (1997)", Venue("article", "Neural Computation", year=1997)),
        ("In Proc. ACM SIGSOFT International Symposium on Software Testing and Analysis, "
         "pages 14-26. ACM, 2020",
         Venue("inproceedings", "Proc. ACM SIGSOFT International Symposium on Software "
               "Testing and Analysis", pages="14-26", year=2020, publisher="ACM")),
        ("NeurIPS 2017",
         Venue("inproceedings", "Advances in Neural Information Processing Systems",
               year=2017)),
        ("ICLR'18", Venue("inproceedings", "International Conference on Learning "
                          "Representations", year=2018)),
        ("Proceedings of the 38th International Conference on Machine Learning, "
         "PMLR 139:8748-8763, 2021",
         Venue("inproceedings", "Proceedings of the 38th International Conference on Machine "
               "Learning", "139", pages="8748-8763", year=2021)),
        ("Accepted at some thing, 12 pages, 3 figures", None),
        ("", None),
    ],
)  # fmt: skip
def test_journal_references_read_into_fields(text: str, venue: Venue | None) -> None:
    assert parse_journal_ref(text) == venue


def fields(**given: object) -> tuple[str, str | None, str | None, str | None]:
    values = {
        "entry_type": None,
        "venue": None,
        "journal_ref": None,
        "arxiv_id": None,
        "volume": None,
        "number": None,
        "pages": None,
        "publisher": None,
        "year": None,
    }
    biblatex = bool(given.pop("biblatex", False))
    entry = entry_fields(**{**values, **given}, biblatex=biblatex)  # type: ignore[arg-type]
    return entry.kind, entry.venue_field, entry.venue, entry.note


def test_each_paper_gets_its_entry_type_and_venue_field() -> None:
    # The two entries: a venue in `journal` of a @misc, a citation as a journal.
    assert fields(journal_ref="NeurIPS 2017", arxiv_id="1706.03762")[:2] == (
        "inproceedings",
        "booktitle",
    )
    assert fields(journal_ref="Accepted at ICML workshop, 12 pages", arxiv_id="x") == (
        "inproceedings",
        "booktitle",
        "Accepted at ICML workshop",
        None,
    )
    assert fields(journal_ref="see the appendix, 12 pages", arxiv_id="2101.00001") == (
        "misc",
        None,
        None,
        "see the appendix, 12 pages",
    )
    assert fields(venue="Nature") == ("article", "journal", "Nature", None)
    assert fields(venue="Nature", biblatex=True)[:2] == ("article", "journaltitle")
    assert fields(venue="Proceedings of CVPR")[:2] == ("inproceedings", "booktitle")
    assert fields(arxiv_id="2101.00001")[:2] == ("misc", None)
    assert fields(arxiv_id="2101.00001", biblatex=True)[:2] == ("online", None)
    assert fields(entry_type="misc", venue="A Blog")[:2] == ("misc", "howpublished")
    assert fields(entry_type="phdthesis")[0] == "phdthesis"  # a stored type stays


def test_field_profiles_and_names() -> None:
    assert "abstract" not in parse_fields("paper") and "title" in parse_fields("paper")
    assert parse_fields("title, journal,primaryClass") == {"title", "venue", "eprint"}
    with pytest.raises(ValueError, match="no field 'colour'"):
        parse_fields("title,colour")

"""arXiv ids in every form people paste, free-text scanning, and DOIs in every form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papertrail.errors import InvalidArxivId
from papertrail.model.ids import (
    OLD_ARCHIVES,
    ArxivId,
    find_arxiv_ids,
    parse_arxiv_id,
    parse_doi,
    pubmed_in_url,
)

FORMS = [
    ("1510.00149", ArxivId("1510.00149")),
    ("1510.00149v2", ArxivId("1510.00149", 2)),
    ("arXiv:1510.00149", ArxivId("1510.00149")),
    ("ARXIV: 1510.00149v12", ArxivId("1510.00149", 12)),
    ("hep-th/9901001", ArxivId("hep-th/9901001")),
    ("math.GT/0309136", ArxivId("math/0309136")),
    ("cond-mat/9901212v1", ArxivId("cond-mat/9901212", 1)),
    ("https://arxiv.org/abs/1801.04381v2", ArxivId("1801.04381", 2)),
    ("http://arxiv.org/pdf/1607.06450.pdf?utm_source=x", ArxivId("1607.06450")),
    ("https://arxiv.org/pdf/1112.6209.pdf&embed", ArxivId("1112.6209")),
    ("http://cn.arxiv.org/abs/1404.7828", ArxivId("1404.7828")),
    ("cn.arxiv.org/pdf/1404.7828v3.pdf", ArxivId("1404.7828", 3)),
    ("https://export.arxiv.org/abs/hep-th/9901001v3", ArxivId("hep-th/9901001", 3)),
    ("https://www.arxiv.org/abs/2301.00001#page=2", ArxivId("2301.00001")),
    ("arxiv.org/pdf/1607.06450v1/", ArxivId("1607.06450", 1)),
    ("https://arxiv.org/html/2402.17764v1", ArxivId("2402.17764", 1)),
    ("https://doi.org/10.48550/arXiv.2301.00001", ArxivId("2301.00001")),
    ("  1510.00149 \n", ArxivId("1510.00149")),
    ("cond-mat.mes-hall/0601001", ArxivId("cond-mat/0601001")),
]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_every_pasted_form_gives_the_canonical_id(text: str, expected: ArxivId) -> None:
    assert parse_arxiv_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "",
        "1510",
        "0000.0000",
        "1513.00149",
        "foo/0101001",
        "https://example.org/abs/1510.00149",
        "1510.00149v0",
        "hep-th/99010011",
        "arxiv.org/abs/",
    ],
)
def test_what_is_not_an_id_is_refused_with_the_text(text: str) -> None:
    with pytest.raises(InvalidArxivId) as raised:
        parse_arxiv_id(text)
    assert "not an arXiv id" in str(raised.value)


def test_ids_found_in_free_text_in_order_once() -> None:
    text = (
        'He et al. "Deep residual learning." arXiv:1512.03385 (2015). '
        "[[pdf]](https://arxiv.org/pdf/1512.03385.pdf) "
        "[paper](http://cn.arxiv.org/abs/hep-th/9901001v2), version 1.2.3 and 2019.12345"
    )
    assert find_arxiv_ids(text) == [ArxivId("1512.03385"), ArxivId("hep-th/9901001", 2)]


new_ids = st.builds(
    lambda yy, mm, n, width: f"{yy:02d}{mm:02d}.{n:0{width}d}"[: 5 + width],
    st.integers(0, 99),
    st.integers(1, 12),
    st.integers(0, 9999),
    st.sampled_from([4, 5]),
)
old_ids = st.builds(
    lambda archive, yy, mm, n: f"{archive}/{yy:02d}{mm:02d}{n:03d}",
    st.sampled_from(sorted(OLD_ARCHIVES)),
    st.integers(0, 99),
    st.integers(1, 12),
    st.integers(0, 999),
)
versions = st.one_of(st.none(), st.integers(1, 99))
wrappers = st.sampled_from(
    ["{}", "arXiv:{}", "https://arxiv.org/abs/{}", "http://arxiv.org/pdf/{}.pdf",
     "https://arxiv.org/pdf/{}.pdf?utm_source=x", "cn.arxiv.org/abs/{}", "export.arxiv.org/abs/{}",
     "https://arxiv.org/pdf/{}&embed"]
)  # fmt: skip


@given(st.one_of(new_ids, old_ids), versions, wrappers)
def test_any_valid_id_in_any_form_round_trips(
    canonical: str, version: int | None, wrapper: str
) -> None:
    text = wrapper.format(canonical + (f"v{version}" if version else ""))
    assert parse_arxiv_id(text) == ArxivId(canonical, version)
    assert str(parse_arxiv_id(str(ArxivId(canonical, version)))) == str(ArxivId(canonical, version))


@given(st.text())
def test_arbitrary_text_raises_only_the_documented_error(text: str) -> None:
    try:
        parsed = parse_arxiv_id(text)
    except InvalidArxivId:
        return
    assert parse_arxiv_id(str(parsed)) == parsed


@given(st.text())
def test_scanning_arbitrary_text_never_raises(text: str) -> None:
    for found in find_arxiv_ids(text):
        assert parse_arxiv_id(str(found)) == found


@pytest.mark.timeout(10)
def test_scanning_pathological_text_is_linear() -> None:
    # An unanchored host pattern once made this take 41 s for 80 KB.
    assert find_arxiv_ids("a." * 2_500_000) == []
    assert find_arxiv_ids("arxiv.org/abs/" * 200_000 + "1510.00149") == [ArxivId("1510.00149")]


@pytest.mark.parametrize(
    ("text", "doi"),
    [
        ("10.1145/3184558.3186235", "10.1145/3184558.3186235"),
        ("doi:10.1145/3184558.3186235", "10.1145/3184558.3186235"),
        ("DOI: 10.1007/978-3-0348-8720-5_13.", "10.1007/978-3-0348-8720-5_13"),
        ("https://doi.org/10.1101%2F2024.04.01.587366", "10.1101/2024.04.01.587366"),
        ("http://dx.doi.org/10.1371/journal.pone.0033693", "10.1371/journal.pone.0033693"),
        ("10.48550/arXiv.2301.00001", None),  # an arXiv id: arXiv takes it
        ("https://doi.org/10.48550/arXiv.1706.03762", None),
        ("1706.03762", None),
        ("10.1/too-short-registrant", None),
        ("10.1145/x\x00y", None),
        ("https://example.org/10.1145/3184558", None),
    ],
)
def test_dois_in_every_form(text: str, doi: str | None) -> None:
    assert parse_doi(text) == doi


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4726808/", "pmcid:PMC4726808"),
        ("https://pmc.ncbi.nlm.nih.gov/articles/pmc123/", "pmcid:PMC123"),
        ("https://europepmc.org/article/PMC/PMC55", "pmcid:PMC55"),
        ("https://pubmed.ncbi.nlm.nih.gov/26717394/", "pmid:26717394"),
        ("http://www.ncbi.nlm.nih.gov/pubmed/26717394", "pmid:26717394"),
        ("https://europepmc.org/abstract/MED/26717394", "pmid:26717394"),
        ("https://example.org/pmc/articles/PMC1", None),
        ("https://pubmed.ncbi.nlm.nih.gov/?term=deep+learning", None),
    ],
)
def test_pubmed_ids_in_addresses(url: str, key: str | None) -> None:
    assert pubmed_in_url(url) == key

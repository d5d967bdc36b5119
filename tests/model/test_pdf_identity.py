"""Identifying papers from PDFs: the fixtures against expected.json, and the rules one by one."""

from __future__ import annotations

import pytest

from papertrail.files.extract import Extraction, ExtractPool, PdfText
from papertrail.model.filetypes import arxiv_html_stub_id
from papertrail.model.pdf_identity import (
    HeadingLine,
    clean_doi,
    find_arxiv_stamp,
    find_doi,
    find_title,
    identify,
    plausible_title,
    title_case,
)
from tests.support.pdfs import expected, fixtures

# What the text layer cannot give: the scan has no text (its title is only in the image),
# and the Elsevier PDF's text layer garbles the 'fi' ligature of its title ('simpli#ed').
# Both are found by other means (OCR; the DOI, then Crossref's title).
EXPECTED_NAMES = [f"{n:02d}" for n in range(1, 12)]  # the files' numbers; names from expected.json


@pytest.fixture(scope="module")
def extracted() -> dict[str, Extraction]:
    """Every real paper, read once for the module (two workers)."""
    folder = fixtures()
    with ExtractPool(workers=2) as pool:
        return {path.name: result for path, result in pool.map(sorted(folder.glob("*.pdf")))}


def _name(number: str) -> str:
    return next(name for name in expected() if name.startswith(number))


TITLE_FROM_TEXT = {
    "07-flajolet-counting-scan.pdf": None,
    "06-level-ancestor-elsevier.pdf": "The Level Ancestor Problem simpli#ed",
}


@pytest.mark.parametrize("name", sorted(EXPECTED_NAMES))
def test_fixture_identity(extracted, name):
    name = _name(name)
    want = expected()[name]
    result = extracted[name]
    if not isinstance(result, PdfText):  # the HTML page: the id is in its <title>
        head = (fixtures() / name).read_bytes()[:4096]
        assert arxiv_html_stub_id(head).split("v")[0] == want["arxiv_id"]
        return
    found = identify(result.pages, result.metadata, result.lines)
    assert found.arxiv_id == want["arxiv_id"]
    assert found.doi == want["doi"]
    assert found.title == TITLE_FROM_TEXT.get(name, want["title"])


def test_arxiv_versions_come_with_the_stamp(extracted):
    found = {
        name: identify(r.pages, r.metadata, r.lines)
        for name, r in extracted.items() if isinstance(r, PdfText)
    }  # fmt: skip
    assert found["01-deep-compression-arxiv.pdf"].arxiv_version == 5
    assert found["02-shor-factoring-arxiv-oldstyle.pdf"].arxiv_version == 2
    assert found["03-rewrite-rules-arxiv-pdfa.pdf"].arxiv_version == 1


# --------------------------------------------------------------------------- arXiv stamp


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("arXiv:1510.00149v5 [cs.CV] 15 Feb 2016", ("1510.00149", 5)),
        ("arXiv:0704.0001v2 [hep-ph] 24 Jul 2007", ("0704.0001", 2)),
        ("arXiv:quant-ph/9508027v2 25 Jan 1996", ("quant-ph/9508027", 2)),
        ("arXiv:math.GT/0309136v1 8 Sep 2003", ("math/0309136", 1)),
        ("arXiv:hep-th/9711200 22 Jan 1998", ("hep-th/9711200", None)),
        ("arXiv:2405.06127v1  [cs.LO]  9 May 2024", ("2405.06127", 1)),
        # Cited ids are not the paper's: no date after them.
        ("as in arXiv preprint arXiv:1409.1556, 2014.", None),
        ("arXiv:1409.1556v6 [cs.CV]", None),
        # Not ids: month 13, unknown archive.
        ("arXiv:1313.00001v1 [cs.CV] 1 Jan 2013", None),
        ("arXiv:foo-bar/9508027v2 25 Jan 1996", None),
    ],
)
def test_arxiv_stamp(text, expected):
    assert find_arxiv_stamp([text], {}) == expected


def test_arxiv_stamp_in_metadata_and_arxiv_doi():
    assert find_arxiv_stamp([""], {"Title": "arXiv:quant-ph/9508027v2  25 Jan 1996"}) == (
        "quant-ph/9508027", 2,
    )  # fmt: skip
    assert find_arxiv_stamp(["https://doi.org/10.48550/arXiv.2405.06127"], {}) == (
        "2405.06127", None,
    )  # fmt: skip


# --------------------------------------------------------------------------- DOI


@pytest.mark.parametrize(
    ("page", "metadata", "expected"),
    [
        # ACM: broken across lines, and the proceedings DOI is a prefix of the paper's.
        (
            "ACM, 9 pages. https://doi.org/10.1145/3317550.\n3321435\n1 INTRODUCTION",
            {},
            "10.1145/3317550.3321435",
        ),
        (
            "Proceedings https://doi.org/10.1145/3317550\nhttps://doi.org/10.1145/3317550.3321435",
            {},
            "10.1145/3317550.3321435",
        ),
        # IEEE: trailing full stop; the next line is not the rest of the DOI.
        (
            "Digital Object Identifier no. 10.1109/TKDE.2009.191.\n1041-4347/10/$26.00 2010 IEEE",
            {},
            "10.1109/TKDE.2009.191",
        ),
        (
            "doi:10.3969/j.issn.1001-0548.2016.04.012 \nReview",
            {},
            "10.3969/j.issn.1001-0548.2016.04.012",
        ),
        ("DOI: 10.1016/0022-0000(85)90041-8).", {}, "10.1016/0022-0000(85)90041-8"),
        # Info /Title holding the DOI (Elsevier).
        ("no doi printed", {"Title": "doi:10.1016/j.tcs.2003.05.002"}, "10.1016/j.tcs.2003.05.002"),
        ("", {"XMP:doi": "10.1007/s00453-004-1146-6"}, "10.1007/s00453-004-1146-6"),
        # Labeled beats bare; citation lines and the reference list are not the paper's.
        ("see 10.1000/bare.one\nDOI 10.1000/labeled", {}, "10.1000/labeled"),
        ("[12] A. Author. Title. doi:10.1000/cited\nbody", {}, None),
        ("Smith et al. 2019, doi:10.1000/cited2\nbody", {}, None),
        ("body\nReferences\ndoi:10.1000/in-refs", {}, None),
        # arXiv's DOI is an arXiv id, not a DOI.
        ("https://doi.org/10.48550/arXiv.2405.06127", {}, None),
        # A title that merely mentions a DOI-like string is not a DOI statement.
        ("", {"Title": "Errata for 10.1000/x"}, None),
    ],
)
def test_doi(page, metadata, expected):
    assert find_doi([page], metadata) == expected


def test_doi_on_page_two_only_when_labeled():
    assert find_doi(["cover sheet", "DOI: 10.1000/xyz\ntext"], {}) == "10.1000/xyz"
    assert find_doi(["cover sheet", "text 10.1000/xyz text"], {}) is None


def test_clean_doi():
    assert clean_doi("10.1109/TKDE.2009.191.") == "10.1109/TKDE.2009.191"
    assert clean_doi("10.1000/abc),") == "10.1000/abc"
    assert clean_doi("10.1000/a(b)") == "10.1000/a(b)"
    assert clean_doi("10.1000/") is None


# --------------------------------------------------------------------------- title


@pytest.mark.parametrize(
    "title",
    ["Microsoft Word - Technical_Report_VF.doc", "untitled", "none", "None", "Untitled-3",
     "doi:10.1016/j.tcs.2003.05.002", "arXiv:quant-ph/9508027v2  25 Jan 1996", "paper.dvi",
     "main", "Slide 1", "x", "PowerPoint Presentation", "Document1", "https://example.org/a"],
)  # fmt: skip
def test_implausible_metadata_titles(title):
    assert not plausible_title(title)


@pytest.mark.parametrize(
    "title", ["A fork() in the road", "知识图谱技术综述", "On Computable Numbers"]
)
def test_plausible_metadata_titles(title):
    assert plausible_title(title)


def test_metadata_title_not_printed_on_page_one_loses_to_the_page():
    lines = [HeadingLine("The Real Title of It", 20.0, 0.1, True)]
    assert find_title("The Real Title of It\nbody", {"Title": "Template Default Title"}, lines) == (
        "The Real Title of It", "page",
    )  # fmt: skip
    # Without a text layer, a plausible Info /Title is all there is.
    assert find_title("", {"Title": "Probabilistic Counting"}, []) == (
        "Probabilistic Counting", "metadata",
    )  # fmt: skip


def test_title_lines_skip_stamps_headers_and_footers():
    lines = [
        HeadingLine("arXiv:1510.00149v5 [cs.CV] 15 Feb 2016", 20.0, 0.4, False),
        HeadingLine("Journal of Things, Vol. 3", 9.0, 0.03, True),
        HeadingLine("A Title in Two", 17.2, 0.10, True),
        HeadingLine("Lines of Text*", 17.2, 0.13, True),
        HeadingLine("Author Name", 12.0, 0.18, True),
        HeadingLine("249", 30.0, 0.95, True),
    ]
    assert find_title("", {}, lines) == ("A Title in Two Lines of Text", "page")


def test_title_case_for_all_caps_titles():
    assert title_case("DEEP COMPRESSION: A STUDY OF THE STATE-OF-THE-ART IN PRUNING") == (
        "Deep Compression: A Study of the State-Of-The-Art in Pruning"
    )

"""RIS in (EndNote, Zotero, Mendeley; tests/data/library.ris): identifiers, types,
volumes and pages, organisations as authors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import as_json, ok
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


def test_ris_import_reads_endnote_zotero_mendeley_references() -> None:
    out = ok("import", str(DATA / "library.ris"))
    assert "4 added" in out
    papers = {p["title"]: p for p in as_json("list")}
    review = papers["Representation Learning: A Review and New Perspectives"]
    assert review["arxiv_id"] == "1206.5538" and review["doi"] == "10.1109/TPAMI.2013.50"
    assert (review["entry_type"], review["volume"], review["number"], review["pages"]) == (
        "article", "35", "8", "1798–1828",
    )  # fmt: skip
    assert review["venue"] == "IEEE Transactions on Pattern Analysis and Machine Intelligence"
    assert review["published"] == "2013-08-01" and review["authors"][0] == "Yoshua Bengio"
    adam = papers["Adam: A Method for Stochastic Optimization"]
    assert (adam["arxiv_id"], adam["entry_type"]) == ("1412.6980", "inproceedings")
    assert papers["A Report by Two Organisations"]["authors"] == ["OpenAI", "Google DeepMind"]
    assert "{Google DeepMind}" in ok("export", "--format", "bibtex")
    assert papers["Deep Learning"]["publisher"] == "MIT Press"


def test_the_last_reference_without_its_end_line_comes_in(tmp_path: Path) -> None:
    path = tmp_path / "cut.ris"
    path.write_text(
        "TY  - JOUR\nTI  - First paper\nPY  - 2020\nER  - \n\n"
        "TY  - JOUR\nTI  - Last paper, its end line lost\nPY  - 2021\n",
        encoding="utf-8",
    )
    assert "2 added, 0 already present (merged), 0 skipped" in ok("import", str(path))
    assert sorted(p["title"] for p in as_json("list")) == [
        "First paper", "Last paper, its end line lost",
    ]  # fmt: skip


def test_a_citavi_reference_names_its_arxiv_copy_in_a_later_link(tmp_path: Path) -> None:
    # Citavi's export: a byte-order mark, `T1` titles, CRLF, and three L2 links of which
    # the second is the arXiv page (rispy keeps only the first unless told otherwise).
    path = tmp_path / "citavi.ris"
    path.write_bytes(
        "\ufeffTY  - JOUR\r\nAU  - van de Schoot, Rens\r\n"
        "T1  - Open Source Software for Efficient and Transparent Reviews\r\n"
        "PY  - 2021\r\nUR  - https://lens.org/106-059-195-106-980\r\n"
        "L2  - https://ui.adsabs.harvard.edu/abs/2020arXiv200612166V/abstract\r\n"
        "L2  - https://arxiv.org/abs/2006.12166v3\r\n"
        "DO  - 10.1038/s42256-020-00287-7\r\nM4  - Citavi\r\nER  - \r\n".encode()
    )
    ok("import", str(path))
    (paper,) = as_json("list")
    assert (paper["title"], paper["arxiv_id"], paper["doi"]) == (
        "Open Source Software for Efficient and Transparent Reviews",
        "2006.12166",
        "10.1038/s42256-020-00287-7",
    )

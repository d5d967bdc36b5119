"""The keys a manuscript cites, from each kind of file."""

from __future__ import annotations

from papertrail.model.manuscript import cited_keys


def test_aux_of_a_natbib_and_a_biblatex_run() -> None:
    natbib = "\\relax\n\\citation{a,b}\n\\citation{ c }\n\\bibcite{a}{{1}{2}}\n\\citation{a}\n"
    assert cited_keys("main.aux", natbib) == ["a", "b", "c"]
    biblatex = "\\abx@aux@cite{0}{x}\n\\abx@aux@segm{0}{0}{x}\n\\abx@aux@cite{y}\n"
    assert cited_keys("main.aux", biblatex) == ["x", "y"]


def test_bcf() -> None:
    text = (
        '<bcf:citekey order="1" intorder="1">k1</bcf:citekey>'
        '<bcf:citekey order="2">k2</bcf:citekey>'
    )
    assert cited_keys("main.bcf", text) == ["k1", "k2"]


def test_tex_commands_and_comments() -> None:
    text = (
        "\\citep[see][p.~3]{a,b} \\textcite{c} \\cite*{d} % \\cite{hidden}\n"
        "50\\% \\nocite{e} \\parencites[x]{f}[y]{g} \\Autocite{h}"
    )
    assert sorted(cited_keys("p.tex", text)) == list("abcdefgh")


def test_pandoc_markdown() -> None:
    text = (
        "As [@doe99; @smith2000, p. 3] show, @roe2020. Mail me@example.org. [-@k:x-1]\n"
        "@{braced.key} and `@code` and\n```\n@fenced\n```\n"
    )
    assert cited_keys("p.qmd", text) == ["doe99", "smith2000", "roe2020", "k:x-1", "braced.key"]

"""papertrail's own exports come back whole: markdown, BibTeX, CSL-JSON and JSON, each
imported into a new library, give every paper its title as it was, whatever the title
(`PDF`, a bare URL, `[brackets]`, `` `[bold]` ``, braces, math, backslashes, any script)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from papertrail.model.same_paper import normal_title
from tests.support.cli import ok

HOSTILE = [
    "PDF", "Slides", "Code", "paper", "arXiv", "https://example.org/a?b=1", "www.example.com",
    "[brackets]", "`[bold]`", "[bold]", "**stars**", "_under_", "{braces}", "{{double}}",
    "$x^2$", "\\alpha", "\\(x\\)", "a\\b", "# hash", "100%", "&amp;", "<b>tag</b>", "|", "~",
    "^", "arXiv:1706.03762", "2101.00001", "«Überschrift»", "深度学习", "Ünïcödé", "—", "“q”",
    "(2015)", "[x](y)", "!", ":smile:", "@string", "%comment", "\"quoted\"", "'single'",
]  # fmt: skip
FORMATS = {"markdown": "list.md", "bibtex": "list.bib", "csl-json": "list.csl.json",
           "json": "list.json"}  # fmt: skip

word = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12),
)
title = st.lists(word, min_size=1, max_size=5).map(" ".join).map(lambda t: " ".join(t.split()))


def _titles(db: Path) -> list[tuple[str, str | None]]:
    papers = json.loads(ok("--db", str(db), "list", "--json"))
    return sorted(((p["arxiv_id"] or p["url"] or ""), p["title"]) for p in papers)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Titles one paper apart for the same-paper rule (model/same_paper.py): a paper without an
# address is matched by its title; the third paper of each example has none.
@given(
    st.lists(title.filter(bool), min_size=1, max_size=5, unique_by=lambda t: normal_title(t) or t)
)
# Found by Hypothesis: invisible characters were written as `\u2060` text in markdown.
@example(["\u2060", "Zero\u200bwidth tide\u202e title"])
def test_every_export_imports_back_with_its_titles(titles: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        # A paper with a web address, one with an arXiv id, one with neither (a citation
        # imported without a link), in turn.
        given_list = [
            [{"title": t, "arxiv_id": f"2101.{n:05d}"}, {"title": t, "url": f"https://example.org/p{n}"},
             {"title": t}][n % 3]
            for n, t in enumerate(titles)
        ]  # fmt: skip
        source = folder / "given.json"
        source.write_text(json.dumps(given_list), encoding="utf-8")
        first = folder / "first.db"
        ok("--db", str(first), "import", str(source))
        before = _titles(first)
        assert sorted(t for _, t in before) == sorted(titles)
        for fmt, name in FORMATS.items():
            exported = folder / name
            ok("--db", str(first), "export", "--format", fmt, "--output", str(exported))
            again = folder / f"{fmt}.db"
            ok("--db", str(again), "import", str(exported))
            assert _titles(again) == before, (fmt, exported.read_text(encoding="utf-8"))

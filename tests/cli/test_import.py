"""import / export through the real CLI: seed, JSON, BibTeX, markdown, CSV; rules of merging."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.support.arxiv_stub import ArxivStub, echo_papers
from tests.support.cli import as_json, ok, run
from tests.support.db import dump as db_dump
from tests.support.paths import DATA, ROOT

SEED = ROOT / "data" / "seed.json"

pytestmark = pytest.mark.usefixtures("backend")


# -- the seed ---------------------------------------------------------------------------------


def test_seed_import_then_topic_quantization_shows_the_whole_section() -> None:
    out = ok("import")
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    assert f"{len(seed['papers'])} added" in out
    parents = {t["slug"]: t["parent"] for t in seed["topics"]}

    def under_quantization(slug: str | None) -> bool:
        while slug is not None:
            if slug == "quantization":
                return True
            slug = parents[slug]
        return False

    expected = {
        p["title"] for p in seed["papers"] if any(under_quantization(t) for t in p["topics"])
    }
    listed = as_json("list", "--topic", "quantization")
    assert {p["title"] for p in listed} == expected
    assert len(expected) >= 15
    deep = as_json("show", "1510.00149")
    assert {"quantization", "pruning"} <= set(deep["topics"])
    assert "1510.00149" in [p["arxiv_id"] for p in as_json("list", "--topic", "pruning")]


def test_seed_reimport_changes_nothing_and_keeps_what_the_user_set(isolated_env: str) -> None:
    ok("import")
    ok("mark-read", "1510.00149")
    ok("note", "1510.00149", "my own note")
    ok("untag", "1510.00149", "deep-learning-optimization")
    ok("topic-parent", "hashing", "--clear")
    before = db_dump(isolated_env)
    out = ok("import")
    assert "0 added" in out
    assert db_dump(isolated_env) == before


def test_import_then_fetch_completes_in_as_few_requests_as_batches_allow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ok("import")
    pending = [p for p in as_json("list") if p["arxiv_id"]]
    with ArxivStub() as stub:
        stub.respond_with(echo_papers)
        monkeypatch.setenv("PAPERTRAIL_ARXIV_API", stub.url)
        monkeypatch.delenv("PAPERTRAIL_OFFLINE")
        monkeypatch.setenv("PAPERTRAIL_ARXIV_BATCH", "40")
        ok("fetch")
        assert len(stub.requests) == math.ceil(len(pending) / 40)
        assert sorted(i for r in stub.requests for i in r.ids) == sorted(
            p["arxiv_id"] for p in pending
        )
    assert all(p["abstract"] for p in as_json("list") if p["arxiv_id"])


def test_dry_run_writes_nothing(isolated_env: str) -> None:
    ok("add", "1510.00149", "--no-fetch")
    before = db_dump(isolated_env)
    out = ok("import", "--dry-run")
    assert "Would import seed.json" in out and "+ " in out and "already present" in out
    assert db_dump(isolated_env) == before


# -- JSON -------------------------------------------------------------------------------------


def test_json_export_into_an_empty_database_reproduces_everything(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    original = as_json("list")
    exported = tmp_path / "export.json"
    ok("export", "--format", "json", "--output", str(exported))
    fresh = tmp_path / "fresh.db"
    ok("--db", str(fresh), "import", str(exported))
    assert json.loads(ok("--db", str(fresh), "list", "--json")) == original
    assert ok("--db", str(fresh), "topics") == ok("topics")
    # and the fixture itself came in exactly as written
    source = json.loads((DATA / "library.json").read_text(encoding="utf-8"))["papers"]
    for paper, written in zip(original, source, strict=True):
        assert {k: paper[k] for k in written if k != "fetched_at"} == {
            k: v for k, v in written.items() if k != "fetched_at"
        }


def test_json_of_list_can_be_imported(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    listed = tmp_path / "listed.json"
    listed.write_text(ok("list", "--json"), encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    ok("--db", str(fresh), "import", str(listed))
    assert len(json.loads(ok("--db", str(fresh), "list", "--json"))) == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"papers": [{"title": "ok"}, {"title": "x", "year": "2015"}]}',
            "paper 2 (x): 'year' must be a whole number",
        ),
        (
            '{"papers": [{"title": "ok"}, {"arxiv_id": "nope"}]}',
            "paper 2 (nope): 'nope' is not an arXiv id",
        ),
        ('{"papers": [{"title": "a", "status": "done"}]}', "status must be one of"),
        ('{"papers": [{"title": "a"}', "not valid JSON (line 1"),
        ('{"papers": [{"title": "a", "authors": "Han"}]}', "'authors' must be a list"),
        ("42", "expected papertrail's export"),
    ],
)
def test_malformed_json_names_the_record_and_leaves_the_database_untouched(
    tmp_path: Path, isolated_env: str, content: str, message: str
) -> None:
    ok("import", str(DATA / "library.json"))
    before = db_dump(isolated_env)
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    result = run("import", str(bad))
    assert result.exit_code == 1
    assert message in result.stderr and "bad.json" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert db_dump(isolated_env) == before


# -- BibTeX -----------------------------------------------------------------------------------


def test_bibtex_import_takes_arxiv_ids_from_eprint_journal_and_doi() -> None:
    out = ok("import", str(DATA / "small.bib"))
    assert "4 added" in out
    papers = {p["title"]: p for p in as_json("list")}
    assert (
        papers["Deep Compression: Compressing Deep Neural Networks with Pruning"]["arxiv_id"]
        == "1510.00149"
    )
    assert papers["Deep Compression: Compressing Deep Neural Networks with Pruning"]["version"] == 5
    assert papers["Deep Compression: Compressing Deep Neural Networks with Pruning"]["topics"] == [
        "pruning", "quantization",
    ]  # fmt: skip
    assert papers["Deep Compression: Compressing Deep Neural Networks with Pruning"]["authors"] == [
        "Song Han", "Huizi Mao", "William J. Dally",
    ]  # fmt: skip
    assert papers["Binarized Neural Networks"]["arxiv_id"] == "1602.02830"
    assert papers["Deep Sparse Rectifier Neural Networks"]["arxiv_id"] is None
    assert papers["Deep Sparse Rectifier Neural Networks"]["year"] == 2011
    assert papers["Über die Quantisierung"]["arxiv_id"] == "2001.00001"
    assert papers["Über die Quantisierung"]["authors"] == ["Jörg Müller"]


def test_a_malformed_bibtex_entry_is_skipped_with_its_line_and_the_rest_comes_in(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.bib"
    bad.write_text(
        "@misc{good, title = {Fine}, year = 2020}\n"
        "@misc{broken, title = {Never closed, year = 2021\n"
        "@misc{twice, title = {One}, title = {Two}}\n"
        "@misc{after, title = {After}, author = {Han, Song and Mao, Huizi,}, year = 2022}\n",
        encoding="utf-8",
    )
    out = ok("import", str(bad))
    assert "2 added" in out and "2 skipped" in out
    assert "Skipped: 1 not closed before the next entry, 1 field given twice" in out
    out = ok("import", "--verbose", "--dry-run", str(bad))
    assert "skipped bad.bib:2 @misc{broken," in out
    assert "skipped bad.bib:3 @misc{twice," in out and "field given twice: title" in out
    papers = {p["title"]: p for p in as_json("list")}
    assert set(papers) == {"Fine", "After"}
    assert papers["After"]["authors"] == ["Song Han", "Huizi Mao"]  # the trailing comma aside


def test_strict_bibtex_import_names_the_entry_and_changes_nothing(
    tmp_path: Path, isolated_env: str
) -> None:
    ok("import", str(DATA / "small.bib"))
    before = db_dump(isolated_env)
    bad = tmp_path / "bad.bib"
    bad.write_text(
        "@misc{good, title = {Fine}, year = 2020}\n"
        "@misc{broken, title = {Never closed, year = 2021\n"
        "@misc{after, title = {After}, year = 2022}\n",
        encoding="utf-8",
    )
    result = run("import", "--strict", str(bad))
    assert result.exit_code == 1
    assert "bad.bib: the entry at line 2 is malformed" in result.stderr
    assert "broken" in result.stderr
    assert db_dump(isolated_env) == before


def test_bibtex_export_has_eprint_fields_and_unique_keys(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    ok("add", "--title", "Deep Compression again", "--url", "https://e.org", "--year", "2015")
    out = ok("export", "--format", "bibtex")
    assert "eprint = {1510.00149}" in out and "archivePrefix = {arXiv}" in out
    assert "primaryClass = {cs.CV}" in out
    keys = [line.split("{", 1)[1].rstrip(",") for line in out.splitlines() if line.startswith("@")]
    assert len(keys) == 5 and len(set(keys)) == 5
    # and it reads back: same arXiv ids and titles
    bib = tmp_path / "out.bib"
    bib.write_text(out, encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    ok("--db", str(fresh), "import", str(bib))
    again = json.loads(ok("--db", str(fresh), "list", "--json"))
    assert sorted(str(p["arxiv_id"]) for p in again) == sorted(
        str(p["arxiv_id"]) for p in as_json("list")
    )


# -- CSV and markdown ----------------------------------------------------------------------------


def test_csv_export_has_the_json_columns() -> None:
    ok("import", str(DATA / "library.json"))
    rows = list(csv.DictReader(io.StringIO(ok("export", "--format", "csv", "--status", "read"))))
    assert [r["arxiv_id"] for r in rows] == ["1510.00149", ""]
    assert rows[0]["authors"] == "Song Han; Huizi Mao; William J. Dally"
    assert rows[0]["note"] == "三步：剪枝、量化、哈夫曼编码"


def test_export_with_filters_and_atomic_output(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    target = tmp_path / "q.json"
    target.write_text("previous export", encoding="utf-8")
    ok("export", "--topic", "quantization", "--output", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [p["arxiv_id"] for p in data["papers"]] == ["1510.00149", "1602.02830"]
    assert {t["slug"] for t in data["topics"]} == {"quantization", "binary-quantization", "pruning"}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_markdown_export_groups_by_topic_and_imports_back(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    ok(
        "add",
        "--title",
        "A [bracketed] *starred* title_with_underscores",
        "--url",
        "https://e.org/x",
    )
    out = ok("export", "--format", "markdown")
    lines = out.splitlines()
    assert "## quantization" in lines and "### binary-quantization" in lines
    assert any(line.startswith("- [x] [Deep Compression") for line in lines)
    assert any(line.startswith("- [~] [Binarized Neural Networks]") for line in lines)
    exported = tmp_path / "list.md"
    exported.write_text(out, encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    report = ok("--db", str(fresh), "import", str(exported))
    assert "5 added" in report and "0 skipped" in report
    again = {
        (p["arxiv_id"], p["title"]): p for p in json.loads(ok("--db", str(fresh), "list", "--json"))
    }
    original = {(p["arxiv_id"], p["title"]): p for p in as_json("list")}
    assert {k[0] for k in again} == {k[0] for k in original}
    for (arxiv_id, title), paper in original.items():
        match = next(
            p for k, p in again.items() if k[0] == arxiv_id and (arxiv_id or k[1] == title)
        )
        assert match["topics"] == paper["topics"], title
        assert match["status"] == paper["status"], title
    assert ok("--db", str(fresh), "topics").count("\tquantization\t") == 1  # the tree came back


def test_markdown_export_round_trip_keeps_every_paper_status_note_and_topic(
    tmp_path: Path,
) -> None:
    ok("import", str(DATA / "library.json"))
    ok("add", "--title", "Why arXiv:1706.03762 is overrated", "-t", "contents", "-t", "other")
    ok("add", "--title", "A paper with no link at all", "--year", "2001", "--authors", "Émile Zola")
    hostile_url = "https://e.org/x\n## Fake heading\n- [Fake](https://arxiv.org/abs/2101.00001)"
    ok("add", "--title", "Evil [x] **link**", "--url", hostile_url)
    ok("mark-reading", "1602.02830")
    ok(
        "note",
        "1602.02830",
        "Line one [not a link](https://arxiv.org/abs/1810.04805)\n\n```\nx\n```",
    )
    exported = tmp_path / "list.md"
    exported.write_text(ok("export", "--format", "markdown"), encoding="utf-8")
    assert "\n## Fake heading" not in exported.read_text(encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    report = ok("--db", str(fresh), "import", str(exported))
    assert "0 skipped" in report

    def shape(paper: dict[str, object]) -> tuple[object, ...]:
        # arXiv papers come back without a url (the store knows arXiv's), and with the
        # year of their id when the library had none: the importer's rules for every list.
        # A URL comes back with line breaks (and an `arxiv` that is no arXiv link)
        # percent-encoded: the same address.
        url = None if paper["arxiv_id"] else unquote(str(paper["url"]))
        fields = ("title", "status", "note", "topics", "authors")
        return (paper["arxiv_id"], url, *(str(paper[k]) for k in fields))

    before = as_json("list")
    after = json.loads(ok("--db", str(fresh), "list", "--json"))
    assert sorted(map(shape, after), key=str) == sorted(map(shape, before), key=str)
    years = {p["title"]: p["year"] for p in after}
    assert all(years[p["title"]] == p["year"] for p in before if p["year"])


def test_skipped_entries_are_counted_and_listed_with_verbose(tmp_path: Path) -> None:
    listing = DATA / "markdown" / "not_papers.md"
    preview = ok("import", "--dry-run", str(listing))
    assert "  + 2303.08774" in preview  # what would be added...
    assert "  skipped nanoGPT: a repository link" in preview  # ...and skipped, and why
    assert "Would import not_papers.md: 5 added, 0 already present (merged), 9 skipped." in preview
    assert as_json("list") == []  # a dry run writes nothing
    quiet = ok("import", str(listing))
    assert "skipped nanoGPT" not in quiet  # no line per skip by default...
    summary = next(line for line in quiet.splitlines() if line.startswith("Skipped: "))
    for count in ("2 a repository link", "2 a project page or blog link", "2 a course link"):
        assert count in summary  # ...but counts by reason
    ok("remove", "--yes", *[str(p["id"]) for p in as_json("list")])
    again = ok("import", "--verbose", str(listing))
    assert "  skipped Chatbot Arena Leaderboard: a leaderboard link" in again


def test_roadmap_citations_give_authors_that_keep_two_works_of_one_title_apart(
    reading_lists_dir: Path,
) -> None:
    ok("import", str(reading_lists_dir / "deep-learning-papers-reading-roadmap.md"))
    papers = as_json("list")
    deep = sorted((p["authors"], p["year"]) for p in papers if p["title"] == "Deep learning")
    assert deep == [  # `Bengio, Yoshua, Ian J. Goodfellow, and Aaron Courville. "Deep learning."`
        (["Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"], 2015),
        (["Yoshua Bengio", "Ian J. Goodfellow", "Aaron Courville"], 2015),
    ]
    assert sum(1 for p in papers if p["authors"]) >= 125  # of 132: the citations name them


@pytest.mark.parametrize(
    ("name", "arxiv", "other", "titles"),
    [
        # 35: "Sequence to sequence learning..." is listed with its arXiv link and with its
        # NIPS link (one paper); the "Deep learning" book and review share a title and a
        # year but not their authors: two papers (test below).
        ("deep-learning-papers-reading-roadmap.md", 97, 35,
         ["Very deep convolutional networks for large-scale image recognition",
          "Deep residual learning for image recognition"]),
        # 276: "Post-Training Quantization for Vision Transformer" is listed with its NeurIPS
        # link and, later, its arXiv link: one paper.
        ("awesome-model-quantization.md", 235, 276,
         ["BiBench: Benchmarking and Analyzing Network Binarization",
          "How Good Are Low-bit Quantized LLaMA3 Models? An Empirical Study"]),
        ("awesome-pruning.md", 105, 175,
         ["Revisiting Pruning at Initialization Through the Lens of Ramanujan Graph",
          "Bit-Pruning: A Sparse Multiplication-Less Dot-Product"]),
    ],
)  # fmt: skip
def test_real_reading_lists_import_through_the_cli(
    reading_lists_dir: Path, name: str, arxiv: int, other: int, titles: list[str]
) -> None:
    out = ok("import", str(reading_lists_dir / name))
    papers = as_json("list")
    with_id = [p for p in papers if p["arxiv_id"]]
    assert (len(with_id), len(papers) - len(with_id)) == (arxiv, other)
    listed = {p["title"] for p in papers}
    for title in titles:
        assert title in listed
        assert title in (reading_lists_dir / name).read_text(encoding="utf-8")
    assert f"{arxiv + other} added" in out
    assert "0 added" in ok("import", str(reading_lists_dir / name))

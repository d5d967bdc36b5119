"""`list`: filters, sorts (reversed too), plain-text search, ids only and REFs from stdin,
the footer, and a pipe that gets every line whole."""

from __future__ import annotations

import pytest

from tests.support.cli import add_offline, as_json, ok, run
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def library() -> None:
    ok("import", str(DATA / "library.json"))


def ids(*args: str) -> list[str]:
    return ok("list", "--ids", *args).splitlines()


@pytest.mark.usefixtures("library")
def test_reverse_and_minus_prefix_reverse_the_order() -> None:
    assert ids() == ["1", "2", "3", "4"]
    assert ids("--reverse") == ["4", "3", "2", "1"]
    assert ids("--sort", "-added", "--limit", "2") == ["4", "3"]  # the last two added
    assert ids("--sort=-added", "--reverse") == ["1", "2", "3", "4"]
    assert ids("--sort", "title") == ["2", "1", "4", "3"]  # untitled last
    assert ids("--sort", "-title") == ["4", "1", "2", "3"]  # ... either way
    assert ids("--sort", "-published", "--limit", "1") == ["1"]  # the oldest first
    assert ids("--sort", "-published", "-r", "--limit", "1") == ["2"]
    assert [p["id"] for p in as_json("list", "-r", "--status", "read")] == [4, 1]


@pytest.mark.usefixtures("library")
def test_ids_pipe_into_tag_and_other_commands() -> None:
    tagged = ok("list", "--topic", "quantization", "--ids")
    ok("tag", "-t", "to-review", "-", input=tagged)
    assert ids("--topic", "to-review") == ["1", "2"]
    ok("mark-read", "-", input="3\n")
    assert as_json("show", "3")["status"] == "read"
    ok("queue", "-", "4", input=ok("list", "--status", "unread"))  # TSV rows work too
    assert [q["id"] for q in as_json("queue")] == [4]
    ok("remove", "--yes", "-", input="1 2\n")
    assert ids() == ["3", "4"]
    result = run("mark-read", "-", input="99\n")
    assert result.exit_code == 1 and "no paper '99'" in result.stderr


@pytest.mark.usefixtures("library")
def test_the_footer_says_how_many_of_all() -> None:
    out = ok("list", "--status", "read", env={"PAPERTRAIL_TERMINAL": "1"})
    assert out.rstrip().endswith("2 of 2 matching (4 in library)")
    out = ok("list", "--status", "read", "-n", "1", env={"PAPERTRAIL_TERMINAL": "1"})
    assert out.rstrip().endswith("1 of 2 matching (4 in library)")
    out = ok("list", env={"PAPERTRAIL_TERMINAL": "1"})
    assert out.rstrip().endswith("4 of 4 papers")
    out = ok("list", "--year", "1999", env={"PAPERTRAIL_TERMINAL": "1"})
    assert "No papers match (0 of 4 papers)." in out


def test_list_topic_includes_sub_topics_and_unknown_topic_is_an_error() -> None:
    add_offline("1510.00149", topic="quantization")
    add_offline("1602.02830", topic="binary-quantization")
    add_offline("1608.04493", topic="pruning")
    ok("topic-parent", "binary-quantization", "quantization")
    ids = [p["arxiv_id"] for p in as_json("list", "--topic", "quantization")]
    assert ids == ["1510.00149", "1602.02830"]
    assert [p["arxiv_id"] for p in as_json("list", "--topic", "binary-quantization")] == [
        "1602.02830"
    ]
    result = run("list", "--topic", "quantisation")
    assert result.exit_code == 1 and "no topic 'quantisation'" in result.stderr


def test_filters_year_since_status_author_sort_limit() -> None:
    ok("import", str(DATA / "library.json"))
    ids = lambda *args: [p["arxiv_id"] or p["title"][:4] for p in as_json("list", *args)]  # noqa: E731
    assert ids("--year", "2015") == ["1510.00149", "Why "]
    assert ids("--since", "2016") == ["1602.02830"]
    assert ids("--author", "han") == ["1510.00149"]
    assert ids("--author", "HUBARA") == ["1602.02830"]
    assert ids("--sort", "published") == ["1602.02830", "1510.00149", "1207.0580", "Why "]
    assert ids("--sort", "title") == ["1602.02830", "1510.00149", "Why ", "1207.0580"]
    assert ids("--sort", "status") == ["1602.02830", "1207.0580", "1510.00149", "Why "]
    assert ids("--status", "read") == ["1510.00149", "Why "]
    assert ids("--limit", "2") == ["1510.00149", "1602.02830"]
    assert ids("--topic", "quantization", "--status", "reading") == ["1602.02830"]
    assert run("list", "--year", "2015", "--since", "2014").exit_code == 2


def test_search_matches_title_abstract_authors_note_as_plain_text() -> None:
    ok("import", str(DATA / "library.json"))
    ok("note", "1207.0580", '50% faster; the ASIC_design is "good" * AND OR')
    search = lambda text: [p["id"] for p in as_json("list", "--search", text)]  # noqa: E731
    assert search("huffman") == [1]
    assert search("transformer") == []
    assert search("intensive") == [1]  # abstract
    assert search("compress") == [1]  # part of a title word
    assert search("courbariaux") == [2]  # author
    assert search("GEMM heart") == [4]  # words anywhere, in any order
    assert search("剪枝") == [1]  # a note in Chinese (two characters)
    assert search("50%") == [3]
    assert search("ASIC_design") == [3]
    assert search('"good" *') == [3]
    assert search("' OR 1=1 --") == []
    assert search("%") == [3]
    assert search("_") == [3]
    assert search("[not]") == [4]


def test_piped_list_is_never_truncated() -> None:
    long_title = "A " + "very " * 60 + "long title about quantization"
    ok("add", "--title", long_title, "--url", "https://e.org/p")
    line = ok("list").splitlines()[0]
    assert long_title in line

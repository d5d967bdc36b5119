"""The everyday commands against a real SQLite file, offline: add, list, show, mark, tag..."""

from __future__ import annotations

from pathlib import Path

import pytest

from papertrail.model.records import JSON_KEYS
from tests.support.cli import as_json, ok, run, run_process
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


def add_offline(*refs: str, topic: str | None = None) -> str:
    args = ["add", *refs, "--no-fetch"]
    if topic:
        args += ["--topic", topic]
    return ok(*args)


def test_add_without_fetch_keeps_the_paper_pending_with_a_warning() -> None:
    result = run("add", "https://arxiv.org/abs/1510.00149v3", "--no-fetch")
    assert result.exit_code == 0
    assert "Added [1] 1510.00149" in result.stdout
    assert "without metadata" in result.stderr and "papertrail fetch" in result.stderr
    [paper] = as_json("list")
    assert paper["arxiv_id"] == "1510.00149"
    assert paper["version"] == 3
    assert paper["title"] is None
    assert paper["status"] == "unread"


def test_offline_env_adds_with_pending_metadata() -> None:
    result = run("add", "1510.00149")  # PAPERTRAIL_OFFLINE=1 is set for every test
    assert result.exit_code == 0
    assert "offline" in result.stderr
    assert as_json("show", "1510.00149")["title"] is None


def test_versions_of_a_paper_are_one_record_with_the_latest_version() -> None:
    add_offline("1510.00149v1", "arXiv:1510.00149v4", "1510.00149v2")
    add_offline("1510.00149v5")
    papers = as_json("list")
    assert len(papers) == 1
    assert papers[0]["version"] == 5


def test_adding_again_adds_topics_and_says_it_was_there() -> None:
    add_offline("1510.00149", topic="pruning")
    out = ok("add", "http://arxiv.org/pdf/1510.00149.pdf", "--no-fetch", "-t", "Quantization")
    assert "Already in the library" in out
    assert "quantization" in out
    [paper] = as_json("list")
    assert paper["topics"] == ["pruning", "quantization"]


def test_bad_ref_is_a_one_line_error_and_good_ones_are_still_added() -> None:
    result = run("add", "1510.00149", "not-an-id", "--no-fetch")
    assert result.exit_code == 1
    assert "Error: not-an-id: not an arXiv id or URL" in result.stderr
    assert "Traceback" not in result.stderr
    assert [p["arxiv_id"] for p in as_json("list")] == ["1510.00149"]


def test_only_bad_refs_change_nothing() -> None:
    result = run("add", "0000.0000", "--no-fetch")
    assert result.exit_code != 0
    assert as_json("list") == []


def test_manual_paper_not_on_arxiv() -> None:
    out = ok(
        "add", "--title", "Deep Sparse Rectifier Neural Networks",
        "--url", "http://proceedings.mlr.press/v15/glorot11a/glorot11a.pdf",
        "--year", "2011", "--authors", "Xavier Glorot; Antoine Bordes; Yoshua Bengio",
        "-t", "activations",
    )  # fmt: skip
    assert "Added [1] Deep Sparse Rectifier Neural Networks" in out
    paper = as_json("show", "1")
    assert paper["arxiv_id"] is None
    assert paper["authors"] == ["Xavier Glorot", "Antoine Bordes", "Yoshua Bengio"]
    assert paper["year"] == 2011
    again = ok("add", "--title", "deep sparse rectifier neural networks")
    assert "Already in the library" in again
    assert len(as_json("list")) == 1
    # Two works may share a title (the "Deep learning" book and review): a different URL
    # makes a different paper.
    other = ok(
        "add", "--title", "Deep Sparse Rectifier Neural Networks", "--url", "https://e.org/b"
    )
    assert "Added [2]" in other


def test_json_keys_are_the_documented_contract() -> None:
    add_offline("1510.00149")
    assert tuple(as_json("show", "1")) == JSON_KEYS
    assert tuple(as_json("list")[0]) == JSON_KEYS


def test_mark_commands_set_status_and_dates() -> None:
    add_offline("1510.00149", "1602.01528")
    ok("mark-reading", "1510.00149")
    reading = as_json("show", "1")
    assert reading["status"] == "reading" and reading["started_at"] and reading["read_at"] is None
    ok("mark-read", "1", "2")
    done = as_json("show", "1")
    assert (
        done["status"] == "read" and done["read_at"] and done["started_at"] == reading["started_at"]
    )
    assert as_json("show", "2")["status"] == "read"
    ok("mark-unread", "2")
    again = as_json("show", "2")
    assert (again["status"], again["read_at"], again["started_at"]) == ("unread", None, None)


def test_mark_read_without_ref_off_a_terminal_is_a_usage_error() -> None:
    add_offline("1510.00149")
    result = run("mark-read")
    assert result.exit_code == 2
    assert "give the papers to mark read" in result.stderr


def test_mark_read_picks_interactively_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    add_offline("1510.00149", "1602.01528")
    monkeypatch.setenv("PAPERTRAIL_TERMINAL", "1")  # stdin and stdout count as a terminal
    result = run("mark-read", input="2\n")
    assert result.exit_code == 0, result.stderr
    assert "Marked read: [2] 1602.01528" in result.stdout
    assert as_json("show", "2")["status"] == "read"
    assert as_json("show", "1")["status"] == "unread"


def test_unknown_ref_is_a_clear_error_everywhere() -> None:
    add_offline("1706.03762")
    for args in (
        ["show", "42"],
        ["mark-read", "1510.00149"],
        ["tag", "7", "x"],
        ["note", "9", "y"],
    ):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("Error: no paper"), result.stderr


def test_tag_untag_note() -> None:
    add_offline("1510.00149")
    ok("tag", "1510.00149", "Pruning", "hardware accelerators")
    assert as_json("show", "1")["topics"] == ["hardware-accelerators", "pruning"]
    ok("untag", "1", "pruning")
    assert as_json("show", "1")["topics"] == ["hardware-accelerators"]
    assert run("untag", "1", "nothing-here").exit_code == 1
    ok("note", "1", "--replace", "量化 and pruning: read section 3")
    assert as_json("show", "1")["note"] == "量化 and pruning: read section 3"
    ok("note", "1", "--replace", "")
    assert as_json("show", "1")["note"] is None


def test_remove_needs_yes_off_a_terminal() -> None:
    add_offline("1510.00149", "1602.01528")
    refused = run("remove", "1")
    assert refused.exit_code == 2
    assert len(as_json("list")) == 2
    ok("remove", "1", "--yes")
    assert [p["arxiv_id"] for p in as_json("list")] == ["1602.01528"]


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


def test_topic_cycles_are_refused() -> None:
    add_offline("1510.00149", topic="a")
    ok("topic-parent", "b", "a")
    ok("topic-parent", "c", "b")
    result = run("topic-parent", "a", "c")
    assert result.exit_code == 1
    assert "cycle" in result.stderr
    assert "c\tb" in ok("topics", "--all")


def test_topics_and_stats_count_sub_topics_and_reads() -> None:
    add_offline("1510.00149", topic="quantization")
    add_offline("1602.02830", topic="binary-quantization")
    ok("topic-parent", "binary-quantization", "quantization")
    ok("mark-read", "1602.02830")
    lines = ok("topics").splitlines()
    assert "binary-quantization\tquantization\t1\t1" in lines
    assert "quantization\t\t2\t1" in lines
    stats = ok("stats")
    assert "read          1" in stats and "unread        1" in stats
    assert "quantization" in stats and "1/2" in stats


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


def test_markup_and_control_characters_are_shown_literally(monkeypatch: pytest.MonkeyPatch) -> None:
    ok(
        "add",
        "--title",
        "[red]x[/red] \x1b[31mred\x1b[0m [link=file:///etc]y",
        "--url",
        "https://e.org/p",
    )
    plain = ok("list")
    assert "[red]x[/red]" in plain
    assert "\x1b" not in plain and "\\x1b[31m" in plain
    monkeypatch.setenv("PAPERTRAIL_TERMINAL", "1")
    table = ok("list")
    assert "[red]x[/red]" in table and "\x1b[31mred" not in table
    panel = ok("show", "1")
    assert "[red]x[/red]" in panel and "[link=file:///etc]y" in panel


def test_piped_list_is_never_truncated() -> None:
    long_title = "A " + "very " * 60 + "long title about quantization"
    ok("add", "--title", long_title, "--url", "https://e.org/p")
    line = ok("list").splitlines()[0]
    assert long_title in line


def test_open_hands_only_web_addresses_to_the_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    add_offline("1510.00149")
    ok("open", "1510.00149")
    ok("open", "1", "--pdf")
    ok("add", "--title", "Local file", "--url", "file:///etc/passwd")
    result = run("open", "2")
    assert result.exit_code == 1 and "only http and https" in result.stderr
    assert opened == ["https://arxiv.org/abs/1510.00149", "https://arxiv.org/pdf/1510.00149"]


def test_every_command_has_help() -> None:
    from typer.main import get_command

    from papertrail.cli import app

    group = get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.help, f"{name} has no help"
        assert ok(name, "--help")


def test_default_database_lives_in_the_user_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PAPERTRAIL_DB")
    result = run_process("add", "1510.00149", "--no-fetch")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "home" / "data" / "papertrail" / "papertrail.db").is_file()


def test_db_option_and_file_that_is_not_a_database(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    ok("--db", str(other), "add", "1510.00149", "--no-fetch")
    assert other.is_file()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    result = run("--db", str(junk), "list")
    assert result.exit_code == 4
    assert "not a papertrail database" in result.stderr
    assert junk.read_bytes() == b"this is not sqlite" * 100

"""The MCP server's parts in this process, where a test controls what a stdio client
cannot: the full-text seam, a tool that crashes, an answer too long, the SDK missing."""

from __future__ import annotations

import logging
import sys
from typing import Any

import anyio
import pytest

from papertrail.cli.mcp import answers
from papertrail.cli.mcp.arguments import ArgumentError, check_arguments
from papertrail.cli.mcp.tools import FIND_TEXT, ToolSpec, run_tool, tools_for
from papertrail.config import Settings
from papertrail.errors import UsageError
from tests.support.cli import ok, run
from tests.support.paths import DATA


@pytest.fixture
def settings() -> Settings:
    ok("import", str(DATA / "library.json"))  # four papers, in this test's own library
    return Settings.load(None)


def test_arguments_get_their_defaults_and_integral_numbers() -> None:
    schema = FIND_TEXT.input_schema
    assert check_arguments({"query": "x", "limit": 5.0}, schema) == {
        "query": "x", "topic": None, "status": None, "limit": 5, "offset": 0,
    }  # fmt: skip
    with pytest.raises(ArgumentError) as wrong_type:
        check_arguments({"query": 12}, schema)
    assert str(wrong_type.value) == "query must be string, not 12"
    with pytest.raises(ArgumentError) as unknown:
        check_arguments({"query": "q", "x\n" * 100: 1}, schema)
    assert str(unknown.value) == (  # the name quoted in 40 characters at most
        "unknown argument 'x\\nx\\nx\\nx\\nx\\nx\\nx\\nx\\nx\\nx\\nx\\nx\\n... "
        "(known: query, topic, status, limit, offset)"
    )


def test_defaults_are_fresh_for_each_call() -> None:
    (add_paper,) = [tool for tool in tools_for(True) if tool.name == "add_paper"]
    first = check_arguments({"title": "t"}, add_paper.input_schema)
    first["topics"].append("leaked")
    assert check_arguments({"title": "t"}, add_paper.input_schema)["topics"] == []


def test_long_fields_are_cut_and_named() -> None:
    shown = answers.bound_fields(
        {"id": 1, "title": "t", "abstract": "word " * 1000, "authors": ["A"] * 30, "year": 2020},
        answers.IN_A_LIST,
    )
    assert shown["truncated"] == ["abstract", "authors"]
    assert len(shown["abstract"]) <= answers.IN_A_LIST.abstract
    assert shown["abstract"].endswith("word…")
    assert len(shown["authors"]) == answers.IN_A_LIST.items
    assert answers.page("x", [{}], total=3, offset=2)["next_offset"] is None
    assert answers.page("x", [{}], total=3, offset=1)["next_offset"] == 2


def test_error_messages_keep_no_password() -> None:
    error = UsageError("cannot connect to postgresql+psycopg://me:hunter2@db.example/lib")
    assert answers.error_message(error) == (
        "cannot connect to postgresql+psycopg://me:***@db.example/lib"
    )
    assert len(answers.error_message(UsageError("x" * 10_000))) == answers.MESSAGE_CHARS


class FakeHit:
    def __init__(self, paper_id: int) -> None:
        self.paper_id = paper_id

    def to_json(self) -> dict[str, Any]:
        pages = [{"page": n, "snippet": f"page {n} " + "text " * 200} for n in range(1, 6)]
        return {"id": self.paper_id, "arxiv_id": None, "title": "T", "score": 1.5, "pages": pages}


def test_an_answer_too_long_is_refused(settings: Settings) -> None:
    huge = ToolSpec("huge", "Huge", "", {}, lambda library, args: {"x": "y" * 300_000}, {})
    with pytest.raises(UsageError) as refused:
        run_tool(settings, huge, {})
    assert str(refused.value).startswith("the answer would be 300008 characters (at most 200000)")


def test_a_crash_is_a_tool_error_with_its_details_in_the_log_only(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    from papertrail.cli.mcp.server import ToolCalls

    def crash(library: Any, args: Any) -> dict[str, Any]:
        raise RuntimeError("secret detail: postgresql://me:hunter2@db/lib")

    calls = ToolCalls(settings, (ToolSpec("crash", "Crash", "", {}, crash, {}),))
    with caplog.at_level(logging.ERROR):
        result = anyio.run(calls.call, "crash", {})
    assert result.is_error
    assert result.content[0].text == "internal error in crash (details in the server's log)"
    assert "hunter2" in caplog.text  # the server's stderr, never the answer


def test_without_the_sdk_the_command_says_how_to_install_it(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "mcp", None)  # import mcp: ModuleNotFoundError
    monkeypatch.delitem(sys.modules, "papertrail.cli.mcp.server", raising=False)
    result = run("mcp")
    assert result.exit_code == 1
    assert (
        result.stderr == "Error: papertrail mcp needs the MCP SDK: pip install 'papertrail[mcp]'\n"
    )

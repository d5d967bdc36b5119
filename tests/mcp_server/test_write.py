"""`papertrail mcp --allow-write`: the write tools, each change in the history under
`mcp <tool>` and undone by `papertrail undo`; arXiv and Crossref played by a local server.

One server for the module on each backend; the tests share the library and run in order.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from papertrail.cli.mcp import answers
from papertrail.cli.mcp.tools import WRITE_TOOL_NAMES, WRITE_TOOLS, tools_for
from tests.mcp_server.conftest import assert_is_cli
from tests.support.arxiv_stub import ArxivStub
from tests.support.mcp_client import Library, McpServer, mcp_server
from tests.support.recorded import PLOS, crossref
from tests.support.services_stub import ServicesWorld
from tests.support.shared import require_shared

TESTING = "query_search_testing_10results.xml"  # search_query=testing, 10 of 214881


@pytest.fixture(scope="module")
def world() -> Iterator[ServicesWorld]:
    with ArxivStub() as stub:
        yield ServicesWorld(stub)


@pytest.fixture(scope="module")
def server(
    library: Library, world: ServicesWorld, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[McpServer]:
    """The server and the CLI online, on the local services."""
    library.env.update(world.env())
    library.env["PAPERTRAIL_OFFLINE"] = None
    stderr = tmp_path_factory.mktemp("server") / "stderr.txt"
    with mcp_server(library, "--allow-write", stderr=stderr) as started:
        yield started


def newest_entry(library: Library) -> dict[str, Any]:
    return dict(library.json("log", "--limit", "1")[0])


def entries(library: Library) -> int:
    return len(library.json("log", "--limit", "100000"))


def test_lists_every_tool_and_says_which_write(server: McpServer) -> None:
    tools = {tool.name: tool for tool in server.list_tools().tools}
    assert list(tools) == [tool.name for tool in tools_for(allow_write=True)]
    assert {tool.name for tool in WRITE_TOOLS} == WRITE_TOOL_NAMES <= set(tools)
    for name in WRITE_TOOL_NAMES:
        assert tools[name].annotations.read_only_hint is False
        assert tools[name].annotations.destructive_hint is False
        assert "This WRITES to the library" in tools[name].description
        assert f"`mcp {name}`" in tools[name].description
        assert "`papertrail undo`" in tools[name].description


def test_add_paper_by_arxiv_id_is_recorded_and_undone(
    server: McpServer, library: Library, world: ServicesWorld
) -> None:
    added = server.ok("add_paper", ref="https://arxiv.org/abs/2401.12345v2",
                      topics=["Fuzzing"], status="reading")  # fmt: skip
    paper = added["paper"]
    assert added["added"] and added["warning"] is None
    assert (paper["arxiv_id"], paper["title"]) == ("2401.12345", "Paper 2401.12345")
    assert (paper["topics"], paper["status"]) == (["fuzzing"], "reading")
    assert_is_cli(paper, library.json("show", "2401.12345"))
    assert world.requests("/api/query")[-1].ids == ["2401.12345"]
    entry = newest_entry(library)
    assert (entry["id"], entry["command"]) == (added["history_id"], "mcp add_paper")
    again = server.ok("add_paper", ref="2401.12345")
    assert not again["added"] and again["history_id"] is None  # nothing changed
    library.ok("undo")
    assert library.run("show", "2401.12345").exit_code == 1


def test_add_paper_by_doi_and_by_title(
    server: McpServer, library: Library, world: ServicesWorld
) -> None:
    world.crossref_work(PLOS, crossref("works_journal-article_10.1371_journal.pone.0033693.json"))
    by_doi = server.ok("add_paper", ref=f"doi:{PLOS}", topics=["neuro"])
    assert by_doi["added"] and by_doi["paper"]["doi"] == PLOS and by_doi["paper"]["title"]
    assert_is_cli(by_doi["paper"], library.json("show", str(by_doi["paper"]["id"])))
    by_title = server.ok("add_paper", title="Deep Sparse Rectifier Neural Networks",
                         authors=["Xavier Glorot", "Antoine Bordes"], year=2011,
                         url="http://proceedings.mlr.press/v15/glorot11a.pdf")  # fmt: skip
    assert by_title["added"] and by_title["paper"]["arxiv_id"] is None
    assert by_title["paper"]["authors"] == ["Xavier Glorot", "Antoine Bordes"]
    assert newest_entry(library)["id"] == by_title["history_id"] > by_doi["history_id"]


@pytest.mark.parametrize("ref", ["10.1371/notarealdoi", "hello", "2401.1"])
def test_add_paper_refuses_as_add_does(server: McpServer, library: Library, ref: str) -> None:
    before = entries(library)
    message = server.error("add_paper", ref=ref)
    cli = library.run("add", ref)
    assert cli.exit_code != 0 and cli.stderr == f"Error: {message}\n"
    assert entries(library) == before


def test_mark_read_takes_the_paper_off_the_queue(server: McpServer, library: Library) -> None:
    queued = server.ok("reading_queue")["papers"]
    first = queued[0]["id"]
    marked = server.ok("mark_read", paper=first)
    assert marked["paper"]["status"] == "read" and marked["paper"]["read_at"]
    assert first not in [p["id"] for p in server.ok("reading_queue")["papers"]]
    assert newest_entry(library)["command"] == "mcp mark_read"
    assert server.ok("mark_read", paper=first)["history_id"] is None  # read already
    library.ok("undo")
    assert library.json("show", str(first))["status"] == queued[0]["status"]
    assert [p["id"] for p in server.ok("reading_queue")["papers"]] == [p["id"] for p in queued]


def test_add_note_appends_a_dated_paragraph(server: McpServer, library: Library) -> None:
    noted = server.ok("add_note", paper="1510.00149", text="Uses mixed precision? No.")
    note = library.json("show", "1510.00149")["note"]
    assert note.endswith(": Uses mixed precision? No.") and "Read section 3 again" in note
    assert newest_entry(library)["id"] == noted["history_id"]
    library.ok("undo")
    assert "mixed precision" not in library.json("show", "1510.00149")["note"]


def test_tag_creates_topics_and_says_what_it_added(server: McpServer, library: Library) -> None:
    before = library.json("show", "2")["topics"]
    tagged = server.ok("tag", paper=2, topics=["Mixed Precision", "quantization"])
    assert sorted(tagged["added_topics"]) == ["mixed-precision", "quantization"]
    assert "mixed-precision" in [t["topic"] for t in server.ok("topics")["topics"]]
    assert server.ok("tag", paper=2, topics=["quantization"])["history_id"] is None
    assert newest_entry(library)["command"] == "mcp tag"
    library.ok("undo")
    assert library.json("show", "2")["topics"] == before


def test_queue_at_the_end_or_on_top(server: McpServer, library: Library) -> None:
    last = server.ok("queue", paper=15)
    top = server.ok("queue", paper=16, top=True)
    assert top["position"] == 1 and last["position"] == len(library.json("queue")) - 1
    assert server.ok("queue", paper=16, top=True)["history_id"] is None
    assert [p["id"] for p in library.json("queue")][:1] == [16]
    commands = [e["command"] for e in server.ok("history", paper=16)["entries"]]
    assert commands[0] == "mcp queue"


def test_search_arxiv_is_search_json(
    server: McpServer, library: Library, world: ServicesWorld
) -> None:
    recorded = (require_shared("fixtures", "arxiv") / TESTING).read_bytes()
    world.stub.queue(200, recorded)
    world.stub.queue(200, recorded)
    found = server.ok("search_arxiv", query="testing")
    cli = library.json("search", "testing", "--limit", "10")
    mcp_request, cli_request = world.requests("/api/query")[-2:]
    assert mcp_request.params == cli_request.params
    assert found["total"] == 214881 and len(found["papers"]) == len(cli) == 10
    for hit, expected in zip(found["papers"], cli, strict=True):
        assert_is_cli(hit, expected)
        assert len(hit["abstract"]) <= answers.IN_A_LIST.abstract


HOSTILE = [
    ("tag", {"paper": 1, "topics": ["t"] * 10_000}, "topics has too many items (10000; at most"),
    ("tag", {"paper": 1, "topics": []}, "topics needs at least 1 item(s)"),
    ("tag", {"paper": 1, "topics": ["x" * 101]}, "topics[0] is too long (101 characters"),
    ("tag", {"paper": 1, "topics": ["17"]}, "'17' looks like a paper, not a topic name"),
    ("add_note", {"paper": 1, "text": "y" * 1_000_000}, "text is too long (1000000 characters"),
    ("add_note", {"paper": 1, "text": " "}, "text must not be empty"),
    ("add_note", {"paper": 99999, "text": "hi"}, "no paper '99999' in the library"),
    ("add_paper", {"ref": "1706.03762", "title": "Both"}, "give either ref"),
    ("add_paper", {}, "give either ref"),
    ("add_paper", {"title": "x", "authors": ["a"] * 101}, "authors has too many items"),
    ("queue", {"paper": 1, "top": "yes"}, "top must be boolean, not 'yes'"),
    ("mark_read", {"paper": ""}, "paper must not be empty"),
    ("mark_read", {"paper": 2**70}, f"no paper '{2**70}' in the library"),
]  # fmt: skip


@pytest.mark.parametrize(("tool", "arguments", "message"), HOSTILE)
def test_hostile_writes_change_nothing(
    server: McpServer, library: Library, tool: str, arguments: dict[str, Any], message: str
) -> None:
    before = entries(library)
    text = server.error(tool, **arguments)
    assert text.startswith(message) and len(text) <= answers.MESSAGE_CHARS
    assert entries(library) == before


def test_the_server_is_still_fine(server: McpServer) -> None:
    server.ping()
    assert "Traceback" not in server.stderr_text()

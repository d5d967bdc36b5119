"""The MCP server's tools: names, descriptions, input and output schemas, and the call
each makes (calls.py). `tools_for(allow_write)` is what a server offers; `run_tool` runs
one call. Nothing here imports the MCP SDK (server.py does).

The input schemas are the contract arguments are checked against (arguments.py) and carry
the caps of answers.py; the output schemas are what the SDK's client checks
`structuredContent` against, kept loose where papertrail may add keys.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from papertrail.cli.mcp import answers, calls
from papertrail.cli.mcp.answers import JSON
from papertrail.cli.mcp.arguments import check_arguments
from papertrail.config import Settings
from papertrail.errors import UsageError
from papertrail.model.query import SORTS
from papertrail.model.records import STATUSES


@dataclass(frozen=True)
class ToolSpec:
    """One tool: what `tools/list` shows and what `tools/call` runs."""

    name: str
    title: str
    description: str
    params: dict[str, JSON]
    call: Callable[[calls.Library, dict[str, Any]], JSON]
    output: JSON
    required: tuple[str, ...] = ()
    writes: bool = False
    idempotent: bool = True
    open_world: bool = False  # asks a service outside the library (arXiv, Crossref)

    @property
    def input_schema(self) -> JSON:
        return {"type": "object", "properties": self.params, "required": list(self.required),
                "additionalProperties": False}  # fmt: skip

    @property
    def full_description(self) -> str:
        if not self.writes:
            return self.description
        return self.description + (
            f" This WRITES to the library: the change is recorded in papertrail's history "
            f"as `mcp {self.name}` (history_id in the answer; null when nothing changed), "
            "and the user can revert it with `papertrail undo`."
        )


def run_tool(
    settings: Settings, tool: ToolSpec, arguments: Mapping[str, Any] | None
) -> tuple[JSON, str]:
    """One call: its arguments checked, the tool run on a library opened for this call
    alone; the answer and its JSON text (never longer than MAX_ANSWER_CHARS). Raises
    PapertrailError with the message the CLI would print."""
    checked = check_arguments(arguments, tool.input_schema)
    with calls.open_library(settings, f"mcp {tool.name}") as library:
        result = tool.call(library, checked)
        if tool.writes:
            result["history_id"] = library.store.history_id
    text = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
    if len(text) > answers.MAX_ANSWER_CHARS:
        raise UsageError(
            f"the answer would be {len(text)} characters (at most "
            f"{answers.MAX_ANSWER_CHARS}): ask for fewer results with limit"
        )
    return result, text


# -- input schema pieces -------------------------------------------------------------------

REF = {
    "type": ["string", "integer"], "minLength": 1, "maxLength": answers.MAX_REF_CHARS,
    "description": "The paper: its number in the library (12), arXiv id or URL "
    "(1706.03762), DOI or citation key.",
}  # fmt: skip
LIMIT = {
    "type": "integer", "minimum": 1, "maximum": answers.MAX_LIMIT,
    "default": answers.DEFAULT_LIMIT, "description": "At most this many.",
}  # fmt: skip
OFFSET = {
    "type": "integer", "minimum": 0, "maximum": answers.MAX_OFFSET, "default": 0,
    "description": "Skip this many: the previous answer's next_offset gives the next page.",
}  # fmt: skip
TEXT = {"type": "string", "minLength": 1, "maxLength": answers.MAX_QUERY_CHARS}
TOPIC = {"type": "string", "minLength": 1, "maxLength": answers.MAX_TOPIC_CHARS,
         "description": "A topic, with its sub-topics (as the topics tool lists it)."}  # fmt: skip
TOPICS = {"type": "array", "items": TOPIC, "maxItems": answers.MAX_TOPICS, "default": []}
STATUS = {"type": "string", "enum": list(STATUSES), "description": "Reading status."}
YEAR = {"type": "integer", "minimum": 1, "maximum": 9999}
BOOLEAN = {"type": "boolean", "default": False}
SORT = {"type": "string", "enum": [*SORTS, *(f"-{key}" for key in SORTS)], "default": "-added",
        "description": "Order: added, published, title, status or citations; a - prefix "
        "reverses it (-added, the default: the newest first)."}  # fmt: skip

# -- output schema pieces ------------------------------------------------------------------

_NULLABLE_INT = {"type": ["integer", "null"]}
_STRINGS = {"type": "array", "items": {"type": "string"}}
PAPER = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"}, "title": {"type": ["string", "null"]},
        "authors": _STRINGS, "topics": _STRINGS, "status": {"type": "string"},
        "truncated": _STRINGS,
    },
    "required": ["id", "title", "status", "truncated"],
}  # fmt: skip


def _object(**properties: JSON) -> JSON:
    """An object schema with these properties, all of them required."""
    return {"type": "object", "properties": properties, "required": list(properties)}


def _with(schema: JSON, **properties: JSON) -> JSON:
    """`schema` (an object schema) with more required properties."""
    return {**schema, "properties": {**schema["properties"], **properties},
            "required": [*schema["required"], *properties]}  # fmt: skip


def _page(key: str, item: JSON) -> JSON:
    return _object(**{key: {"type": "array", "items": item}}, total={"type": "integer"},
                   offset={"type": "integer"}, next_offset=_NULLABLE_INT)  # fmt: skip


def _written(**properties: JSON) -> JSON:
    return _object(paper=PAPER, **properties, history_id=_NULLABLE_INT)


# -- the table ------------------------------------------------------------------------------

# fmt: off
READ_TOOLS = (
    ToolSpec(
        "search_library", "Search the library",
        "Find papers in the user's library (what `papertrail list` lists): by topic (with "
        "its sub-topics), reading status, author, year, and words in title, abstract, "
        "authors or note (all optional, combined). A page at a time, newest added first; "
        "long fields are cut (`truncated` names them; get_paper has them in full).",
        {"topic": TOPIC, "status": STATUS,
         "author": {**TEXT, "description": "Part of an author's name."},
         "year": {**YEAR, "description": "Published in this year."},
         "since": {**YEAR, "description": "Published in this year or later."},
         "text": {**TEXT, "description": "Words that must all appear."},
         "sort": SORT, "limit": LIMIT, "offset": OFFSET},
        calls.search_library, _page("papers", PAPER),
    ),
    ToolSpec(
        "get_paper", "Show a paper",
        "Everything the library holds about one paper (what `papertrail show` shows): "
        "metadata, topics, reading status and dates, the user's note, and the start of "
        "its full text when the library has it (`text`, else null).",
        {"paper": REF}, calls.get_paper,
        _with(PAPER, text={"type": ["object", "null"]}), ("paper",),
    ),
    ToolSpec(
        "reading_queue", "The reading queue",
        "The user's reading queue, in order: position 1 is to be read first.",
        {"limit": LIMIT, "offset": OFFSET}, calls.reading_queue,
        _page("papers", _with(PAPER, position={"type": "integer"})),
    ),
    ToolSpec(
        "what_next", "What to read next",
        "Suggestions of what to read next (`papertrail next`): the queue first, then "
        "unread papers of the topics with the least progress, each with its reason.",
        {"count": {"type": "integer", "minimum": 1, "maximum": answers.MAX_NEXT,
                   "default": 5},
         "topic": TOPIC},
        calls.what_next,
        _object(papers={"type": "array", "items": _with(PAPER, reason={"type": "string"})}),
    ),
    ToolSpec(
        "topics", "Topics",
        "The library's topics: each with its parent topic, how many papers it has "
        "(sub-topics included) and how many of them are read. With all=true, also "
        "topics no paper uses any more.",
        {"all": BOOLEAN,
         "limit": {**LIMIT, "maximum": answers.MAX_TOPICS_PAGE, "default": 100},
         "offset": OFFSET},
        calls.topic_list, _page("topics", {"type": "object"}),
    ),
    ToolSpec(
        "history", "Recent changes",
        "The changes made to the library (`papertrail log`), newest first: which command, "
        "when, what it changed in one line, and whether it was undone; with `paper`, only "
        "the changes to that paper.",
        {"paper": REF, "limit": LIMIT, "offset": OFFSET}, calls.history_page,
        _page("entries", {"type": "object"}),
    ),
    ToolSpec(
        "search_arxiv", "Search arXiv",
        "Search arXiv (not the library) for papers (`papertrail search`); hits the "
        "library already holds say so in `in_library`. Words match anywhere; title, "
        "author, abstract and categories narrow it down. Slow (arXiv asks for 3 s between "
        "requests): search_library is the place for what the user already has.",
        {"query": {**TEXT, "description": "Words to find anywhere; \"a phrase\" in quotes."},
         "title": {**TEXT, "description": "Words in the title."},
         "author": {**TEXT, "description": "An author's name."},
         "abstract": {**TEXT, "description": "Words in the abstract."},
         "categories": {"type": "array", "items": {**TEXT, "maxLength": 40}, "maxItems": 10,
                        "default": [], "description": "arXiv categories (cs.LG) or archives."},
         "since": {**TEXT, "maxLength": 10,
                   "description": "Submitted on or after: YYYY-MM-DD, YYYY-MM or YYYY."},
         "until": {**TEXT, "maxLength": 10, "description": "Submitted on or before."},
         "sort": {"type": "string", "enum": ["relevance", "submitted", "updated"],
                  "default": "relevance"},
         "limit": {**LIMIT, "maximum": answers.MAX_ARXIV_RESULTS, "default": 10}},
        calls.search_arxiv,
        _object(query={"type": "string"}, total={"type": "integer"},
                papers={"type": "array", "items": {"type": "object"}}),
        open_world=True,
    ),
)

FIND_TEXT = ToolSpec(
    "find_text", "Search inside the papers",
    "Search the full text of the library's PDFs (`papertrail find`): papers ranked by "
    "relevance, each with the pages where the words occur and a short snippet of each "
    f"(at most {answers.SNIPPETS_PER_PAPER} a paper). \"a phrase\" in quotes, AND, OR, NOT, "
    "prefix*.",
    {"query": TEXT, "topic": TOPIC, "status": STATUS, "limit": LIMIT, "offset": OFFSET},
    calls.find_text,
    _object(hits={"type": "array", "items": {"type": "object"}}, offset={"type": "integer"},
            next_offset=_NULLABLE_INT),
    ("query",),
)

WRITE_TOOLS = (
    ToolSpec(
        "add_paper", "Add a paper",
        "Add a paper to the library (`papertrail add`): by arXiv id or URL, or DOI "
        "(`ref`; its metadata is fetched), or a paper not on arXiv by `title` (with "
        "authors, year and url if known). A paper already there is not added twice: it "
        "gains the topics given.",
        {"ref": {**REF, "description": "An arXiv id or URL, or a DOI."},
         "title": {**TEXT, "maxLength": answers.MAX_TITLE_CHARS},
         "authors": {"type": "array", "items": {**TEXT, "maxLength": 200},
                     "maxItems": answers.MAX_AUTHORS_INPUT, "default": []},
         "year": YEAR,
         "url": {**TEXT, "maxLength": answers.MAX_URL_CHARS},
         "topics": TOPICS, "status": STATUS,
         "note": {"type": "string", "maxLength": answers.MAX_NOTE_INPUT_CHARS}},
        calls.add_paper,
        _written(added={"type": "boolean"}, warning={"type": ["string", "null"]}),
        writes=True, open_world=True,
    ),
    ToolSpec(
        "mark_read", "Mark a paper read",
        "Mark a paper as read now (`papertrail mark-read`); it leaves the reading queue. "
        "A paper already read keeps its date.",
        {"paper": REF}, calls.mark_read, _written(), ("paper",), writes=True,
    ),
    ToolSpec(
        "add_note", "Add to a paper's note",
        "Add a dated paragraph after a paper's note (`papertrail note REF TEXT`): what the "
        "note said before stays.",
        {"paper": REF,
         "text": {"type": "string", "minLength": 1,
                  "maxLength": answers.MAX_NOTE_INPUT_CHARS}},
        calls.add_note, _written(), ("paper", "text"), writes=True, idempotent=False,
    ),
    ToolSpec(
        "tag", "Tag a paper",
        "Add topics to a paper (`papertrail tag REF TOPIC...`); new topics are created.",
        {"paper": REF, "topics": {**TOPICS, "minItems": 1}},
        calls.tag, _written(added_topics=_STRINGS), ("paper", "topics"), writes=True,
    ),
    ToolSpec(
        "queue", "Queue a paper",
        "Put a paper on the reading queue (`papertrail queue REF`): at the end, or first "
        "with top=true. A queued paper keeps its place unless top=true.",
        {"paper": REF, "top": BOOLEAN}, calls.queue_paper,
        _written(position={"type": "integer"}), ("paper",), writes=True,
    ),
)
# fmt: on

WRITE_TOOL_NAMES = frozenset(tool.name for tool in WRITE_TOOLS)


def tools_for(allow_write: bool) -> tuple[ToolSpec, ...]:
    """The tools a server offers: every read tool (find_text searches the text of the
    papers' PDFs), and the write tools only when it was started to write."""
    read = (*READ_TOOLS, FIND_TEXT)
    return read + (WRITE_TOOLS if allow_write else ())

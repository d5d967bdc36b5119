"""What the MCP tools answer: the JSON shapes of the CLI's `--json`, bounded.

A paper is the full paper object of "The JSON contract" (README), the keys of
`show --json`, with the keys a tool adds beside them (`position`, `reason`) and
`truncated`, the names of the fields cut short. Lists are pages:
`{"<items>": [...], "total", "offset", "next_offset"}`; `next_offset` is null on the last.

Every number an answer can grow with has a cap here, and the tools' input schemas
publish the same numbers (`maximum`, `maxLength`), so a model sees them before it asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from papertrail.model.records import HistoryEntry, Paper
from papertrail.model.text import bounded, one_line, without_passwords

JSON = dict[str, Any]

# -- pages --------------------------------------------------------------------------------
DEFAULT_LIMIT = 20
MAX_LIMIT = 50  # items in one page of any list
MAX_OFFSET = 1_000_000  # no library goes further: a larger offset is a mistake or hostile
MAX_TOPICS_PAGE = 200  # topics are small: {"topic", "parent", "papers", "read"}
MAX_NEXT = 20  # what_next's suggestions
MAX_ARXIV_RESULTS = 25  # one arXiv search: arXiv asks for 3 s between requests

# -- arguments ----------------------------------------------------------------------------
MAX_QUERY_CHARS = 500  # search words, filters
MAX_REF_CHARS = 300  # a REF: number, arXiv id or URL, DOI, citation key
MAX_TOPIC_CHARS = 100
MAX_TOPICS = 20  # topics one call gives
MAX_NOTE_INPUT_CHARS = 10_000  # what one add_note appends
MAX_TITLE_CHARS = 1_000
MAX_URL_CHARS = 2_000
MAX_AUTHORS_INPUT = 100

# -- text in answers ----------------------------------------------------------------------
TEXT_EXCERPT_CHARS = 2_000  # the start of a paper's full text, in get_paper
SNIPPET_CHARS = 240  # one find_text snippet
SNIPPETS_PER_PAPER = 3
SUMMARY_CHARS = 300  # a history entry's summary
MESSAGE_CHARS = 500  # an error message
MAX_ANSWER_CHARS = 200_000  # the safety net: no answer is ever longer


class Caps(NamedTuple):
    """How much of a paper an answer shows."""

    abstract: int
    note: int
    other_text: int  # any other text field (a title, a comment...)
    items: int  # authors, categories, topics


IN_A_LIST = Caps(abstract=600, note=600, other_text=300, items=20)  # many papers
ONE_PAPER = Caps(abstract=5_000, note=10_000, other_text=2_000, items=200)  # get_paper


def paper_json(paper: Paper, caps: Caps = IN_A_LIST) -> JSON:
    """`show --json`'s object with its long values cut, and `truncated` naming them."""
    return bound_fields(paper.to_json(), caps)


def bound_fields(shown: JSON, caps: Caps = IN_A_LIST) -> JSON:
    """`shown` with every text at most its cap and every list of texts at most `caps.items`
    long (cut ones end with `…`); `truncated` lists the keys cut."""
    truncated = []
    for key, value in shown.items():
        if isinstance(value, str):
            limit = {"abstract": caps.abstract, "note": caps.note}.get(key, caps.other_text)
            shown[key], cut = bounded(value, limit)
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            shown[key], cut = _bounded_list(value, caps)
        else:
            continue
        if cut:
            truncated.append(key)
    shown["truncated"] = truncated
    return shown


def _bounded_list(values: list[str], caps: Caps) -> tuple[list[str], bool]:
    kept = [bounded(value, caps.other_text) for value in values[: caps.items]]
    cut = len(values) > caps.items or any(was_cut for _, was_cut in kept)
    return [text or "" for text, _ in kept], cut


def page(key: str, items: Sequence[JSON], total: int, offset: int) -> JSON:
    """A page of `items` that starts at `offset`, of `total` in all."""
    end = offset + len(items)
    return {
        key: list(items),
        "total": total,
        "offset": offset,
        "next_offset": end if items and end < total else None,
    }


def entry_json(entry: HistoryEntry) -> JSON:
    """`log --json`'s entry without the rows it changed (an import's are thousands)."""
    shown = entry.to_json()
    del shown["changes"]
    shown["summary"] = bounded(entry.summary, SUMMARY_CHARS)[0]
    return shown


def error_message(error: BaseException) -> str:
    """The one line an MCP error carries: the CLI's message (what follows `Error: `), with
    no password and at most MESSAGE_CHARS characters (a hostile argument quoted in a
    message must not come back at full length)."""
    text = one_line(without_passwords(str(error))) or type(error).__name__
    return bounded(text, MESSAGE_CHARS)[0] or ""

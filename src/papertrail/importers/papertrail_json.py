"""papertrail's own JSON format (export and the bundled seed), and `list --json` arrays.

    {"format": "papertrail", "version": 1,
     "topics": [{"slug": "binary-quantization", "parent": "quantization"}, ...],
     "papers": [{"arxiv_id": ..., "title": ..., "topics": [...], "status": ..., ...}, ...]}

Every record is validated before anything is written; an error names the record.
"""

from __future__ import annotations

import json
from typing import Any

from papertrail.errors import ImportFormatError
from papertrail.model.ids import parse_arxiv_id
from papertrail.model.records import STATUSES, PaperRecord, ParsedList
from papertrail.model.slugs import slugify

_TEXT_FIELDS = (
    "title", "abstract", "published", "updated", "primary_category", "doi", "journal_ref", "venue",
    "comment", "url", "pdf_url", "note", "added_at", "started_at", "read_at", "fetched_at",
    "entry_type", "venue", "volume", "number", "pages", "publisher", "citation_key",
)  # fmt: skip
_LIST_FIELDS = ("authors", "categories", "topics", "tags", "sources")
_INT_FIELDS = ("version", "year")
MAX_INT = 999_999  # years and versions: anything larger is a mistake, not data


def parse_json(text: str, source: str = "<json>") -> ParsedList:
    return parse_data(load(text, source), source)


def load(text: str, source: str) -> Any:
    """The JSON value of a file, or a one-line error naming where it is broken."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFormatError(
            f"{source} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        raise ImportFormatError(f"{source}: JSON nested too deeply to be a paper list") from None
    except ValueError as error:  # e.g. a number of more than 4,300 digits
        raise ImportFormatError(f"{source} is not usable JSON ({error})") from None


def parse_data(data: Any, source: str) -> ParsedList:
    """papertrail's export (or a `list --json` array), already loaded."""
    if isinstance(data, list):
        papers, topics = data, list[Any]()
    elif isinstance(data, dict) and isinstance(data.get("papers"), list):
        if data.get("format", "papertrail") != "papertrail":
            raise ImportFormatError(f"{source}: unknown format {data.get('format')!r}")
        papers, topics = data["papers"], data.get("topics") or []
    else:
        raise ImportFormatError(
            f'{source}: expected papertrail\'s export (an object with "papers") or a JSON array'
        )
    # Rows of a papertrail export (or `list --json`) are distinct papers: kept apart.
    parsed = ParsedList(topic_parents=_topic_tree(topics, source), distinct=True)
    for index, item in enumerate(papers, start=1):
        parsed.records.append(_record(item, f"{source}: paper {index}"))
    return parsed


def _topic_tree(topics: Any, source: str) -> dict[str, str | None]:
    if not isinstance(topics, list):
        raise ImportFormatError(f'{source}: "topics" must be a list')
    tree: dict[str, str | None] = {}
    for index, topic in enumerate(topics, start=1):
        if not isinstance(topic, dict) or not isinstance(topic.get("slug"), str):
            raise ImportFormatError(f'{source}: topic {index} must be an object with a "slug"')
        parent = topic.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise ImportFormatError(f'{source}: topic {topic["slug"]!r}: "parent" must be a slug')
        tree[slugify(topic["slug"])] = slugify(parent) if parent else None
    return tree


def _record(item: Any, where: str) -> PaperRecord:
    if not isinstance(item, dict):
        raise ImportFormatError(f"{where} must be an object, not {type(item).__name__}")
    label = item.get("arxiv_id") or item.get("title")
    where = f"{where} ({label})" if isinstance(label, str) else where
    values: dict[str, Any] = {}
    for key in _TEXT_FIELDS:
        values[key] = _typed(item, key, str, where)
    for key in _INT_FIELDS:
        values[key] = _typed(item, key, int, where)
    for key in _LIST_FIELDS:
        value = item.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ImportFormatError(f"{where}: {key!r} must be a list of strings")
        values[key] = value
    values["topics"] = [slugify(t) for t in values["topics"] if slugify(t)]
    values["tags"] = list(dict.fromkeys(t for t in values["tags"] if t.strip()))
    status = item.get("status")
    if status is not None and status not in STATUSES:
        raise ImportFormatError(
            f"{where}: status must be one of {', '.join(STATUSES)}, not {status!r}"
        )
    arxiv_id = _typed(item, "arxiv_id", str, where)
    if arxiv_id is not None:
        try:
            arxiv_id = parse_arxiv_id(arxiv_id).id
        except ImportFormatError:
            raise
        except Exception:
            raise ImportFormatError(f"{where}: {arxiv_id!r} is not an arXiv id") from None
    return PaperRecord(arxiv_id=arxiv_id, status=status, **values)


def _typed(item: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = item.get(key)
    if kind is int and isinstance(value, int) and not 0 <= value <= MAX_INT:
        raise ImportFormatError(f"{where}: {key!r} is out of range ({value})")
    if value is None or (isinstance(value, kind) and not isinstance(value, bool)):
        return value
    raise ImportFormatError(
        f"{where}: {key!r} must be {'text' if kind is str else 'a whole number'}"
    )

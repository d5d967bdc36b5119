"""`papertrail bib`: bibliography files kept up to date, and bibliographies made from a
manuscript's citations.

A linked file (`bib link`) follows a selection of the library: topics, a status, a search,
or the keys a manuscript cites. Every command that changes the library calls
`refresh_links` once its transaction has committed (db/database.py's `after_commit`, which
the CLI registers): a link whose papers the change touched is written again, when what it
would hold differs from what papertrail last wrote. A file whose bytes are no longer what
papertrail wrote there was edited by hand: it is left alone with a notice (`bib sync
--force` takes it over). Entries are ordered by key and written the same way every time,
so a project's `git diff` shows only the entries that changed.

The exporters are imported only when a file is written (start-up of the other commands).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from papertrail.config import machine
from papertrail.core.topics import check_topic
from papertrail.db.bib import BibLinkRow
from papertrail.db.store import Store
from papertrail.errors import PapertrailError, UsageError
from papertrail.model.entry_types import parse_fields
from papertrail.model.manuscript import ALL, cited_keys
from papertrail.model.query import PaperQuery
from papertrail.model.records import STATUSES, now_iso

FORMATS = ("bibtex", "biblatex", "csl-json")
DEFAULT_FIELDS = "paper"  # a manuscript's bibliography: no abstract, keywords or file
_MANUSCRIPT_CAP = 64 * 1024 * 1024  # bytes of a manuscript read at most


class Selection(NamedTuple):
    """What a linked file (or `bib aux`) holds."""

    topics: Sequence[str] = ()
    status: str | None = None
    query: str | None = None
    aux: Sequence[str] = ()  # manuscripts: the keys they cite

    @classmethod
    def of(cls, store: Store, link: BibLinkRow) -> Selection:
        """A link's selection. Its topics are stored by id, so that a renamed topic is
        still followed; one deleted since is named `#ID` (see `gone_topics`)."""
        ids = [int(i) for i in (link.topics or "").split()]
        slugs = store.topic_slugs(ids)
        return cls(
            [slugs.get(i, f"#{i}") for i in ids], link.status, link.query,
            (link.aux or "").split("\n") if link.aux else [],
        )  # fmt: skip

    def gone_topics(self) -> list[str]:
        return [topic for topic in self.topics if topic.startswith("#")]

    def describe(self) -> str:
        parts = [f"topic {', '.join(self.topics)}" if self.topics else ""]
        parts += [f"status {self.status}" if self.status else ""]
        parts += [f"search {self.query!r}" if self.query else ""]
        parts += [f"cited in {', '.join(Path(a).name for a in self.aux)}" if self.aux else ""]
        return "; ".join(p for p in parts if p) or "the whole library"


class Rendered(NamedTuple):
    """A bibliography as papertrail writes it."""

    text: str
    paper_ids: list[int]
    missing: Sequence[tuple[str, list[str]]] = ()  # key, closest keys

    @property
    def digest(self) -> str:
        return _digest(self.text.encode("utf-8"))


class LinkState(NamedTuple):
    """A linked file as `bib list` shows it."""

    path: str
    format: str
    selection: Selection
    fields: str
    entries: int
    state: str  # "up to date", "out of date", "edited by hand", "missing"
    written_at: str | None


class SyncOutcome(NamedTuple):
    path: str
    action: str  # "written", "unchanged", "skipped" (edited by hand)
    entries: int
    missing: Sequence[tuple[str, list[str]]] = ()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise UsageError(f"no bibliography format {fmt!r}: use one of {', '.join(FORMATS)}")
    return fmt


def check_fields(text: str | None) -> frozenset[str]:
    try:
        return parse_fields(text or DEFAULT_FIELDS)
    except ValueError as error:
        raise UsageError(str(error)) from None


# -- the manuscript's citations -------------------------------------------------------------


def read_cited_keys(paths: Iterable[str | Path]) -> list[str]:
    """The keys the manuscripts cite, in order, each once."""
    found: dict[str, None] = {}
    for path in map(Path, paths):
        try:
            with open(path, "rb") as handle:
                data = handle.read(_MANUSCRIPT_CAP)
        except OSError as error:
            raise PapertrailError(f"cannot read {path}: {error.strerror or error}") from None
        text = data.decode("utf-8", "replace")
        found.update(dict.fromkeys(cited_keys(path.name, text)))
    return list(found)


def _cited_papers(store: Store, keys: Sequence[str]) -> tuple[list[tuple[int, str]], list[str]]:
    """(paper id, the key cited) for the keys the library holds (an alias too), and the keys
    it does not hold."""
    found: list[tuple[int, str]] = []
    missing: list[str] = []
    known = store.papers_with_keys(keys)
    for key in keys:
        paper_id = known.get(key)
        if paper_id is None:
            missing.append(key)
        else:
            found.append((paper_id, key))
    return found, missing


def closest_keys(store: Store, missing: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Each missing key with the library's keys closest to it (at most three)."""
    if not missing:
        return []
    import difflib  # a manuscript with keys the library lacks, only

    held = store.all_citation_keys()
    lowered = {key.lower(): key for key in held}
    result = []
    for key in missing:
        close = difflib.get_close_matches(key.lower(), list(lowered), n=3, cutoff=0.6)
        result.append((key, [lowered[c] for c in close]))
    return result


# -- writing a bibliography -----------------------------------------------------------------


def render(store: Store, selection: Selection, fmt: str, fields: frozenset[str]) -> Rendered:
    """The bibliography of a selection, ordered by key, as `export --sort key` writes it."""
    if selection.aux:
        return _render_cited(store, read_cited_keys(selection.aux), fmt, fields)
    queries = [
        PaperQuery(topic=topic, status=selection.status, search=selection.query, sort="key")
        for topic in selection.topics or [None]  # type: ignore[list-item]
    ]
    if len(queries) == 1:
        query = queries[0]
    else:  # several topics: the papers of any of them
        ids: dict[int, None] = {}
        for one in queries:
            found = store.iter_rows(one, ("id",), topics=False)
            ids.update(dict.fromkeys(int(row[0]) for row in found))
        query = PaperQuery(paper_ids=list(ids), sort="key")
    return _render_query(store, query, fmt, fields)


def _render_query(store: Store, query: PaperQuery, fmt: str, fields: frozenset[str]) -> Rendered:
    from papertrail.core.exporting import read  # the exporters: only when writing one
    from papertrail.exporters import module

    writer = module(fmt)
    out = io.StringIO()
    ids: list[int] = []
    if getattr(writer, "READS_ROWS", False) and "file" not in fields:
        # The rows with their ids (noted as they stream), topics only for `keywords`.
        rows = store.iter_rows(query, ("id", *writer.COLUMNS), topics="keywords" in fields)

        def without_id() -> Iterator[Sequence[Any]]:
            for row in rows:
                ids.append(int(row[0]))
                yield row[1:]

        writer.write(without_id(), store.topic_parents(), out, fields=fields)
        return Rendered(out.getvalue(), ids)
    ids = [int(row[0]) for row in store.iter_rows(query, ("id",), topics=False)]
    items = read(store, fmt, query, files="file" in fields)
    writer.write(items, store.topic_parents(), out, fields=fields)
    return Rendered(out.getvalue(), ids)


def _render_cited(store: Store, keys: list[str], fmt: str, fields: frozenset[str]) -> Rendered:
    """The entries a manuscript cites, each under the key it cites (an old key of a paper,
    an alias, stays the entry's key: the manuscript builds as it did)."""
    from papertrail.core.exporting import read  # the exporters: only when writing one
    from papertrail.exporters import module

    if ALL in keys:  # \nocite{*}: the whole library
        rendered = _render_query(store, PaperQuery(sort="key"), fmt, fields)
        lacking = _cited_papers(store, [k for k in keys if k != ALL])[1]
        return rendered._replace(missing=closest_keys(store, lacking))
    cited, missing = _cited_papers(store, keys)
    wanted = sorted(dict.fromkeys(cited), key=lambda pair: pair[1])
    ids = list(dict.fromkeys(paper_id for paper_id, _ in wanted))
    items: dict[int, Any] = {}
    writer = module(fmt)
    rows_mode = getattr(writer, "READS_ROWS", False)
    key_at = writer.COLUMNS.index("citation_key") if rows_mode else None
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = PaperQuery(paper_ids=chunk)
        id_query = store.iter_rows(query, ("id",), topics=False)
        # `read` keeps the query's order: match the items to ids by reading both the same way.
        items_read = read(store, fmt, query, files="file" in fields)
        for (paper_id, *_), item in zip(id_query, items_read, strict=True):
            items[int(paper_id)] = item
    ordered = []
    for paper_id, key in wanted:
        item = items.get(paper_id)
        if item is None:
            continue
        if key_at is not None:
            item = (*item[:key_at], key, *item[key_at + 1 :])
        else:
            item = replace(item, citation_key=key)
        ordered.append(item)
    out = io.StringIO()
    writer.write(ordered, store.topic_parents(), out, fields=fields)
    return Rendered(out.getvalue(), ids, closest_keys(store, missing))


def write_file(path: Path, text: str) -> None:
    """Write a bibliography in place, atomically (exporters' way)."""
    from papertrail.exporters import write_text

    write_text(path, text)


def _file_digest(path: Path) -> str | None:
    try:
        return _digest(path.read_bytes())
    except FileNotFoundError:
        return None
    except OSError as error:
        raise PapertrailError(f"cannot read {path}: {error.strerror or error}") from None


# -- linking --------------------------------------------------------------------------------


def link(
    store: Store, path: Path, fmt: str, selection: Selection, fields_text: str | None,
    *, force: bool = False,
) -> SyncOutcome:  # fmt: skip
    """Tie `path` to a selection and write it now. An existing file papertrail did not write
    is not taken over without `force`."""
    check_format(fmt)
    fields = check_fields(fields_text)
    topics = [check_topic(store, topic) for topic in selection.topics]
    selection = selection._replace(topics=[slug for slug in topics if slug])
    if selection.status is not None and selection.status not in STATUSES:
        raise UsageError(f"unknown status {selection.status!r}: use one of {', '.join(STATUSES)}")
    target = path.expanduser().resolve()
    if target.is_dir():
        raise UsageError(f"{path} is a directory: link a file (refs.bib)")
    known = store.bib_link(machine(), str(target))
    on_disk = _file_digest(target)
    ours = known is not None and known.written_hash == on_disk
    if on_disk is not None and not ours and not force and target.stat().st_size > 0:
        raise PapertrailError(
            f"{path} exists and papertrail did not write it: --force replaces it with the "
            "linked bibliography"
        )
    store.add_bib_link({
        "machine": machine(), "path": str(target), "format": fmt,
        "topics": " ".join(str(store.topic_id(t)) for t in selection.topics) or None,
        "status": selection.status, "query": selection.query,
        "aux": "\n".join(str(Path(a).expanduser().resolve()) for a in selection.aux) or None,
        "fields": fields_text or DEFAULT_FIELDS, "created_at": now_iso(),
    })  # fmt: skip
    row = store.bib_link(machine(), str(target))
    assert row is not None
    return _write_link(store, row, fields, force=True)


def unlink(store: Store, path: Path) -> str:
    target = str(path.expanduser().resolve())
    if not store.remove_bib_link(machine(), target):
        raise PapertrailError(f"{path} is not linked (`papertrail bib list` shows the links)")
    return target


def sync(store: Store, path: Path | None = None, *, force: bool = False) -> list[SyncOutcome]:
    """Write the linked files now (or the one at `path`): those whose selection changed,
    or that are missing; a file edited by hand only with `force`."""
    links = store.bib_links(machine())
    if path is not None:
        target = str(path.expanduser().resolve())
        links = [one for one in links if one.path == target]
        if not links:
            raise PapertrailError(f"{path} is not linked (`papertrail bib list` shows the links)")
    return [_write_link(store, one, check_fields(one.fields), force=force) for one in links]


def states(store: Store) -> list[LinkState]:
    found = []
    for one in store.bib_links(machine()):
        on_disk = _file_digest(Path(one.path))
        if on_disk is None:
            state = "missing"
        elif on_disk != one.written_hash:
            state = "edited by hand"
        else:
            rendered = render(store, Selection.of(store, one), one.format, check_fields(one.fields))
            state = "up to date" if rendered.digest == on_disk else "out of date"
        entries = len(one.written_ids.split()) if one.written_ids else 0
        selection, fields = Selection.of(store, one), one.fields or DEFAULT_FIELDS
        found.append(
            LinkState(one.path, one.format, selection, fields, entries, state, one.written_at)
        )
    return found


def _write_link(
    store: Store, link_row: BibLinkRow, fields: frozenset[str], *, force: bool
) -> SyncOutcome:
    if Selection.of(store, link_row).gone_topics():  # an empty file would drop every entry
        raise PapertrailError(
            "a topic it follows was deleted: `papertrail bib link "
            f"{link_row.path} -t TOPIC --force` makes it follow another"
        )
    rendered = render(store, Selection.of(store, link_row), link_row.format, fields)
    target = Path(link_row.path)
    on_disk = _file_digest(target)
    count = len(rendered.paper_ids)
    if on_disk is not None and on_disk != link_row.written_hash and not force:
        return SyncOutcome(link_row.path, "skipped", count, rendered.missing)
    ids = " ".join(map(str, rendered.paper_ids))
    if on_disk == rendered.digest:
        if link_row.written_hash != on_disk or link_row.written_ids != ids:
            store.set_bib_written(link_row.id, rendered.digest, ids, now_iso())
        return SyncOutcome(link_row.path, "unchanged", count, rendered.missing)
    write_file(target, rendered.text)
    store.set_bib_written(link_row.id, rendered.digest, ids, now_iso())
    # Keys a manuscript may cite now: those of the papers new to the file (the others
    # were noted when they came in).
    before = {int(i) for i in (link_row.written_ids or "").split()}
    store.record_written_ids([i for i in rendered.paper_ids if i not in before])
    return SyncOutcome(link_row.path, "written", count, rendered.missing)


# -- after every change ---------------------------------------------------------------------


def refresh_links(store: Store, links: Sequence[BibLinkRow]) -> None:
    """Rewrite these linked files, which a committed change touched (core/linked.py picks
    them); what is left alone (a file edited by hand, one that could not be written)
    becomes a notice."""
    for one in links:
        try:
            outcome = _write_link(store, one, check_fields(one.fields), force=False)
        except PapertrailError as error:
            store.notices.append(f"linked bibliography {one.path} not updated: {error}")
            continue
        if outcome.action == "skipped":
            store.notices.append(
                f"{one.path} was edited by hand since papertrail wrote it: left as it is "
                f"(`papertrail bib sync --force {one.path}` rewrites it)"
            )

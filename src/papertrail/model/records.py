"""Plain data that moves between the parts of papertrail: arXiv client, importers, store, CLI.

Dataclasses, not SQLModel objects: building them costs nothing at start-up, and the read
path never needs the ORM. The field names are the JSON contract of `list --json`,
`show --json` and `export --format json`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple

from papertrail.model.files import AttachedFile

STATUSES = ("unread", "reading", "read")

# Keys of `list --json` / `show --json`, in output order.
JSON_KEYS = (
    "id",
    "arxiv_id",
    "version",
    "title",
    "authors",
    "abstract",
    "published",
    "updated",
    "year",
    "primary_category",
    "categories",
    "doi",
    "journal_ref",
    "entry_type",
    "venue",
    "volume",
    "number",
    "pages",
    "publisher",
    "citation_key",
    "venue_year",
    "citations",
    "citations_at",
    "comment",
    "url",
    "pdf_url",
    "topics",
    "tags",  # keywords from bibliographies: flat, beside the topic tree
    "status",
    "note",
    "added_at",
    "started_at",
    "read_at",
    "newer_version",
    "files",  # the paper's files: name, sha256, size, pages, searchable... (model/files.py)
)


class _ComparedByFields:
    """`==` and `repr` as a dataclass writes them, read off the instance's fields.

    A dataclass compiles the source of its generated methods when its module is imported;
    for the classes here (~40 fields for a paper), `__eq__` and `__repr__` were most of what
    papertrail's own modules cost every command at start-up. The fields are the instance's
    attributes, set by the generated `__init__` in field order: these give the same answers.
    """

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return vars(self) == vars(other)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in vars(self).items())
        return f"{self.__class__.__qualname__}({fields})"


@dataclass(eq=False, repr=False)
class PaperRecord(_ComparedByFields):
    """One paper as the outside world describes it (arXiv, a reading list, an export).

    Every field may be missing; the store fills in what it owns (id, status, dates).
    """

    arxiv_id: str | None = None
    version: int | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    abstract: str | None = None
    published: str | None = None  # YYYY-MM-DD
    updated: str | None = None  # YYYY-MM-DD
    year: int | None = None
    primary_category: str | None = None
    categories: list[str] = field(default_factory=list)
    doi: str | None = None
    journal_ref: str | None = None
    # What a bibliography says (see models.Paper): kept so an export can cite it again.
    entry_type: str | None = None
    venue: str | None = None
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    citation_key: str | None = None
    venue_year: int | None = None  # year of the published version of a preprint
    citations: int | None = None
    citations_at: str | None = None  # YYYY-MM-DD the count was fetched
    comment: str | None = None
    url: str | None = None
    pdf_url: str | None = None
    topics: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # keywords, as bibliographies give them
    status: str | None = None
    note: str | None = None
    added_at: str | None = None
    started_at: str | None = None
    read_at: str | None = None
    # When arXiv metadata was fetched (None: never, or not an arXiv paper).
    fetched_at: str | None = None
    # Where the record came from ("seeds/000.txt", "list.md:42"): for messages, not stored.
    sources: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How to name this record in a message."""
        return self.arxiv_id or self.title or self.url or "(untitled)"


_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")


def iso_date(text: object) -> str | None:
    """`YYYY-MM-DD` from text that starts with one, when that date exists: 2017-02-30 is
    refused (None), never rolled over into March; years below 1000 keep four digits."""
    match = _ISO_DATE.match(str(text or ""))
    if match is None:
        return None
    try:
        date(*map(int, match.groups()))
    except ValueError:
        return None
    return "-".join(match.groups())


def clean_title(title: str) -> str:
    """A title as stored: whitespace runs collapsed, ends trimmed."""
    return " ".join(title.split())


@dataclass(eq=False, repr=False)
class ParsedList(_ComparedByFields):
    """What an importer read from one file, before anything touches the database."""

    records: list[PaperRecord] = field(default_factory=list)
    # child slug -> parent slug (None for a root topic), in the order first seen.
    topic_parents: dict[str, str | None] = field(default_factory=dict)
    # (what, why) for every item the importer saw but could not take.
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # What the user should know that is not an item skipped (undefined BibTeX macros...).
    warnings: list[str] = field(default_factory=list)
    # A library's own export: its records are distinct papers (one the user kept apart from
    # another stays apart), matched against the library but not against each other.
    distinct: bool = False
    # Importers of large files stream: more records, read batch by batch while the merge
    # runs (`skipped` grows as they are read). `records` come first.
    batches: Iterable[list[PaperRecord]] = ()

    def record_batches(self, size: int = 1000) -> Iterator[list[PaperRecord]]:
        """Every record, in batches of at most `size`: `records`, then `batches`."""
        for start in range(0, len(self.records), size):
            yield self.records[start : start + size]
        yield from self.batches


@dataclass(eq=False, repr=False)
class Paper(PaperRecord):
    """A paper as the library holds it."""

    id: int = 0
    # A later version announced in an arXiv feed, until `fetch --refresh` takes it.
    newer_version: int | None = None
    # Its files, when the command asked for them (core/files.py fills them in).
    files: list[AttachedFile] = field(default_factory=list)

    @property
    def metadata_pending(self) -> bool:
        """An arXiv paper whose metadata has not been fetched yet."""
        return self.arxiv_id is not None and self.fetched_at is None

    @property
    def address(self) -> str | None:
        """What names an untitled paper that is not on arXiv: `doi:...`, else its URL."""
        if self.title is not None:
            return None
        return f"doi:{self.doi}" if self.doi else self.url

    @property
    def first_author(self) -> str:
        return first_author(self.authors)

    def to_json(self) -> dict[str, object]:
        found = {key: getattr(self, key) for key in JSON_KEYS}
        found["files"] = [attached.to_json() for attached in self.files]
        return found


class PaperSummary(NamedTuple):
    """What `list` shows of a paper: the row itself as the store reads it (its
    SUMMARY_COLUMNS, topics last), so that 100,000 of them cost one tuple each; authors
    and topics are split only when asked for."""

    id: int
    arxiv_id: str | None
    title: str | None
    authors_column: str | None  # one name per line, organisations braced (split_authors)
    year: int | None
    status: str
    fetched_at: str | None
    newer_version: int | None
    address: str | None  # of an untitled paper: `doi:...`, else its URL (Paper.address)
    topics_column: str | None  # the slugs, comma-separated, in no particular order

    @property
    def authors(self) -> list[str]:
        return split_authors(self.authors_column)

    @property
    def topics(self) -> list[str]:
        return sorted(self.topics_column.split(",")) if self.topics_column else []

    @property
    def metadata_pending(self) -> bool:
        return self.arxiv_id is not None and self.fetched_at is None

    @property
    def first_author(self) -> str:
        """`A. Author et al.`, read off the column without splitting all of it."""
        first = first_stored_author(self.authors_column)
        return first + " et al." if "\n" in (self.authors_column or "") else first


class TableExtents(NamedTuple):
    """What a table of papers needs to know before printing its first row."""

    max_id: int = 0
    arxiv_width: int = 0  # the longest arXiv id; 0: no paper has one
    topics_width: int = 0  # the longest "a, b" topic list; 0: no paper has topics
    any_authors: bool = False


class CorporateName(str):
    """An author that is an organisation ("World Health Organization", "The ATLAS
    Collaboration"), not a person: a BibTeX export braces it, so that no tool splits it
    into first and last names. It is stored braced, as BibTeX writes it."""

    __slots__ = ()


def split_authors(stored: str | None) -> list[str]:
    """The authors column (one per line; organisations braced) as a list of names."""
    if not stored:
        return []
    names = stored.split("\n")
    if "{" not in stored:
        return names
    return [CorporateName(n[1:-1]) if n.startswith("{") and n.endswith("}") else n for n in names]


def first_stored_author(stored: str | None) -> str:
    """The first name of the authors column (an organisation without its braces), or ""."""
    first = stored.partition("\n")[0] if stored else ""
    return first[1:-1] if first.startswith("{") and first.endswith("}") else first


def join_authors(names: list[str]) -> str | None:
    """The authors column for a list of names (None for none)."""
    return "\n".join(f"{{{n}}}" if isinstance(n, CorporateName) else n for n in names) or None


def first_author(authors: list[str]) -> str:
    if not authors:
        return ""
    return authors[0] + (" et al." if len(authors) > 1 else "")


@dataclass(eq=False, repr=False)
class TopicSummary(_ComparedByFields):
    slug: str
    parent: str | None
    papers: int
    read: int

    def to_json(self) -> dict[str, object]:
        return {"topic": self.slug, "parent": self.parent, "papers": self.papers, "read": self.read}


def fill_months(counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """("2026-01", 2), ("2026-03", 1) -> the months between too, with 0: a gap is news."""
    if not counts or not all(re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", m) for m, _ in counts):
        return counts  # nothing, or dates papertrail did not write: shown as they are
    known = dict(counts)
    year, month = map(int, counts[0][0].split("-"))
    last = counts[-1][0]
    filled: list[tuple[str, int]] = []
    while len(filled) < 1200:  # a century at most, whatever the data says
        key = f"{year:04d}-{month:02d}"
        filled.append((key, known.get(key, 0)))
        if key >= last:
            break
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return filled


# `stats` shows this many topics (the largest) and months (the latest) unless --all: each
# section fits a screen however large the library.
STATS_TOPICS = 20
STATS_MONTHS = 24


@dataclass(eq=False, repr=False)
class LibraryStats(_ComparedByFields):
    by_status: dict[str, int]
    topics: list[TopicSummary]
    read_per_month: list[tuple[str, int]]  # ("2026-11", 3), oldest first
    queue_length: int = 0
    topics_cut: bool = False  # text output shows the STATS_TOPICS largest topics only

    def shown_topics(self) -> list[TopicSummary]:
        """The topics text output shows: all, or the largest (by papers), then by name."""
        if not self.topics_cut or len(self.topics) <= STATS_TOPICS:
            return self.topics
        largest = sorted(self.topics, key=lambda t: (-t.papers, t.slug))[:STATS_TOPICS]
        return sorted(largest, key=lambda t: t.slug)

    def shown_months(self) -> list[tuple[str, int]]:
        return self.read_per_month[-STATS_MONTHS:] if self.topics_cut else self.read_per_month

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def to_json(self) -> dict[str, object]:
        return {
            "by_status": self.by_status,
            "total": self.total,
            "queue": self.queue_length,
            "topics": [topic.to_json() for topic in self.topics],
            "read_per_month": [{"month": m, "read": n} for m, n in self.read_per_month],
        }


class ReaderOfPaper(NamedTuple):
    """A lab member who is reading or has read a paper (`show`, `who-read`)."""

    reader: str
    status: str
    started_at: str | None
    read_at: str | None

    def to_json(self) -> dict[str, object]:
        return self._asdict()


class SharedNote(NamedTuple):
    """A note a member shares with the lab (`note --shared`)."""

    reader: str
    note: str

    def to_json(self) -> dict[str, object]:
        return self._asdict()


class LabMember(NamedTuple):
    """One member's progress, as `stats --lab` shows it."""

    reader: str
    private: bool
    read_this_month: int
    reading: int
    queued: int

    def to_json(self) -> dict[str, object]:
        return self._asdict()


class Change(NamedTuple):
    """One row a command changed: None before (an insert) or after (a delete)."""

    table: str
    key: dict[str, object]
    before: dict[str, object] | None
    after: dict[str, object] | None
    paper_id: object = None  # the paper the row belongs to, when it belongs to one


@dataclass(eq=False, repr=False)
class HistoryEntry(_ComparedByFields):
    """One command that changed the library, as `log` shows it."""

    id: int
    at: str
    command: str
    summary: str
    reverts: list[int] = field(default_factory=list)  # the entries this one undid
    undone_by: int | None = None  # the undo that reverted this entry, while it stands
    changes: list[Change] = field(default_factory=list)
    reader: str | None = None  # who made it (0016; None: the history had no readers yet)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "at": self.at,
            "command": self.command,
            "summary": self.summary,
            "reader": self.reader,
            "reverts": self.reverts,
            "undone_by": self.undone_by,
            "changes": [
                {"table": c.table, "key": c.key, "before": _row_json(c.table, c.before),
                 "after": _row_json(c.table, c.after)}
                for c in self.changes
            ],
        }  # fmt: skip


def _row_json(table: str, row: dict[str, object] | None) -> dict[str, object] | None:
    """A paper's row image as the paper JSON has its values: authors and categories are
    lists there (stored one a line, and space-separated)."""
    if row is None or table != "paper":
        return row
    shown = dict(row)
    if isinstance(shown.get("authors"), str):
        shown["authors"] = split_authors(str(shown["authors"]))
    if isinstance(shown.get("categories"), str):
        shown["categories"] = str(shown["categories"]).split()
    return shown


@dataclass(eq=False, repr=False)
class FeedSpec(_ComparedByFields):
    """A followed set of arXiv categories with its filters (`papertrail feed add`)."""

    categories: list[str]
    keywords: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    topic: str | None = None
    id: int = 0
    created_at: str | None = None


@dataclass(eq=False, repr=False)
class InboxEntry(_ComparedByFields):
    """An announcement in the inbox, with why it was kept."""

    number: int
    record: PaperRecord  # what the feed said (title, authors, abstract, categories...)
    announce_type: str
    announced: str | None
    reason: str
    topics: list[str]
    first_seen: str

    def to_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "arxiv_id": self.record.arxiv_id,
            "version": self.record.version,
            "title": self.record.title,
            "authors": self.record.authors,
            "abstract": self.record.abstract,
            "categories": self.record.categories,
            "doi": self.record.doi,
            "journal_ref": self.record.journal_ref,
            "announce_type": self.announce_type,
            "announced": self.announced,
            "why": self.reason,
            "topics": self.topics,
            "first_seen": self.first_seen,
        }


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def paper_label(paper: Paper) -> str:
    """A paper as the history names it: `[12] 1510.00149 Deep Compression: ...`."""
    title = paper.title or ""
    title = title if len(title) <= 40 else title[:37] + "..."
    return " ".join(part for part in (f"[{paper.id}]", paper.arxiv_id, title) if part)


def papers_label(papers: Sequence[Paper], count: int | None = None) -> str:
    """The first three papers as the history names them, and how many more of `count`
    (default: all of `papers`), so a caller with thousands reads only three."""
    total = len(papers) if count is None else count
    shown = "; ".join(paper_label(paper) for paper in papers[:3])
    return shown + (f"; and {total - 3} more" if total > 3 else "")

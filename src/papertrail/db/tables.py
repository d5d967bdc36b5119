"""The schema: the single source of truth for papertrail's tables.

Alembic's revisions (db/migrations/versions) are written from these classes and a
test checks that a database migrated to head matches them exactly. The everyday commands
do not import this module: SQLModel and SQLAlchemy cost ~300 ms to import, so the store
talks to the database through the DB-API with the column names defined here.

Storage choices, made so that one set of SQL runs on SQLite and PostgreSQL alike:
- dates and times are ISO 8601 text (UTC, `YYYY-MM-DDTHH:MM:SSZ`; paper dates `YYYY-MM-DD`),
  which sort correctly as text and round-trip through JSON exactly;
- authors are one per line, categories space-separated: both are split in Python when a
  row is shown, and searched as text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel


class Paper(SQLModel, table=True):
    __tablename__ = "paper"
    __table_args__ = (
        # SQLite: never hand out the id of a removed paper again (migration 0005).
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    arxiv_id: str | None = Field(default=None, unique=True)
    version: int | None = None
    title: str | None = None
    authors: str | None = None
    abstract: str | None = None
    published: str | None = Field(default=None, index=True)
    updated: str | None = None
    year: int | None = Field(default=None, index=True)
    primary_category: str | None = None
    categories: str | None = None
    doi: str | None = None
    journal_ref: str | None = None
    # From a bibliography (BibTeX, CSL-JSON, RIS): what it takes to cite the paper again
    # (with `venue` below).
    entry_type: str | None = None  # "article", "inproceedings", "online"... (BibTeX's names)
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    citation_key: str | None = Field(default=None, index=True)  # 0008: stable keys
    # The published version of a preprint (its DOI and venue are `doi` and `venue`).
    venue_year: int | None = None
    # Citation count from Semantic Scholar, and the date it was fetched (YYYY-MM-DD).
    citations: int | None = None
    citations_at: str | None = None
    comment: str | None = None
    url: str | None = None
    pdf_url: str | None = None
    # The reading state (status, dates, notes) is each reader's own: tables below (0016).
    added_at: str = Field(index=True)
    # When arXiv metadata was last fetched; NULL for an arXiv paper means "pending".
    fetched_at: str | None = None
    venue: str | None = None  # where it was published: journal, conference, workshop
    # Fields the user edited by hand (space-separated column names): `fetch` leaves them.
    edited: str | None = None
    # A later version arXiv announced in a feed; cleared when `fetch --refresh` takes it.
    newer_version: int | None = None


class Topic(SQLModel, table=True):
    __tablename__ = "topic"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True)
    parent_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("topic.id", ondelete="SET NULL"), index=True),
    )


class PaperTopic(SQLModel, table=True):
    __tablename__ = "paper_topic"
    # The primary key serves "topics of a paper"; this index serves "papers of a topic".
    __table_args__ = (Index("ix_paper_topic_topic_paper", "topic_id", "paper_id"),)

    paper_id: int = Field(
        sa_column=Column(Integer, ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True)
    )
    topic_id: int = Field(
        sa_column=Column(Integer, ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True)
    )


class ImportLog(SQLModel, table=True):
    """Which items of which reading list were imported: re-importing a list skips them,
    so what the user changed since (topics removed, tree rearranged) stays changed."""

    __tablename__ = "import_log"

    source: str = Field(primary_key=True)  # the file's absolute path, or "seed"
    item_key: str = Field(primary_key=True)  # "arxiv:<id>" or "title:<lower-case title>"
    imported_at: str


def _reader_key() -> Any:
    return Field(
        sa_column=Column(Integer, ForeignKey("reader.id", ondelete="CASCADE"), primary_key=True)
    )


def _paper_key() -> Any:
    return Field(
        sa_column=Column(Integer, ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True)
    )


class Reader(SQLModel, table=True):
    """Who reads (0016): a declared name, or a PostgreSQL member's own role. The papers are
    the lab's; the reading (status, dates, queue, notes) is each reader's."""

    __tablename__ = "reader"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    # 1: the reader keeps their reading out of the lab's view (the `privacy` setting).
    private: int = Field(sa_column=Column(Integer, nullable=False, server_default="0"))
    created_at: str


class Reading(SQLModel, table=True):
    """One reader's status of one paper, and when they started and finished it. No row:
    unread."""

    __tablename__ = "reading"
    __table_args__ = (
        CheckConstraint("status IN ('unread', 'reading', 'read')", name="ck_reading_status"),
        Index("ix_reading_reader_status", "reader_id", "status"),
    )

    reader_id: int = _reader_key()
    paper_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )
    status: str
    started_at: str | None = None
    read_at: str | None = None


class ReaderNote(SQLModel, table=True):
    """One reader's note on a paper: the private one (shared 0), and the one the lab sees
    (shared 1, `note --shared`)."""

    __tablename__ = "reader_note"

    reader_id: int = _reader_key()
    paper_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )
    shared: int = Field(primary_key=True)
    text: str


class ReadingQueue(SQLModel, table=True):
    """The papers a reader means to read next, in order (position 1 first)."""

    __tablename__ = "reading_queue"

    reader_id: int = _reader_key()
    paper_id: int = _paper_key()
    position: int


class History(SQLModel, table=True):
    """One command that changed the library: append-only (only `log --prune` deletes)."""

    __tablename__ = "history"
    # Ids are never reused, even after pruning: `undo N` must never name another entry.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    at: str
    command: str
    summary: str
    # Space-separated ids of the entries this one undid (NULL: not an undo).
    reverts: str | None = None
    # Who made it (0016): `log --reader`, and `undo` takes back one's own entries.
    reader_id: int | None = Field(default=None, index=True)


class HistoryChange(SQLModel, table=True):
    """One row a command changed: its key and the row's values before and after (JSON).

    Inserts have no `before`, deletes no `after`; updates hold only the columns that changed.
    """

    __tablename__ = "history_change"

    history_id: int = Field(
        sa_column=Column(Integer, ForeignKey("history.id", ondelete="CASCADE"), primary_key=True)
    )
    seq: int = Field(primary_key=True)
    table_name: str
    row_key: str
    before: str | None = None
    after: str | None = None
    # The paper the row belongs to, for `log REF` (no foreign key: the paper may be gone).
    paper_id: int | None = Field(default=None, index=True)


class Feed(SQLModel, table=True):
    """arXiv categories the user follows, with optional filters (`papertrail feed add`)."""

    __tablename__ = "feed"
    # SQLite: never hand out the number of a removed feed again (migration 0009).
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    reader_id: int | None = Field(default=None, index=True)  # whose feed (0016)
    categories: str  # space-separated, arXiv's spelling (cs.LG, math, hep-th)
    keywords: str | None = None  # one per line; an item matches if any is in its text
    authors: str | None = None  # one per line; an item matches if any is among its authors
    topic: str | None = None  # slug given to the papers taken from this feed
    created_at: str


class InboxItem(SQLModel, table=True):
    """An announcement waiting for the user's decision (`papertrail inbox`)."""

    __tablename__ = "inbox_item"
    __table_args__ = (UniqueConstraint("reader_id", "arxiv_id"),)

    reader_id: int = _reader_key()  # each reader's inbox (0016)
    # The number `inbox` shows: the reader's lowest free one, so it stays short and never
    # changes while the item waits.
    number: int = Field(
        sa_column=Column(Integer, primary_key=True, autoincrement=False, nullable=False)
    )
    arxiv_id: str
    version: int | None = None
    title: str | None = None
    authors: str | None = None  # one per line
    abstract: str | None = None
    categories: str | None = None  # space-separated, primary first
    announce_type: str
    doi: str | None = None
    journal_ref: str | None = None
    announced: str | None = None  # YYYY-MM-DD
    reason: str  # why it matched: "cs.LG new; keyword 'quantization'"
    topics: str | None = None  # space-separated slugs of the feeds it matched
    first_seen: str = Field(index=True)


class SeenPaper(SQLModel, table=True):
    """Every paper a feed ever put in the inbox, and what became of it: never shown twice."""

    __tablename__ = "seen_paper"
    __table_args__ = (
        CheckConstraint(
            "state IN ('inbox', 'added', 'dismissed', 'expired')", name="ck_seen_paper_state"
        ),
    )

    reader_id: int = _reader_key()  # each reader's seen set (0016)
    arxiv_id: str = Field(primary_key=True)
    first_seen: str
    state: str
    # What a dismissed item said (0015): the reader model learns "not this" from it.
    title: str | None = None
    authors: str | None = None  # one per line
    abstract: str | None = None


class File(SQLModel, table=True):
    """A file of the file store (by SHA-256: the same content is one file, whichever papers
    it belongs to) and what reading it found. Derived data, like a search index: not in
    the history; `files --prune` removes the files no paper has any more."""

    __tablename__ = "file"
    # Never hand out the id of a pruned file again: the history's paper_file rows name
    # files by id, and an undo must never bring back another file (see migration 0011).
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(unique=True)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    suffix: str  # the blob's name ends with it: ".pdf", or an attachment's own (".txt")
    pages: int | None = None  # page count of a PDF; NULL for other files
    text_pages: int | None = None  # pages with text (0: a scan, not searchable)
    ocr_pages: int | None = None  # of those, pages whose text came from OCR
    problem: str | None = None  # why its text could not be read (encrypted, damaged...)
    added_at: str


class PaperFile(SQLModel, table=True):
    """Which paper has which file, under which name (what the user sees: the attached
    file's own name, or one made from the paper). Recorded in the history."""

    __tablename__ = "paper_file"
    __table_args__ = (Index("ix_paper_file_file", "file_id", "paper_id"),)

    paper_id: int = Field(
        sa_column=Column(Integer, ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True)
    )
    file_id: int = Field(sa_column=Column(Integer, ForeignKey("file.id"), primary_key=True))
    name: str
    added_at: str


class FilePage(SQLModel, table=True):
    """The text of one page of a file, as indexed for `find` (SQLite: FTS5 table
    file_page_fts over it; PostgreSQL: a tsvector column with a GIN index, 0011).

    The id is `file id << 16 | page number`: the file and page of a search hit are read
    from the id alone, without reading the (wide) row."""

    __tablename__ = "file_page"

    id: int = Field(
        sa_column=Column(
            BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
        )
    )
    text: str


class Tag(SQLModel, table=True):
    """A keyword, as bibliographies and imports bring them: a flat list beside the topic
    tree (Zotero, pubs and papis keep them apart too), `list --tag`, `tags` (0012)."""

    __tablename__ = "tag"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


class PaperTag(SQLModel, table=True):
    __tablename__ = "paper_tag"
    __table_args__ = (Index("ix_paper_tag_tag_paper", "tag_id", "paper_id"),)

    paper_id: int = Field(
        sa_column=Column(Integer, ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True)
    )
    tag_id: int = Field(
        sa_column=Column(Integer, ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True)
    )


class FetchLog(SQLModel, table=True):
    """What `fetch` asked a service about a paper, when, and what came of it: a run asks
    again only after a while, or with --retry. Derived data, like `file`: not in the
    history (0012)."""

    __tablename__ = "fetch_log"
    __table_args__ = (
        CheckConstraint("outcome IN ('found', 'missing', 'failed')", name="ck_fetch_log_outcome"),
    )

    paper_id: int = Field(
        sa_column=Column(Integer, ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True)
    )
    service: str = Field(primary_key=True)  # "arxiv", "crossref+dblp", "published"...
    outcome: str  # found: stored something; missing: the service knows no such paper
    asked_at: str


class DistinctPair(SQLModel, table=True):
    """Two papers the user said are not duplicates (`duplicates --not A B`): never paired
    again. paper_a < paper_b (0012)."""

    __tablename__ = "distinct_pair"
    __table_args__ = (CheckConstraint("paper_a < paper_b", name="ck_distinct_pair_order"),)

    paper_a: int = Field(
        sa_column=Column(Integer, ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True)
    )
    paper_b: int = Field(
        sa_column=Column(Integer, ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True)
    )
    marked_at: str


class PaperKey(SQLModel, table=True):
    """A citation key papertrail wrote out for a paper (an export, a linked file) or that a
    merge folded into it (0013). While the paper holds it, the key never changes by itself;
    once it holds another, this one still names it (an alias). Recorded in the history."""

    __tablename__ = "paper_key"

    key: str = Field(primary_key=True)
    paper_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("paper.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    written_at: str


class BibLink(SQLModel, table=True):
    """A bibliography file tied to a selection of the library (`bib link`), rewritten when
    the selection changes (0013). Configuration and derived state: not in the history."""

    __tablename__ = "bib_link"

    __table_args__ = (UniqueConstraint("machine", "path"),)

    id: int | None = Field(default=None, primary_key=True)
    # user@host that linked it: a library shared on PostgreSQL has each member's links,
    # and a member's commands rewrite their own files only.
    machine: str
    path: str  # absolute, on that machine
    format: str  # bibtex, biblatex, csl-json
    topics: str | None = None  # space-separated topic ids (any of them, sub-topics included)
    status: str | None = None
    query: str | None = None  # as `list --search`
    aux: str | None = None  # a manuscript's .aux/.bcf/.tex/.md: the keys it cites
    fields: str | None = None  # as `--fields` ("paper" when not given)
    written_hash: str | None = None  # SHA-256 of what papertrail last wrote there
    written_ids: str | None = None  # the papers it wrote there, space-separated ids
    written_at: str | None = None
    created_at: str

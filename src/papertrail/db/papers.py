"""The papers' SQL that writes: adding papers (one or a whole import at once), what
services found, status, notes, edits, removal, and the citation key every paper holds.
Every change goes through recorded writes, so the history can undo it. A link from outside
is stored only when it is a web address (model/ids.is_web_address): a `javascript:` URL
from a service or a list never becomes a link."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from papertrail.db.dialect import FTS_COLUMNS
from papertrail.db.keys import KeyTables
from papertrail.db.paper_reads import (
    BIBLIOGRAPHIC_COLUMNS,
    READER_COLUMNS,
    STORED_COLUMNS,
)
from papertrail.errors import StoreError, UsageError
from papertrail.model.citation_keys import (
    KeyMaker,
    free_key,
    is_made,
    is_placeholder,
    is_provisional,
    storable_key,
)
from papertrail.model.ids import web_address
from papertrail.model.records import STATUSES, PaperRecord, first_stored_author, join_authors

# What merging another description of a paper may fill in, when the paper lacks it.
FILLABLE_COLUMNS = (
    "arxiv_id", "title", "url", "year", "doi", "abstract", "published", "journal_ref",
    "pdf_url", *BIBLIOGRAPHIC_COLUMNS,
)  # fmt: skip
METADATA_COLUMNS = (
    "version", "title", "authors", "abstract", "published", "updated", "year",
    "primary_category", "categories", "doi", "journal_ref", "comment", "pdf_url",
)  # fmt: skip
# What a paper's citation key is made of (see _refresh_key).
KEY_COLUMNS = {"citation_key", "title", "authors", "year"}


_INSERT_RETURNING_ID = (
    f"INSERT INTO paper ({', '.join(STORED_COLUMNS[1:])}) "
    f"VALUES ({', '.join('?' * len(STORED_COLUMNS[1:]))}) RETURNING id"
)

_INSERT_OR_NOTHING = _INSERT_RETURNING_ID.replace(
    " RETURNING id", " ON CONFLICT (arxiv_id) DO NOTHING RETURNING id"
)


def _paper_values(
    record: PaperRecord, now: str, fetched: bool = False, key: str | None = None
) -> list[Any]:
    """A record as the values of STORED_COLUMNS[1:], with the defaults the store owns and
    the citation key it was given."""
    values = {column: getattr(record, column, None) for column in STORED_COLUMNS[1:]}
    values["citation_key"] = key
    values["url"], values["pdf_url"] = web_address(record.url), web_address(record.pdf_url)
    values["authors"] = join_authors(record.authors)
    values["categories"] = " ".join(record.categories) or None
    values["added_at"] = record.added_at or now
    values["fetched_at"] = record.fetched_at or (now if fetched else None)
    return list(values.values())


def _reading_of(record: PaperRecord) -> dict[str, Any]:
    """What a record says of its reader's reading (an export of papertrail brought back):
    status and dates, and the note."""
    found = {
        "status": record.status if record.status in STATUSES else None,
        "started_at": getattr(record, "started_at", None),
        "read_at": getattr(record, "read_at", None),
        "note": record.note,
    }
    return {column: value for column, value in found.items() if value}


def _first_author(record: PaperRecord) -> str:
    return record.authors[0] if record.authors else ""


def _image(paper_id: int, values: Sequence[Any]) -> dict[str, Any]:
    """A new paper row as the history records it."""
    return {"id": paper_id, **dict(zip(STORED_COLUMNS[1:], values, strict=True))}


class PaperWrites(KeyTables):
    """Writes to `paper` (and, for a new paper, its topics)."""

    # -- papers: what outside services found ---------------------------------------------

    def set_published(
        self,
        paper_id: int,
        doi: str | None,
        venue: str | None,
        year: int | None,
        entry_type: str | None,
        details: dict[str, str | None] | None = None,
    ) -> None:
        """Where a preprint was published (and its volume, number, pages, publisher in
        `details`); what the paper already has, or the user edited, stays."""
        edited = self.edited_fields(paper_id)
        values = {"doi": doi, "venue": venue, "venue_year": year,
                  "entry_type": entry_type if venue else None, **(details or {})}  # fmt: skip
        given = {c: v for c, v in values.items() if v is not None and c not in edited}
        if given:
            sets = ", ".join(f"{column} = coalesce({column}, ?)" for column in given)
            self.tracked("paper", {"id": paper_id}, f"UPDATE paper SET {sets} WHERE id = ?",
                         [*given.values(), paper_id])  # fmt: skip

    def set_citations(self, paper_id: int, count: int, day: str) -> None:
        self.tracked(
            "paper", {"id": paper_id},
            "UPDATE paper SET citations = ?, citations_at = ? WHERE id = ?",
            (count, day, paper_id),
        )  # fmt: skip

    def mark_completed(self, paper_id: int, now: str) -> None:
        self.tracked("paper", {"id": paper_id}, "UPDATE paper SET fetched_at = ? WHERE id = ?",
                     (now, paper_id))  # fmt: skip

    # -- papers: writing ----------------------------------------------------------------

    def insert_paper(self, record: PaperRecord, now: str, *, fetched: bool = False) -> int:
        """Add a paper (its topics too) and return its id. Call inside a transaction.

        `fetched`: the record carries arXiv's metadata, so it is not pending.
        """
        paper_id = self.insert_new_paper(record, now, fetched=fetched)
        if paper_id is None:
            raise StoreError(f"{record.arxiv_id} is already in the library")
        return paper_id

    def insert_new_paper(
        self, record: PaperRecord, now: str, *, fetched: bool = False
    ) -> int | None:
        """`insert_paper`, or None when the library already holds this arXiv paper (another
        client may have added it a moment ago): the database decides, inside the transaction."""
        values = _paper_values(record, now, fetched, self._new_key(record))
        row = self.one(_INSERT_OR_NOTHING, values)
        if row is None:
            return None
        paper_id = int(row[0])
        self.record("paper", {"id": paper_id}, None, _image(paper_id, values))
        reading = _reading_of(record)
        if reading:
            self.set_reading(paper_id, reading)
        if record.topics:
            self.add_topics(paper_id, record.topics)
        return paper_id

    def insert_papers(self, records: Sequence[PaperRecord], now: str) -> list[tuple[int, bool]]:
        """Add many papers (not their topics) in one statement; return their ids in order,
        each with False when another client added that arXiv paper a moment ago (PostgreSQL).

        SQLite: ids are given here (the write lock is ours: nobody else inserts), and the
        full-text index is filled once for the batch rather than by a trigger per row.
        """
        keys = self._new_keys(records) if records else []
        rows = [_paper_values(r, now, key=key) for r, key in zip(records, keys, strict=True)]
        if self.dialect.name != "sqlite" or not rows:
            found = [self._insert_or_find(row) for row in rows]
            inserted = [
                (paper_id, *row) for (paper_id, new), row in zip(found, rows, strict=True) if new
            ]
            self.record_inserted("paper", STORED_COLUMNS, inserted)
            self._insert_readings(records, found)
            return found
        else:
            # After the highest id ever handed out (0005: ids of removed papers are never
            # reused), which sqlite_sequence remembers when the row itself is gone.
            first = self.highest_id("paper") + 1
            ids = range(first, first + len(rows))
            with self._without_trigger("paper_fts_insert"):
                self._insert_rows(
                    "paper", STORED_COLUMNS,
                    [(paper_id, *row) for paper_id, row in zip(ids, rows, strict=True)],
                )  # fmt: skip
                self.execute(
                    f"INSERT INTO paper_fts (rowid, {FTS_COLUMNS}) SELECT id, {FTS_COLUMNS} "
                    "FROM paper WHERE id >= ?",
                    (first,),
                )
            self.record_selected("paper", STORED_COLUMNS, "id >= ?", (first,))
        found = [(paper_id, True) for paper_id in ids]
        self._insert_readings(records, found)
        return found

    def _insert_readings(
        self, records: Sequence[PaperRecord], found: Sequence[tuple[int, bool]]
    ) -> None:
        """The reader's status, dates and notes the new papers' records carry, in one
        statement per table (a new paper has no rows yet: nothing to merge with)."""
        readings: list[tuple[Any, ...]] = []
        notes: list[tuple[Any, ...]] = []
        for record, (paper_id, new) in zip(records, found, strict=True):
            reading = _reading_of(record) if new else None
            if not reading:
                continue
            reader = self.writer_id()
            if reading.keys() - {"note"}:
                readings.append((reader, paper_id, reading.get("status") or "unread",
                                 reading.get("started_at"), reading.get("read_at")))  # fmt: skip
            if reading.get("note"):
                notes.append((reader, paper_id, 0, reading["note"]))
        for table, columns, rows in (
            ("reading", ("reader_id", "paper_id", "status", "started_at", "read_at"), readings),
            ("reader_note", ("reader_id", "paper_id", "shared", "text"), notes),
        ):
            if rows:
                marks = ", ".join("?" * len(columns))
                self.execute_many(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
                )
                self.record_inserted(table, columns, rows)

    # -- citation keys ---------------------------------------------------------------------
    # Every paper holds a key, unique in the library: its own (from the bibliography it came
    # from) when usable and free, else one made from it. It keeps it: the same entry key in
    # every export, whatever the filters and the order. A key made without authors is
    # provisional, made again once the paper has them (see papertrail.model.citation_keys).

    def _new_key(self, record: PaperRecord) -> str:
        """The record's own key when usable and free, else one made from it."""
        own = record.citation_key
        if own and storable_key(own) and not self._keys_taken_among([own]):
            return own
        return free_key(_first_author(record), record.year, record.title, self._keys_taken_among)

    def _new_keys(self, records: Sequence[PaperRecord]) -> list[str]:
        """`_new_key` for many records at once: the library's keys are read once."""
        held = self.rows("SELECT citation_key FROM paper WHERE citation_key IS NOT NULL "
                         "UNION SELECT key FROM paper_key")  # fmt: skip
        keys = KeyMaker(row[0] for row in held)
        return [
            keys.own(r.citation_key) or keys.made(_first_author(r), r.year, r.title)
            for r in records
        ]

    def _keys_taken_among(self, candidates: list[str], paper_id: int | None = None) -> set[str]:
        marks = ", ".join("?" * len(candidates))
        rows = self.rows(
            f"SELECT citation_key FROM paper WHERE citation_key IN ({marks})", candidates
        )
        # A key that names a paper as an alias is taken too: it must keep naming that one
        # (the paper `paper_id` may take back an old key of its own).
        return {row[0] for row in rows} | self.aliases_among(candidates, paper_id)

    def _refresh_key(self, paper_id: int, own: str | None = None) -> None:
        """After the paper's key fields changed: take `own` (a merged bibliography's key,
        usable and free) in place of a key papertrail made, or make a provisional key
        again. A key the user set (`edit --key`) or brought stays."""
        if "citation_key" in self.edited_fields(paper_id):
            return
        row = self.one(
            "SELECT citation_key, authors, year, title FROM paper WHERE id = ?", (paper_id,)
        )
        if row is None:
            return
        key, first, year, title = row[0], first_stored_author(row[1]), row[2], row[3]
        if key is not None and self.key_written(paper_id, key):
            return  # written out (an export, a linked file): a manuscript may cite it
        follows = key is not None and is_made(key, first, year, title)  # from these fields
        replaceable = key is None or is_provisional(key) or follows
        if (
            own
            and own != key
            and replaceable
            and storable_key(own)
            and not self._keys_taken_among([own])
        ):
            self._change_key(paper_id, key, own)
        elif key is None or (is_provisional(key) and not follows):
            new = free_key(first, year, title, lambda keys: self._keys_taken_among(keys, paper_id))
            self._change_key(paper_id, key, new)

    def _change_key(self, paper_id: int, old: str | None, new: str) -> None:
        """Give a paper another key by itself (made again, or a bibliography's own): the
        old one, which an export may have written, stays a REF for the paper (an alias,
        recorded) and the change is announced (`key_changes`)."""
        self.update_paper(paper_id, {"citation_key": new})
        if old is not None and old != new and not is_placeholder(old):
            self.alias_keys([old], paper_id)
            self.key_changes.append((old, new))

    def ensure_citation_keys(self, paper_ids: Iterable[int]) -> None:
        """Give each of these papers a key of its own when it has none, or one another paper
        holds: a paper brought back by `undo` from an image older than keys (0008), or
        whose key was taken while it was gone."""
        for paper_id in dict.fromkeys(paper_ids):
            row = self.one("SELECT citation_key, authors, year, title FROM paper WHERE id = ?",
                           (paper_id,))  # fmt: skip
            if row is None:
                continue
            key = row[0]
            shared = key is not None and self.one(
                "SELECT 1 FROM paper WHERE citation_key = ? AND id <> ?", (key, paper_id)
            )
            if key is None or shared:
                first, year, title = first_stored_author(row[1]), row[2], row[3]
                new = free_key(first, year, title, self._keys_taken_among)
                self.update_paper(paper_id, {"citation_key": new})

    def _insert_rows(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """Insert rows in one statement, leaving out the columns none of them has a value for.

        Most of a paper's columns are empty in an import (no abstract, no dates...), and
        binding thousands of NULLs costs more than storing the rows. The columns left out
        have no default (a test checks): they are NULL all the same.
        """
        if not rows:
            return
        by_column = list(zip(*rows, strict=True))
        kept = [i for i, values in enumerate(by_column) if values.count(None) < len(values)]
        names = ", ".join(columns[i] for i in kept)
        self.execute_many(
            f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(kept))})",
            list(zip(*(by_column[i] for i in kept), strict=True)),
        )

    def _insert_or_find(self, values: list[Any]) -> tuple[int, bool]:
        """Insert a paper row: (its id, True); when another client added this arXiv paper a
        moment ago, (that paper's id, False)."""
        row = self.one(_INSERT_OR_NOTHING, values)
        if row is None:
            arxiv_id = values[STORED_COLUMNS.index("arxiv_id") - 1]
            return self.find_arxiv([arxiv_id])[arxiv_id], False
        return int(row[0]), True

    @contextmanager
    def _without_trigger(self, name: str) -> Iterator[None]:
        """Run a block without a trigger, which is put back as it was (same transaction)."""
        row = self.one("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name])
        if row is None:
            yield
            return
        self.execute(f"DROP TRIGGER {name}")
        yield
        self.execute(row[0])

    def update_metadata(self, paper_id: int, record: PaperRecord, now: str) -> None:
        """Store what arXiv says about a paper; the user's status, note and topics stay.

        A newer version announced in a feed is forgotten once this one is as new. A value
        arXiv left out (a degraded answer) never erases the one stored.
        """
        values: dict[str, Any] = {c: getattr(record, c) for c in METADATA_COLUMNS}
        values["authors"] = join_authors(record.authors)
        values["categories"] = " ".join(record.categories) or None
        values["pdf_url"] = web_address(record.pdf_url)
        edited = self.edited_fields(paper_id)
        values = {column: value for column, value in values.items() if column not in edited}
        assignments = "".join(f"{column} = coalesce(?, {column}), " for column in values)
        self.tracked(
            "paper", {"id": paper_id},
            f"UPDATE paper SET {assignments}url = coalesce(url, ?), fetched_at = ?, "
            "newer_version = CASE WHEN newer_version <= ? THEN NULL ELSE newer_version END "
            "WHERE id = ?",
            [*values.values(), web_address(record.url), now, record.version or 0, paper_id],
        )  # fmt: skip
        self._refresh_key(paper_id)

    def edited_fields(self, paper_id: int) -> set[str]:
        """The columns the user edited by hand: fetched metadata never replaces them."""
        row = self.one("SELECT edited FROM paper WHERE id = ?", (paper_id,))
        return set(row[0].split()) if row and row[0] else set()

    def fill_missing(self, paper_id: int, record: PaperRecord) -> None:
        """Fill fields the paper lacks from another description of it (merging an import).

        Only the fields the record has are touched, and only when the paper lacks one of
        them: a merge that fills nothing writes nothing (and re-indexes nothing).
        """
        values: dict[str, Any] = {c: getattr(record, c) for c in FILLABLE_COLUMNS}
        values["authors"] = join_authors(record.authors)
        values["url"], values["pdf_url"] = web_address(record.url), web_address(record.pdf_url)
        values["citation_key"] = None  # every paper has one: see _refresh_key
        given = {column: value for column, value in values.items() if value is not None}
        sets = [f"{column} = coalesce({column}, ?)" for column in given]
        lacking = [f"{column} IS NULL" for column in given]
        params: list[Any] = list(given.values())
        if record.version:
            sets.append("version = CASE WHEN coalesce(version, 0) < ? THEN ? ELSE version END")
            lacking.append("coalesce(version, 0) < ?")
            params += [record.version, record.version]
        if sets:
            params.append(paper_id)
            if record.version:
                params.append(record.version)
            where = " OR ".join(lacking)
            sql = f"UPDATE paper SET {', '.join(sets)} WHERE id = ? AND ({where})"
            self.tracked("paper", {"id": paper_id}, sql, params)
        if record.citation_key or KEY_COLUMNS & given.keys():
            self._refresh_key(paper_id, record.citation_key)
        if record.note and not self.one(
            "SELECT 1 FROM reader_note WHERE reader_id = ? AND paper_id = ? AND shared = 0",
            (self.reader_id, paper_id),
        ):
            self.set_note(paper_id, record.note)  # the reader's note, when they have none

    # -- the reader's own: status, dates, notes (0016) -------------------------------------

    def set_status(self, paper_id: int, status: str, now: str) -> None:
        if status not in STATUSES:
            raise UsageError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
        reader = self.writer_id()
        key = {"reader_id": reader, "paper_id": paper_id}
        insert = (
            "INSERT INTO reading (reader_id, paper_id, status, started_at, read_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (reader_id, paper_id) DO UPDATE SET "
        )
        if status == "reading":
            sql = insert + (
                "status = 'reading', read_at = NULL, started_at = CASE WHEN "
                "reading.status = 'reading' THEN coalesce(reading.started_at, excluded.started_at) "
                "ELSE excluded.started_at END"
            )
            self.tracked("reading", key, sql, (reader, paper_id, status, now, None))
        elif status == "read":
            sql = insert + (
                "status = 'read', read_at = CASE WHEN reading.status = 'read' "
                "THEN coalesce(reading.read_at, excluded.read_at) ELSE excluded.read_at END"
            )
            self.tracked("reading", key, sql, (reader, paper_id, status, None, now))
        else:  # unread: no row
            self.tracked_delete("reading", "reader_id = ? AND paper_id = ?", (reader, paper_id))

    def set_reading(self, paper_id: int, values: dict[str, Any]) -> None:
        """Set the reader's own columns of a paper: status, started_at, read_at, note."""
        values = dict(values)
        if "note" in values:
            self.set_note(paper_id, values.pop("note"))
        if not values:
            return
        reader = self.writer_id()
        columns = ["reader_id", "paper_id", "status", *(c for c in values if c != "status")]
        given = [reader, paper_id, values.get("status") or "unread",
                 *(v for c, v in values.items() if c != "status")]  # fmt: skip
        sets = ", ".join(f"{c} = excluded.{c}" for c in values)
        self.tracked(
            "reading", {"reader_id": reader, "paper_id": paper_id},
            f"INSERT INTO reading ({', '.join(columns)}) VALUES ({', '.join('?' * len(given))}) "
            f"ON CONFLICT (reader_id, paper_id) DO UPDATE SET {sets}",
            given,
        )  # fmt: skip

    def update_paper(self, paper_id: int, values: dict[str, Any]) -> None:
        """Set columns of a paper (names from papertrail's own code, never from input); the
        reader's own (status, dates, note) go to their rows."""
        own = {c: v for c, v in values.items() if c in READER_COLUMNS}
        values = {c: v for c, v in values.items() if c not in READER_COLUMNS}
        if own:
            self.set_reading(paper_id, own)
        if not values:
            return
        assignments = ", ".join(f"{column} = ?" for column in values)
        self.tracked(
            "paper", {"id": paper_id}, f"UPDATE paper SET {assignments} WHERE id = ?",
            [*values.values(), paper_id],
        )  # fmt: skip
        if KEY_COLUMNS & values.keys():
            self._refresh_key(paper_id)

    def append_note(self, paper_id: int, paragraph: str, *, shared: bool = False) -> None:
        """Add a paragraph after the reader's note (the shared one with `shared`), in one
        statement: concurrent appends both stay."""
        reader = self.writer_id()
        self.tracked(
            "reader_note", {"reader_id": reader, "paper_id": paper_id, "shared": int(shared)},
            "INSERT INTO reader_note (reader_id, paper_id, shared, text) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (reader_id, paper_id, shared) DO UPDATE SET text = CASE WHEN "
            "reader_note.text = '' THEN excluded.text ELSE reader_note.text || ? END",
            (reader, paper_id, int(shared), paragraph, "\n\n" + paragraph),
        )  # fmt: skip

    def set_note(self, paper_id: int, note: str | None, *, shared: bool = False) -> None:
        """Replace the reader's note (the shared one with `shared`); None clears it."""
        reader = self.writer_id()
        key = {"reader_id": reader, "paper_id": paper_id, "shared": int(shared)}
        if not note:
            self.tracked_delete(
                "reader_note", "reader_id = ? AND paper_id = ? AND shared = ?", list(key.values())
            )
            return
        self.tracked(
            "reader_note", key,
            "INSERT INTO reader_note (reader_id, paper_id, shared, text) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (reader_id, paper_id, shared) DO UPDATE SET text = excluded.text",
            (*key.values(), note),
        )  # fmt: skip

    def lock_reading(self, paper_ids: Sequence[int]) -> None:
        """Lock the reader's status and note rows of these papers, to read then rewrite them
        (PostgreSQL; SQLite's one writer holds the library): what another client commits
        meanwhile is read, not written over."""
        marks = ", ".join("?" * len(paper_ids))
        for table in ("reading", "reader_note"):
            self.rows_where(table, f"reader_id = ? AND paper_id IN ({marks})",
                            [self.reader_id, *paper_ids])  # fmt: skip

    def shared_note(self, paper_id: int) -> str | None:
        """The reader's own shared note on a paper."""
        row = self.one(
            "SELECT text FROM reader_note WHERE reader_id = ? AND paper_id = ? AND shared = 1",
            (self.reader_id, paper_id),
        )
        return None if row is None else row[0]

    def _reading_rows(self, table: str) -> tuple[str, list[Any]]:
        """WHERE (and parameters) of the rows of `table` a removal of a paper takes along:
        every reader's where this connection sees them all; a member bound by row-level
        security takes their own (the others' go with the paper, by the foreign key)."""
        if self.reader_bound:
            return "reader_id = ? AND paper_id = ?", [self.reader_id]
        return "paper_id = ?", []

    def delete_paper(self, paper_id: int) -> None:
        # Rows that point at the paper go first, one by one, so the history holds them all
        # (a cascade would delete them unseen).
        self.tracked_delete("paper_topic", "paper_id = ?", (paper_id,))
        self.tracked_delete("paper_tag", "paper_id = ?", (paper_id,))
        self.tracked_delete("distinct_pair", "paper_a = ? OR paper_b = ?", (paper_id, paper_id))
        for table in ("reading_queue", "reading", "reader_note"):
            where, params = self._reading_rows(table)
            self.tracked_delete(table, where, [*params, paper_id])
        self.tracked_delete("paper_file", "paper_id = ?", (paper_id,))
        self.tracked_delete("paper_key", "paper_id = ?", (paper_id,))
        self.tracked_delete("paper", "id = ?", (paper_id,))

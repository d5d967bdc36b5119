"""The SQL of feeds, the inbox, the seen set and newer versions of library papers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import count
from typing import Any

from papertrail.db.history import HistoryWrites
from papertrail.model.records import FeedSpec, InboxEntry, PaperRecord

INBOX_COLUMNS = (
    "number", "arxiv_id", "version", "title", "authors", "abstract", "categories",
    "announce_type", "doi", "journal_ref", "announced", "reason", "topics", "first_seen",
)  # fmt: skip
_CHUNK = 500


def _lines(value: str | None) -> list[str]:
    return value.split("\n") if value else []


def _words(value: str | None) -> list[str]:
    return value.split(" ") if value else []


def _row_to_entry(row: Sequence[Any]) -> InboxEntry:
    values = dict(zip(INBOX_COLUMNS, row, strict=True))
    categories = _words(values["categories"])
    record = PaperRecord(
        arxiv_id=values["arxiv_id"],
        version=values["version"],
        title=values["title"],
        authors=_lines(values["authors"]),
        abstract=values["abstract"],
        primary_category=categories[0] if categories else None,
        categories=categories,
        doi=values["doi"],
        journal_ref=values["journal_ref"],
    )
    return InboxEntry(
        number=int(values["number"]),
        record=record,
        announce_type=values["announce_type"],
        announced=values["announced"],
        reason=values["reason"],
        topics=_words(values["topics"]),
        first_seen=values["first_seen"],
    )


class InboxTables(HistoryWrites):
    """feed, inbox_item and seen_paper: each reader's own (0016).

    Feeds are part of the undo history (what the user typed), and so is an item the user
    dismissed or took (`undo` puts it back); items coming in or expiring are not (what
    arXiv announced, and the passing of time); a paper's newer-version mark is (it changes
    the `paper` row)."""

    # -- feeds ----------------------------------------------------------------------------

    def add_feed(self, feed: FeedSpec, now: str) -> int:
        row = self.one(
            "INSERT INTO feed (reader_id, categories, keywords, authors, topic, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (self.writer_id(), " ".join(feed.categories), "\n".join(feed.keywords) or None,
             "\n".join(feed.authors) or None, feed.topic, now),
        )  # fmt: skip
        key = {"id": int(row[0])}
        self.record("feed", key, None, self.row("feed", key))
        return key["id"]

    def feeds(self) -> list[FeedSpec]:
        rows = self.rows(
            "SELECT id, categories, keywords, authors, topic, created_at FROM feed "
            "WHERE reader_id = ? ORDER BY id",
            (self.reader_id,),
        )
        return [
            FeedSpec(
                id=int(feed_id),
                categories=_words(categories),
                keywords=_lines(keywords),
                authors=_lines(authors),
                topic=topic,
                created_at=created_at,
            )
            for feed_id, categories, keywords, authors, topic, created_at in rows
        ]

    def remove_feed(self, feed_id: int) -> bool:
        return bool(
            self.tracked_delete("feed", "id = ? AND reader_id = ?", (feed_id, self.reader_id))
        )

    # -- the inbox ------------------------------------------------------------------------

    def inbox(self, numbers: Sequence[int] | None = None) -> list[InboxEntry]:
        """The waiting items (those numbered so, when given), oldest first."""
        sql = f"SELECT {', '.join(INBOX_COLUMNS)} FROM inbox_item WHERE reader_id = ?"
        params: list[Any] = [self.reader_id]
        if numbers is not None:
            sql += f" AND number IN ({','.join('?' * len(numbers)) or 'NULL'})"
            params += list(numbers)
        return [_row_to_entry(row) for row in self.rows(sql + " ORDER BY number", params)]

    def add_to_inbox(
        self, number: int, record: PaperRecord, announce_type: str, announced: str | None,
        reason: str, topics: Sequence[str], now: str,
    ) -> None:  # fmt: skip
        """File an item under `number` (from `free_inbox_numbers`) and note it as seen."""
        reader = self.writer_id()
        self.execute(
            f"INSERT INTO inbox_item (reader_id, {', '.join(INBOX_COLUMNS)}) "
            f"VALUES (?, {', '.join('?' * len(INBOX_COLUMNS))})",
            (reader, number, record.arxiv_id, record.version, record.title,
             "\n".join(record.authors) or None, record.abstract,
             " ".join(record.categories) or None, announce_type, record.doi,
             record.journal_ref, announced, reason, " ".join(topics) or None, now),
        )  # fmt: skip
        self.execute(
            "INSERT INTO seen_paper (reader_id, arxiv_id, first_seen, state) "
            "VALUES (?, ?, ?, 'inbox') "
            "ON CONFLICT (reader_id, arxiv_id) DO UPDATE SET state = 'inbox'",
            (reader, record.arxiv_id, now),
        )

    def free_inbox_numbers(self) -> Iterator[int]:
        """The numbers new items are filed under, lowest first (short to type), for the
        open transaction: never one an item holds, nor one the history could bring back
        (`undo` refiles a dismissed or taken item under its number). Read once, so filing
        thousands of items costs no more per item than filing one."""
        import json  # only the inbox refresh files items (start-up of the rest)

        self.execute(self.dialect.lock_inbox)
        reader = self.reader_id
        taken = {
            int(row[0])
            for row in self.rows("SELECT number FROM inbox_item WHERE reader_id = ?", (reader,))
        }
        keys = self.rows("SELECT row_key FROM history_change WHERE table_name = 'inbox_item'")
        for (key,) in keys:
            found = json.loads(key)
            number = found.get("number")
            if isinstance(number, int) and found.get("reader_id", reader) == reader:
                taken.add(number)
        return (n for n in count(1) if n not in taken)

    def close_inbox_items(
        self, numbers: Iterable[int], state: str, *, recorded: bool = True
    ) -> list[str]:
        """Take items out of the inbox, remembering them as `state`; their arXiv ids.

        `recorded`: in the history, so that `undo` puts the items back (a dismissal, a take).
        Not for expiry: an expired item put back would expire again at once.
        """
        closed: list[str] = []
        reader = self.reader_id
        for number in numbers:
            item = self.row("inbox_item", {"reader_id": reader, "number": number}, lock=True)
            if item is None:
                continue
            arxiv_id = item["arxiv_id"]
            closed.append(arxiv_id)
            # A dismissed item's text stays: the reader model learns "not this" from it.
            text = [item[k] for k in ("title", "authors", "abstract")]
            update = (
                "UPDATE seen_paper SET state = ?, title = ?, authors = ?, abstract = ? "
                "WHERE reader_id = ? AND arxiv_id = ?",
                (state, *(text if state == "dismissed" else [None] * 3), reader, arxiv_id),
            )
            mine = "reader_id = ? AND number = ?", (reader, number)
            if recorded:
                self.tracked_delete("inbox_item", *mine)
                self.tracked("seen_paper", {"reader_id": reader, "arxiv_id": arxiv_id}, *update)
            else:
                self.execute(f"DELETE FROM inbox_item WHERE {mine[0]}", mine[1])
                self.execute(*update)
        return closed

    def inbox_numbers_before(self, first_seen: str) -> list[int]:
        rows = self.rows(
            "SELECT number FROM inbox_item WHERE reader_id = ? AND first_seen < ? ORDER BY number",
            (self.reader_id, first_seen),
        )
        return [int(row[0]) for row in rows]

    def seen(self, arxiv_ids: Iterable[str]) -> set[str]:
        """Those of the ids a feed has already put in the inbox, at any time."""
        wanted = list(dict.fromkeys(arxiv_ids))
        found: set[str] = set()
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            rows = self.rows(
                "SELECT arxiv_id FROM seen_paper WHERE reader_id = ? AND "
                f"arxiv_id IN ({','.join('?' * len(chunk))})",
                [self.reader_id, *chunk],
            )
            found.update(row[0] for row in rows)
        return found

    # -- newer versions -------------------------------------------------------------------

    def mark_newer_version(self, paper_id: int, version: int) -> bool:
        """Note that arXiv announced `version`, if the library holds an older one."""
        cursor = self.tracked(
            "paper", {"id": paper_id},
            "UPDATE paper SET newer_version = ? WHERE id = ? "
            "AND (version IS NULL OR version < ?) "
            "AND (newer_version IS NULL OR newer_version < ?)",
            (version, paper_id, version, version),
        )  # fmt: skip
        return bool(cursor.rowcount)

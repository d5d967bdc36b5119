"""The lab's view of its readers (0016): who read a paper, the notes members share, each
member's progress, and a reader's privacy.

The reader a connection acts as is resolved once (db/database.py); these queries read
other readers' rows as the lab may see them: a reader who keeps their reading private
shows none of it to the others (their shared notes stay shared). On PostgreSQL, where
members connect as their own roles, row-level security holds the same line in the server.
"""

from __future__ import annotations

from papertrail.db.history import HistoryWrites
from papertrail.model.records import LabMember, ReaderOfPaper, SharedNote

# Another reader's rows are the lab's to see unless that reader keeps them private.
_VISIBLE = "(rd.private = 0 OR rd.id = ?)"


class ReaderTables(HistoryWrites):
    """reader, and the lab's reads of reading, reader_note and reading_queue."""

    def readers_of(self, paper_id: int) -> list[ReaderOfPaper]:
        """Who is reading or has read the paper, by name."""
        rows = self.rows(
            "SELECT rd.name, r.status, r.started_at, r.read_at FROM reading r "
            f"JOIN reader rd ON rd.id = r.reader_id WHERE r.paper_id = ? AND {_VISIBLE} "
            "AND r.status <> 'unread' ORDER BY rd.name",
            (paper_id, self.reader_id),
        )
        return [ReaderOfPaper(*row) for row in rows]

    def shared_notes(self, paper_id: int) -> list[SharedNote]:
        """The notes readers share on the paper, by name."""
        rows = self.rows(
            "SELECT rd.name, n.text FROM reader_note n JOIN reader rd ON rd.id = n.reader_id "
            "WHERE n.paper_id = ? AND n.shared = 1 ORDER BY rd.name",
            (paper_id,),
        )
        return [SharedNote(name, text) for name, text in rows]

    def lab_members(self, month: str) -> list[LabMember]:
        """Each reader the lab may see (and oneself): read in `month` (YYYY-MM), reading
        now, queue length."""
        rows = self.rows(
            "SELECT rd.name, rd.private, "
            "(SELECT count(*) FROM reading r WHERE r.reader_id = rd.id AND r.status = 'read' "
            "AND r.read_at LIKE ?), "
            "(SELECT count(*) FROM reading r WHERE r.reader_id = rd.id "
            "AND r.status = 'reading'), "
            "(SELECT count(*) FROM reading_queue q WHERE q.reader_id = rd.id) "
            f"FROM reader rd WHERE {_VISIBLE} ORDER BY rd.name",
            (month + "%", self.reader_id),
        )
        return [
            LabMember(name, bool(private), int(read), int(reading), int(queued))
            for name, private, read, reading, queued in rows
        ]

    def reader_names(self) -> list[str]:
        return [row[0] for row in self.rows("SELECT name FROM reader ORDER BY name")]

    def is_private(self) -> bool:
        row = self.one("SELECT private FROM reader WHERE id = ?", (self.reader_id,))
        return bool(row and row[0])

    def set_private(self, private: bool) -> None:
        """Keep one's reading out of the lab's view, or show it (recorded: undo works)."""
        reader = self.writer_id()
        self.tracked(
            "reader", {"id": reader}, "UPDATE reader SET private = ? WHERE id = ?",
            (int(private), reader),
        )  # fmt: skip

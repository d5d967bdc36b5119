"""The reading queue's SQL: its order, rewritten through recorded writes, and what `next`
reads of the topics."""

from __future__ import annotations

from collections.abc import Sequence

from papertrail.db.history import HistoryWrites


class QueueTables(HistoryWrites):
    """reading_queue."""

    def queued_ids(self) -> list[int]:
        """Paper ids in queue order."""
        rows = self.rows(
            "SELECT paper_id FROM reading_queue WHERE reader_id = ? ORDER BY position",
            (self.reader_id,),
        )
        return [int(r[0]) for r in rows]

    def queue_to_change(self) -> list[int]:
        """`queued_ids`, for a transaction that will rewrite the order (`set_queue`): other
        clients' rewrites wait until it ends (PostgreSQL; SQLite lets one writer in anyway)."""
        self.execute(self.dialect.lock_queue)
        return self.queued_ids()

    def queue_length(self) -> int:
        return int(
            self.one("SELECT count(*) FROM reading_queue WHERE reader_id = ?", (self.reader_id,))[0]
        )

    def set_queue(self, paper_ids: Sequence[int]) -> None:
        """Make the reader's queue exactly `paper_ids`, in order; only rows that change are
        written."""
        reader = self.writer_id()
        current = dict(
            (int(paper_id), int(position))
            for paper_id, position in self.rows(
                "SELECT paper_id, position FROM reading_queue WHERE reader_id = ?", (reader,)
            )
        )
        wanted = {paper_id: position for position, paper_id in enumerate(paper_ids, 1)}
        for paper_id in current.keys() - wanted.keys():
            self.tracked_delete(
                "reading_queue", "reader_id = ? AND paper_id = ?", (reader, paper_id)
            )
        for paper_id, position in wanted.items():
            key = {"reader_id": reader, "paper_id": paper_id}
            if paper_id not in current:
                self.tracked(
                    "reading_queue", key,
                    "INSERT INTO reading_queue (reader_id, paper_id, position) VALUES (?, ?, ?)",
                    (reader, paper_id, position),
                )  # fmt: skip
            elif current[paper_id] != position:
                self.tracked(
                    "reading_queue", key,
                    "UPDATE reading_queue SET position = ? WHERE reader_id = ? AND paper_id = ?",
                    (position, reader, paper_id),
                )  # fmt: skip

    def unread_by_topic(self) -> list[tuple[str, int]]:
        """(topic, paper id) of every unread paper and each topic it is tagged with, in the
        order papers were added."""
        rows = self.rows(
            "SELECT t.slug, p.id FROM paper p JOIN paper_topic pt ON pt.paper_id = p.id "
            "JOIN topic t ON t.id = pt.topic_id LEFT JOIN reading r ON r.paper_id = p.id "
            "AND r.reader_id = ? WHERE coalesce(r.status, 'unread') = 'unread' "
            "ORDER BY p.added_at, p.id",
            (self.reader_id,),
        )
        return [(slug, int(paper_id)) for slug, paper_id in rows]

    def topic_progress(self) -> list[tuple[str, int, int]]:
        """(topic, papers tagged with it, of which read): the topic itself, not its
        sub-topics."""
        rows = self.rows(
            "SELECT t.slug, count(*), count(CASE WHEN r.status = 'read' THEN 1 END) "
            "FROM topic t JOIN paper_topic pt ON pt.topic_id = t.id "
            "LEFT JOIN reading r ON r.paper_id = pt.paper_id AND r.reader_id = ? "
            "GROUP BY t.slug",
            (self.reader_id,),
        )
        return [(slug, int(papers), int(read)) for slug, papers, read in rows]

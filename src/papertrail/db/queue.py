"""The reading queue's SQL: its order, rewritten through recorded writes, and what `next`
reads of the topics."""

from __future__ import annotations

from collections.abc import Sequence

from papertrail.db.history import HistoryWrites


class QueueTables(HistoryWrites):
    """reading_queue."""

    def queued_ids(self) -> list[int]:
        """Paper ids in queue order."""
        rows = self.rows("SELECT paper_id FROM reading_queue ORDER BY position")
        return [int(r[0]) for r in rows]

    def queue_to_change(self) -> list[int]:
        """`queued_ids`, for a transaction that will rewrite the order (`set_queue`): other
        clients' rewrites wait until it ends (PostgreSQL; SQLite lets one writer in anyway)."""
        self.execute(self.dialect.lock_queue)
        return self.queued_ids()

    def queue_length(self) -> int:
        return int(self.one("SELECT count(*) FROM reading_queue")[0])

    def set_queue(self, paper_ids: Sequence[int]) -> None:
        """Make the queue exactly `paper_ids`, in order; only rows that change are written."""
        current = dict(
            (int(paper_id), int(position))
            for paper_id, position in self.rows("SELECT paper_id, position FROM reading_queue")
        )
        wanted = {paper_id: position for position, paper_id in enumerate(paper_ids, 1)}
        for paper_id in current.keys() - wanted.keys():
            self.tracked_delete("reading_queue", "paper_id = ?", (paper_id,))
        for paper_id, position in wanted.items():
            if paper_id not in current:
                self.tracked(
                    "reading_queue", {"paper_id": paper_id},
                    "INSERT INTO reading_queue (paper_id, position) VALUES (?, ?)",
                    (paper_id, position),
                )  # fmt: skip
            elif current[paper_id] != position:
                self.tracked(
                    "reading_queue", {"paper_id": paper_id},
                    "UPDATE reading_queue SET position = ? WHERE paper_id = ?",
                    (position, paper_id),
                )  # fmt: skip

    def unread_by_topic(self) -> list[tuple[str, int]]:
        """(topic, paper id) of every unread paper and each topic it is tagged with, in the
        order papers were added."""
        rows = self.rows(
            "SELECT t.slug, p.id FROM paper p JOIN paper_topic pt ON pt.paper_id = p.id "
            "JOIN topic t ON t.id = pt.topic_id WHERE p.status = 'unread' "
            "ORDER BY p.added_at, p.id"
        )
        return [(slug, int(paper_id)) for slug, paper_id in rows]

    def topic_progress(self) -> list[tuple[str, int, int]]:
        """(topic, papers tagged with it, of which read): the topic itself, not its
        sub-topics."""
        rows = self.rows(
            "SELECT t.slug, count(*), count(CASE WHEN p.status = 'read' THEN 1 END) "
            "FROM topic t JOIN paper_topic pt ON pt.topic_id = t.id "
            "JOIN paper p ON p.id = pt.paper_id GROUP BY t.slug"
        )
        return [(slug, int(papers), int(read)) for slug, papers, read in rows]

"""The reading queue's SQL: its order, and rewriting it through recorded writes."""

from __future__ import annotations

from collections.abc import Sequence

from papertrail.store import Store


def queued_ids(store: Store) -> list[int]:
    """Paper ids in queue order."""
    return [int(r[0]) for r in store.rows("SELECT paper_id FROM reading_queue ORDER BY position")]


def queue_length(store: Store) -> int:
    return int(store.one("SELECT count(*) FROM reading_queue")[0])


def set_order(store: Store, paper_ids: Sequence[int]) -> None:
    """Make the queue exactly `paper_ids`, in order; only rows that change are written."""
    current = dict(
        (int(paper_id), int(position))
        for paper_id, position in store.rows("SELECT paper_id, position FROM reading_queue")
    )
    wanted = {paper_id: position for position, paper_id in enumerate(paper_ids, 1)}
    for paper_id in current.keys() - wanted.keys():
        store.tracked_delete("reading_queue", "paper_id = ?", (paper_id,))
    for paper_id, position in wanted.items():
        if paper_id not in current:
            store.tracked(
                "reading_queue", {"paper_id": paper_id},
                "INSERT INTO reading_queue (paper_id, position) VALUES (?, ?)",
                (paper_id, position),
            )  # fmt: skip
        elif current[paper_id] != position:
            store.tracked(
                "reading_queue", {"paper_id": paper_id},
                "UPDATE reading_queue SET position = ? WHERE paper_id = ?",
                (position, paper_id),
            )  # fmt: skip


def unread_by_topic(store: Store) -> list[tuple[str, int]]:
    """(topic, paper id) of every unread paper, sub-topics counting for their ancestors,
    in the order papers were added."""
    return [
        (slug, int(paper_id))
        for slug, paper_id, _added in store.rows(
            "WITH RECURSIVE below(top_id, id) AS ("
            "SELECT id, id FROM topic UNION "
            "SELECT b.top_id, t.id FROM topic t JOIN below b ON t.parent_id = b.id) "
            "SELECT DISTINCT t.slug, p.id, p.added_at FROM topic t "
            "JOIN below b ON b.top_id = t.id JOIN paper_topic pt ON pt.topic_id = b.id "
            "JOIN paper p ON p.id = pt.paper_id WHERE p.status = 'unread' "
            "ORDER BY p.added_at, p.id"
        )
    ]

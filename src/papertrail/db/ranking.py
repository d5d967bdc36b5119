"""The SQL of the reader model (core/ranking.py): what it learns from, and the cheap
state whose fingerprint tells whether a cached model is still the library's."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from papertrail.db.history import HistoryWrites

_CHUNK = 500


class RankingReads(HistoryWrites):
    """Reads only: the model is derived data, cached outside the library."""

    def text_state(self) -> list[Any]:
        """(id, lengths of title, authors, abstract) of every paper: a changed text
        changes this, so the text matrix is built again."""
        return self.rows(
            "SELECT id, length(title), length(authors), length(abstract) FROM paper ORDER BY id"
        )

    def label_state(self) -> list[Any]:
        """(id, status, queued) of every paper, for the labels' fingerprint: the reader's
        own status and queue (0016), as the model is the reader's."""
        reader = int(self.reader_id)
        return self.rows(
            "SELECT p.id, coalesce(r.status, 'unread'), q.paper_id IS NOT NULL FROM paper p "
            f"LEFT JOIN reading r ON r.paper_id = p.id AND r.reader_id = {reader} "
            f"LEFT JOIN reading_queue q ON q.paper_id = p.id AND q.reader_id = {reader} "
            "ORDER BY p.id"
        )

    def topic_members(self) -> list[tuple[str, int]]:
        """(topic slug, paper id) of every paper filed in a topic or one of its sub-topics
        (as `list --topic` counts them)."""
        rows = self.rows(
            "WITH RECURSIVE below(ancestor, id) AS (SELECT id, id FROM topic "
            "UNION SELECT b.ancestor, t.id FROM topic t JOIN below b ON t.parent_id = b.id) "
            "SELECT DISTINCT a.slug, pt.paper_id FROM below b "
            "JOIN topic a ON a.id = b.ancestor JOIN paper_topic pt ON pt.topic_id = b.id "
            "ORDER BY a.slug, pt.paper_id"
        )
        return [(str(slug), int(paper_id)) for slug, paper_id in rows]

    def dismissed_texts(self) -> list[tuple[str, str | None, str | None, str | None]]:
        """(arXiv id, title, authors, abstract) of the inbox items the reader dismissed with
        their text kept (since 0015)."""
        rows = self.rows(
            "SELECT arxiv_id, title, authors, abstract FROM seen_paper "
            "WHERE reader_id = ? AND state = 'dismissed' "
            "AND (title IS NOT NULL OR abstract IS NOT NULL) ORDER BY arxiv_id",
            (self.reader_id,),
        )
        return [tuple(row) for row in rows]

    def paper_texts(self, paper_ids: Sequence[int] | None = None) -> Iterator[Sequence[Any]]:
        """(id, title, authors, abstract) of the papers (all of them with None), by id."""
        select = "SELECT id, title, authors, abstract FROM paper"
        if paper_ids is None:
            yield from self.rows(select + " ORDER BY id")
            return
        wanted = list(dict.fromkeys(paper_ids))
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            yield from self.rows(
                select + f" WHERE id IN ({','.join('?' * len(chunk))}) ORDER BY id", chunk
            )

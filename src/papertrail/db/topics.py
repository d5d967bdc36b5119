"""The topics' SQL: the topic tree, papers' topics, and rename, merge, delete; every
change through recorded writes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from papertrail.db.history import HistoryWrites
from papertrail.errors import TopicError
from papertrail.model.records import TopicSummary


class TopicTables(HistoryWrites):
    """Topics and paper_topic."""

    def topic_ids(self, slugs: Iterable[str]) -> dict[str, int]:
        """slug -> id, creating the topics that do not exist yet."""
        wanted = list(dict.fromkeys(slugs))
        for slug in wanted:
            created = self.one(
                "INSERT INTO topic (slug) VALUES (?) ON CONFLICT (slug) DO NOTHING RETURNING id",
                (slug,),
            )
            if created is not None:
                row = {"id": int(created[0]), "slug": slug, "parent_id": None}
                self.record("topic", {"id": row["id"]}, None, row)
        ids: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            ids.update(self.rows(f"SELECT slug, id FROM topic WHERE slug IN ({marks})", chunk))
        return ids

    def topic_exists(self, slug: str) -> bool:
        return self.one("SELECT 1 FROM topic WHERE slug = ?", (slug,)) is not None

    def add_topics(self, paper_id: int, slugs: Iterable[str]) -> list[str]:
        """Tag a paper; return the slugs it did not have before."""
        return self.link_topics(paper_id, self.topic_ids(slugs))

    def link_topics(self, paper_id: int, topic_ids: dict[str, int]) -> list[str]:
        """Tag a paper with topics whose ids are known; return the slugs that are new to it."""
        added = []
        for slug, topic_id in topic_ids.items():
            cursor = self.execute(
                "INSERT INTO paper_topic (paper_id, topic_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (paper_id, topic_id),
            )
            if cursor.rowcount:
                key = {"paper_id": paper_id, "topic_id": topic_id}
                self.record("paper_topic", key, None, dict(key))
                added.append(slug)
        return added

    def remove_topics(self, paper_id: int, slugs: Iterable[str]) -> list[str]:
        removed = []
        for slug in slugs:
            if self.tracked_delete(
                "paper_topic",
                "paper_id = ? AND topic_id = (SELECT id FROM topic WHERE slug = ?)",
                (paper_id, slug),
            ):
                removed.append(slug)
        return removed

    def set_topic_parent(self, child: str, parent: str | None) -> None:
        """Put a topic under another (or at the root); refuse cycles. Call in a transaction."""
        self.execute(self.dialect.lock_topic_tree)
        if parent is not None:
            if parent == child:
                raise TopicError(f"a topic cannot be its own parent: {child!r}")
            ancestors = self._ancestors(parent)
            if child in ancestors:
                chain = " -> ".join([parent, *ancestors[: ancestors.index(child) + 1]])
                raise TopicError(
                    f"{child!r} is already above {parent!r} ({chain}): that would make a cycle"
                )
        ids = self.topic_ids([child] + ([parent] if parent else []))
        self.tracked(
            "topic",
            {"id": ids[child]},
            "UPDATE topic SET parent_id = ? WHERE id = ?",
            (ids[parent] if parent else None, ids[child]),
        )

    def _ancestors(self, slug: str) -> list[str]:
        rows = self.rows(
            "WITH RECURSIVE up(id, slug, parent_id, depth) AS ("
            "SELECT id, slug, parent_id, 0 FROM topic WHERE slug = ? "
            "UNION ALL SELECT t.id, t.slug, t.parent_id, up.depth + 1 FROM topic t "
            "JOIN up ON t.id = up.parent_id WHERE up.depth < 1000) "
            "SELECT slug FROM up WHERE depth > 0 ORDER BY depth",
            (slug,),
        )
        return [row[0] for row in rows]

    def link_new(self, links: Sequence[tuple[int, int]]) -> None:
        """Tag papers just inserted: (paper id, topic id) pairs, none of them there yet."""
        pairs = list(dict.fromkeys(links))
        self.execute_many("INSERT INTO paper_topic (paper_id, topic_id) VALUES (?, ?)", pairs)
        self.record_inserted("paper_topic", ("paper_id", "topic_id"), pairs)

    def topic_parents(self) -> dict[str, str | None]:
        rows = self.rows(
            "SELECT t.slug, parent.slug FROM topic t LEFT JOIN topic parent "
            "ON parent.id = t.parent_id ORDER BY t.slug"
        )
        return dict(rows)

    def topic_summaries(self) -> list[TopicSummary]:
        """Each topic with its parent and the papers under it, sub-topics included."""
        rows = self.rows(
            "WITH RECURSIVE below(top_id, id) AS ("
            "SELECT id, id FROM topic UNION "
            "SELECT b.top_id, t.id FROM topic t JOIN below b ON t.parent_id = b.id) "
            "SELECT t.slug, parent.slug, count(DISTINCT p.id), "
            "count(DISTINCT CASE WHEN r.status = 'read' THEN p.id END) "
            "FROM topic t LEFT JOIN topic parent ON parent.id = t.parent_id "
            "LEFT JOIN below b ON b.top_id = t.id "
            "LEFT JOIN paper_topic pt ON pt.topic_id = b.id "
            "LEFT JOIN paper p ON p.id = pt.paper_id "
            "LEFT JOIN reading r ON r.paper_id = p.id AND r.reader_id = ? "
            "GROUP BY t.id, t.slug, parent.slug ORDER BY t.slug",
            (self.reader_id,),
        )
        return [TopicSummary(slug, parent, int(n), int(read)) for slug, parent, n, read in rows]

    # -- whole topics: rename, merge, delete (core/topics.py) --------------------------------

    def topic_id(self, slug: str) -> int:
        row = self.one("SELECT id FROM topic WHERE slug = ?", (slug,))
        if row is None:
            raise TopicError(f"no topic {slug!r} in the library")
        return int(row[0])

    def topic_paper_ids(self, topic: int) -> list[int]:
        """The papers tagged with the topic itself (not its sub-topics)."""
        rows = self.rows("SELECT paper_id FROM paper_topic WHERE topic_id = ? ORDER BY 1", (topic,))
        return [int(r[0]) for r in rows]

    def topic_parent_id(self, topic: int) -> int | None:
        row = self.one("SELECT parent_id FROM topic WHERE id = ?", (topic,))
        return None if row is None or row[0] is None else int(row[0])

    def rename_topic(self, topic: int, slug: str) -> None:
        self.tracked(
            "topic", {"id": topic}, "UPDATE topic SET slug = ? WHERE id = ?", (slug, topic)
        )

    def set_topic_parent_id(self, topic: int, parent: int | None) -> None:
        self.tracked(
            "topic", {"id": topic}, "UPDATE topic SET parent_id = ? WHERE id = ?", (parent, topic)
        )

    def topic_children(self, topic: int) -> list[int]:
        rows = self.rows("SELECT id FROM topic WHERE parent_id = ?", (topic,))
        return [int(r[0]) for r in rows]

    def delete_topic(self, topic: int) -> None:
        """Delete a topic and its links; its sub-topics move up to its parent."""
        parent = self.topic_parent_id(topic)
        for child in self.topic_children(topic):
            self.set_topic_parent_id(child, parent)
        self.tracked_delete("paper_topic", "topic_id = ?", (topic,))
        self.tracked_delete("topic", "id = ?", (topic,))

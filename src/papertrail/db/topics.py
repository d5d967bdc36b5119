"""SQL of the topic operations (rename, merge, delete), all through recorded writes."""

from __future__ import annotations

from papertrail.errors import TopicError
from papertrail.db.store import Store


def topic_id(store: Store, slug: str) -> int:
    row = store.one("SELECT id FROM topic WHERE slug = ?", (slug,))
    if row is None:
        raise TopicError(f"no topic {slug!r} in the library")
    return int(row[0])


def paper_ids(store: Store, topic: int) -> list[int]:
    """The papers tagged with the topic itself (not its sub-topics)."""
    rows = store.rows("SELECT paper_id FROM paper_topic WHERE topic_id = ? ORDER BY 1", (topic,))
    return [int(r[0]) for r in rows]


def parent_id(store: Store, topic: int) -> int | None:
    row = store.one("SELECT parent_id FROM topic WHERE id = ?", (topic,))
    return None if row is None or row[0] is None else int(row[0])


def rename(store: Store, topic: int, slug: str) -> None:
    store.tracked("topic", {"id": topic}, "UPDATE topic SET slug = ? WHERE id = ?", (slug, topic))


def set_parent(store: Store, topic: int, parent: int | None) -> None:
    store.tracked(
        "topic", {"id": topic}, "UPDATE topic SET parent_id = ? WHERE id = ?", (parent, topic)
    )


def children(store: Store, topic: int) -> list[int]:
    return [int(r[0]) for r in store.rows("SELECT id FROM topic WHERE parent_id = ?", (topic,))]


def delete(store: Store, topic: int) -> None:
    """Delete a topic and its links; its sub-topics move up to its parent."""
    parent = parent_id(store, topic)
    for child in children(store, topic):
        set_parent(store, child, parent)
    store.tracked_delete("paper_topic", "topic_id = ?", (topic,))
    store.tracked_delete("topic", "id = ?", (topic,))

"""Linked bibliographies (`bib link`, 0013): which file follows which selection, and what
papertrail last wrote to it. Configuration and derived state, so not in the history."""

from __future__ import annotations

from typing import Any, NamedTuple

from papertrail.db.history import HistoryWrites

_COLUMNS = (
    "id", "machine", "path", "format", "topics", "status", "query", "aux", "fields", "written_hash",
    "written_ids", "written_at", "created_at",
)  # fmt: skip


class BibLinkRow(NamedTuple):
    id: int
    machine: str
    path: str
    format: str
    topics: str | None
    status: str | None
    query: str | None
    aux: str | None
    fields: str | None
    written_hash: str | None
    written_ids: str | None
    written_at: str | None
    created_at: str


class BibLinks(HistoryWrites):
    """`bib_link`."""

    def bib_links(self, machine: str) -> list[BibLinkRow]:
        """The files linked on this machine (user@host)."""
        rows = self.rows(
            f"SELECT {', '.join(_COLUMNS)} FROM bib_link WHERE machine = ? ORDER BY path",
            (machine,),
        )
        return [BibLinkRow(*row) for row in rows]

    def any_bib_link(self) -> bool:
        """Whether any file is linked: what every writing command asks first, once."""
        return self.one("SELECT 1 FROM bib_link LIMIT 1") is not None

    def bib_link(self, machine: str, path: str) -> BibLinkRow | None:
        row = self.one(
            f"SELECT {', '.join(_COLUMNS)} FROM bib_link WHERE machine = ? AND path = ?",
            (machine, path),
        )
        return None if row is None else BibLinkRow(*row)

    def add_bib_link(self, values: dict[str, Any]) -> None:
        """Link a file (its row replaced when it was linked already)."""
        names = list(values)
        with self.transaction():
            self.execute("DELETE FROM bib_link WHERE machine = ? AND path = ?",
                         (values["machine"], values["path"]))  # fmt: skip
            self.execute(
                f"INSERT INTO bib_link ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                list(values.values()),
            )

    def remove_bib_link(self, machine: str, path: str) -> bool:
        where = "WHERE machine = ? AND path = ?"
        with self.transaction():
            found = self.one(f"SELECT 1 FROM bib_link {where}", (machine, path)) is not None
            self.execute(f"DELETE FROM bib_link {where}", (machine, path))
        return found

    def topic_slugs(self, topic_ids: list[int]) -> dict[int, str]:
        """id -> slug of those of the topics that exist."""
        if not topic_ids:
            return {}
        marks = ", ".join("?" * len(topic_ids))
        rows = self.rows(f"SELECT id, slug FROM topic WHERE id IN ({marks})", topic_ids)
        return {int(topic_id): slug for topic_id, slug in rows}

    def follow_merged_topic(self, source: int, target: int) -> None:
        """Links that follow topic `source` follow `target` instead (`topic merge`), in the
        merge's transaction."""
        for link_id, topics in self.rows("SELECT id, topics FROM bib_link WHERE topics IS "
                                         "NOT NULL"):  # fmt: skip
            ids = topics.split()
            if str(source) in ids:
                kept = dict.fromkeys(str(target) if i == str(source) else i for i in ids)
                self.execute("UPDATE bib_link SET topics = ? WHERE id = ?",
                             (" ".join(kept), link_id))  # fmt: skip

    def set_bib_written(self, link_id: int, digest: str, paper_ids: str, at: str) -> None:
        with self.transaction():
            self.execute(
                "UPDATE bib_link SET written_hash = ?, written_ids = ?, written_at = ? "
                "WHERE id = ?",
                (digest, paper_ids, at, link_id),
            )

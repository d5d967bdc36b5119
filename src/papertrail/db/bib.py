"""Linked bibliographies (`bib link`, 0013): which file follows which selection, and what
papertrail last wrote to it. Configuration and derived state, so not in the history."""

from __future__ import annotations

from typing import Any, NamedTuple

from papertrail.db.history import HistoryWrites

_COLUMNS = (
    "id", "path", "format", "topics", "status", "query", "aux", "fields", "written_hash",
    "written_ids", "written_at", "created_at",
)  # fmt: skip


class BibLinkRow(NamedTuple):
    id: int
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

    def bib_links(self) -> list[BibLinkRow]:
        rows = self.rows(f"SELECT {', '.join(_COLUMNS)} FROM bib_link ORDER BY path")
        return [BibLinkRow(*row) for row in rows]

    def any_bib_link(self) -> bool:
        """Whether any file is linked: what every writing command asks first, once."""
        return self.one("SELECT 1 FROM bib_link LIMIT 1") is not None

    def bib_link(self, path: str) -> BibLinkRow | None:
        row = self.one(f"SELECT {', '.join(_COLUMNS)} FROM bib_link WHERE path = ?", (path,))
        return None if row is None else BibLinkRow(*row)

    def add_bib_link(self, values: dict[str, Any]) -> None:
        """Link a file (its row replaced when it was linked already)."""
        names = list(values)
        with self.transaction():
            self.execute("DELETE FROM bib_link WHERE path = ?", (values["path"],))
            self.execute(
                f"INSERT INTO bib_link ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                list(values.values()),
            )

    def remove_bib_link(self, path: str) -> bool:
        with self.transaction():
            found = self.one("SELECT 1 FROM bib_link WHERE path = ?", (path,)) is not None
            self.execute("DELETE FROM bib_link WHERE path = ?", (path,))
        return found

    def set_bib_written(self, link_id: int, digest: str, paper_ids: str, at: str) -> None:
        with self.transaction():
            self.execute(
                "UPDATE bib_link SET written_hash = ?, written_ids = ?, written_at = ? "
                "WHERE id = ?",
                (digest, paper_ids, at, link_id),
            )

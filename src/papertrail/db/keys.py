"""Citation keys written out (`paper_key`, 0013): a key an export or a linked file wrote
for a paper never changes by itself; an old one (a key changed by hand, a paper merged
into another) stays a REF for its paper, an alias."""

from __future__ import annotations

from collections.abc import Iterable

from papertrail.db.paper_reads import PaperReads
from papertrail.model.query import PaperQuery
from papertrail.model.records import now_iso


class KeyTables(PaperReads):
    """`paper_key`: written keys and aliases."""

    def key_written(self, paper_id: int, key: str) -> bool:
        """Whether `key` was written out for this paper (so it stays the paper's)."""
        return bool(self.one("SELECT 1 FROM paper_key WHERE key = ? AND paper_id = ?",
                             (key, paper_id)))  # fmt: skip

    def paper_with_alias(self, key: str) -> int | None:
        """The paper an old key (written out, or merged into it) names, if any."""
        row = self.one("SELECT paper_id FROM paper_key WHERE key = ?", (key,))
        return None if row is None else int(row[0])

    def aliases_of(self, paper_id: int) -> list[str]:
        """Every key of `paper_key` that names this paper (its own frozen key included)."""
        rows = self.rows("SELECT key FROM paper_key WHERE paper_id = ? ORDER BY key", (paper_id,))
        return [row[0] for row in rows]

    def papers_with_keys(self, keys: Iterable[str]) -> dict[str, int]:
        """key -> paper id for those of the keys that name a paper (its own key first, then
        an old key of it), asked 500 at a time."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for key, paper_id in self.rows(
                f"SELECT key, paper_id FROM paper_key WHERE key IN ({marks})", chunk
            ):
                found[key] = int(paper_id)
            for key, paper_id in self.rows(
                f"SELECT citation_key, min(id) FROM paper WHERE citation_key IN ({marks}) "
                "GROUP BY citation_key",
                chunk,
            ):
                found[key] = int(paper_id)  # a paper's own key wins over an old one
        return found

    def all_citation_keys(self) -> list[str]:
        """Every key that names a paper: the papers' own and their aliases."""
        rows = self.rows("SELECT citation_key FROM paper WHERE citation_key IS NOT NULL "
                         "UNION SELECT key FROM paper_key")  # fmt: skip
        return [row[0] for row in rows]

    def aliases_among(self, candidates: Iterable[str], paper_id: int | None = None) -> set[str]:
        """Those of the keys that name a paper (other than `paper_id`) as an alias."""
        wanted = list(candidates)
        if not wanted:
            return set()
        marks = ", ".join("?" * len(wanted))
        rows = self.rows(
            f"SELECT key FROM paper_key WHERE key IN ({marks}) AND paper_id <> ?",
            [*wanted, -1 if paper_id is None else paper_id],
        )
        return {row[0] for row in rows}

    def record_written_keys(self, query: PaperQuery) -> None:
        """Note the keys of the papers `query` selects as written out (an export, a linked
        file): one statement, not recorded in the history (what was written is no change to
        the library), and only keys not noted yet."""
        prefix, where, params = self._filters(query._replace(sort="added", limit=None))
        conditions = " AND ".join([*where, "p.citation_key IS NOT NULL"])
        with self.transaction():
            self.execute(
                f"{prefix}INSERT INTO paper_key (key, paper_id, written_at) "
                f"SELECT p.citation_key, p.id, ? FROM paper p WHERE {conditions} "
                "AND NOT EXISTS (SELECT 1 FROM paper_key k WHERE k.key = p.citation_key) "
                "ON CONFLICT (key) DO NOTHING",
                [now_iso(), *params],
            )

    def record_written_ids(self, paper_ids: Iterable[int]) -> None:
        """`record_written_keys` for papers given by id (a linked file's), 500 at a time."""
        ids = list(paper_ids)
        for start in range(0, len(ids), 500):
            self.record_written_keys(PaperQuery(paper_ids=ids[start : start + 500]))

    def alias_keys(self, keys: Iterable[str], paper_id: int) -> None:
        """Make `keys` name `paper_id` (a merge: OTHER's keys become KEEP's aliases),
        recorded, so undoing the merge takes them back."""
        for key in dict.fromkeys(keys):
            if self.one("SELECT 1 FROM paper WHERE citation_key = ? AND id <> ?",
                        (key, paper_id)):  # fmt: skip
                continue  # another paper holds it now: it names that one
            self.tracked(
                "paper_key", {"key": key},
                "INSERT INTO paper_key (key, paper_id, written_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET paper_id = excluded.paper_id",
                (key, paper_id, now_iso()),
            )  # fmt: skip

"""The tags' SQL: keywords as imports bring them, a flat list beside the topic tree
(`list --tag`, `tags`); links recorded in the history as topics' are."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from papertrail.db.history import HistoryWrites

_CHUNK = 500  # names or ids per statement


class TagTables(HistoryWrites):
    """tag and paper_tag."""

    def tag_ids(self, names: Iterable[str]) -> dict[str, int]:
        """name -> id, creating the tags that do not exist yet."""
        wanted = list(dict.fromkeys(names))
        for name in wanted:
            created = self.one(
                "INSERT INTO tag (name) VALUES (?) ON CONFLICT (name) DO NOTHING RETURNING id",
                (name,),
            )
            if created is not None:
                row = {"id": int(created[0]), "name": name}
                self.record("tag", {"id": row["id"]}, None, row)
        ids: dict[str, int] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            ids.update(self.rows(f"SELECT name, id FROM tag WHERE name IN ({marks})", chunk))
        return ids

    def link_tags(self, paper_id: int, tag_ids: dict[str, int]) -> list[str]:
        """Give a paper tags whose ids are known; return the names new to it."""
        added = []
        for name, tag_id in tag_ids.items():
            cursor = self.execute(
                "INSERT INTO paper_tag (paper_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (paper_id, tag_id),
            )
            if cursor.rowcount:
                key = {"paper_id": paper_id, "tag_id": tag_id}
                self.record("paper_tag", key, None, dict(key))
                added.append(name)
        return added

    def link_new_tags(self, links: Sequence[tuple[int, int]]) -> None:
        """Tag papers just inserted: (paper id, tag id) pairs, none of them there yet."""
        pairs = list(dict.fromkeys(links))
        self.execute_many("INSERT INTO paper_tag (paper_id, tag_id) VALUES (?, ?)", pairs)
        self.record_inserted("paper_tag", ("paper_id", "tag_id"), pairs)

    def tags_of(self, paper_ids: Sequence[int]) -> dict[int, list[str]]:
        """paper id -> its tags, sorted; papers without tags left out."""
        found: dict[int, list[str]] = {}
        for start in range(0, len(paper_ids), _CHUNK):
            chunk = list(paper_ids[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            rows = self.rows(
                "SELECT pt.paper_id, t.name FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id "
                f"WHERE pt.paper_id IN ({marks}) ORDER BY t.name",
                chunk,
            )
            for paper_id, name in rows:
                found.setdefault(int(paper_id), []).append(name)
        return found

    def tag_counts(self) -> list[tuple[str, int, int]]:
        """(tag, papers, papers this reader has read) for every tag some paper has, by name."""
        rows = self.rows(
            "SELECT t.name, count(p.id), "
            "count(CASE WHEN r.status = 'read' THEN p.id END) FROM tag t "
            "JOIN paper_tag pt ON pt.tag_id = t.id JOIN paper p ON p.id = pt.paper_id "
            "LEFT JOIN reading r ON r.paper_id = p.id AND r.reader_id = ? "
            "GROUP BY t.id, t.name ORDER BY t.name",
            (self.reader_id,),
        )
        return [(name, int(papers), int(read)) for name, papers, read in rows]

    def tag_names(self, prefix: str = "") -> list[str]:
        """The tags whose names start with `prefix` (shell completion)."""
        rows = self.rows(
            "SELECT name FROM tag WHERE substr(name, 1, ?) = ? ORDER BY name",
            (len(prefix), prefix),
        )
        return [row[0] for row in rows]

"""The files' SQL: stored files and what reading them found (`file`), which paper has which
file (`paper_file`, recorded in the history), and the pages' text (`file_page`, which the
full-text index follows: db/fulltext.py searches it).

`file` and `file_page` are derived data, like an index: a file's row and pages are written
once, when its content is first stored, and go when `files --prune` finds no paper has the
file any more. Attaching and detaching (the `paper_file` rows) are what the history records
and `undo` reverts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from papertrail.db.history import HistoryWrites
from papertrail.errors import HistoryConflict
from papertrail.model.files import PDF, AttachedFile
from papertrail.model.records import Change

PAGE_BITS = 16  # a page's row id is file_id << 16 | page number
PAGE_MASK = (1 << PAGE_BITS) - 1
MAX_PAGES = PAGE_MASK  # pages indexed per file
FILE_COLUMNS = "f.id, f.sha256, f.suffix, f.size, f.pages, f.text_pages, f.ocr_pages, f.problem"
_CHUNK = 500


def page_row_id(file_id: int, page: int) -> int:
    """The row id of a file's page (1-based)."""
    if not 1 <= page <= MAX_PAGES:
        raise ValueError(f"page {page} out of range")
    return file_id << PAGE_BITS | page


def _attached(row: Sequence[Any]) -> AttachedFile:
    file_id, sha256, suffix, size, pages, text_pages, ocr_pages, problem, name, added = row
    return AttachedFile(int(file_id), sha256, suffix, int(size), pages, text_pages, ocr_pages,
                        problem, name, added)  # fmt: skip


class FileTables(HistoryWrites):
    """file, paper_file and file_page."""

    # -- files ------------------------------------------------------------------------------

    def file_id(self, sha256: str) -> int | None:
        row = self.one("SELECT id FROM file WHERE sha256 = ?", (sha256,))
        return None if row is None else int(row[0])

    def known_hashes(self, hashes: Sequence[str]) -> set[str]:
        """Those of `hashes` the library holds a file for."""
        return self._hashes_where(hashes, "")

    def scan_hashes(self, hashes: Sequence[str]) -> set[str]:
        """Those of `hashes` whose stored PDF was read and found to have no text (a scan)."""
        return self._hashes_where(
            hashes, f" AND text_pages = 0 AND problem IS NULL AND suffix = '{PDF}'"
        )

    def _hashes_where(self, hashes: Sequence[str], condition: str) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(hashes), _CHUNK):
            chunk = list(hashes[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT sha256 FROM file WHERE sha256 IN ({marks}){condition}"
            found.update(r[0] for r in self.rows(sql, chunk))
        return found

    def insert_file(
        self,
        sha256: str,
        size: int,
        suffix: str,
        now: str,
        *,
        pages: int | None = None,
        text_pages: int | None = None,
        ocr_pages: int | None = None,
        problem: str | None = None,
    ) -> int:
        """A file's row (the one there is, when another client stored it a moment ago)."""
        row = self.one(
            "INSERT INTO file (sha256, size, suffix, pages, text_pages, ocr_pages, problem, "
            "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING "
            "RETURNING id",
            (sha256, size, suffix, pages, text_pages, ocr_pages, problem, now),
        )
        if row is not None:
            return int(row[0])
        found = self.file_id(sha256)
        assert found is not None
        return found

    def set_file_text(
        self, file_id: int, pages: Sequence[str], *, ocr_pages: int | None = None
    ) -> None:
        """A file's page texts (1-based order), replacing any it had; pages without text
        are not stored (a scan stores none). In the caller's transaction: a file is indexed
        whole or not at all."""
        self.delete_pages(file_id)
        rows = [
            (page_row_id(file_id, number), text)
            for number, text in enumerate(pages[:MAX_PAGES], start=1)
            if text
        ]
        self.execute_many("INSERT INTO file_page (id, text) VALUES (?, ?)", rows)
        text_pages = sum(1 for text in pages if text)
        self.execute(
            "UPDATE file SET text_pages = ?, ocr_pages = ?, problem = NULL WHERE id = ?",
            (text_pages, ocr_pages, file_id),
        )

    def delete_pages(self, file_id: int) -> None:
        self.execute(
            "DELETE FROM file_page WHERE id BETWEEN ? AND ?",
            (file_id << PAGE_BITS, file_id << PAGE_BITS | PAGE_MASK),
        )

    def delete_file(self, file_id: int) -> None:
        """A file's pages and row (no paper has it: `files --prune`)."""
        self.delete_pages(file_id)
        self.execute("DELETE FROM file WHERE id = ?", (file_id,))

    def unused_files(self) -> list[tuple[int, str, str, int]]:
        """(id, sha256, suffix, size) of the files no paper has."""
        rows = self.rows(
            "SELECT f.id, f.sha256, f.suffix, f.size FROM file f WHERE NOT EXISTS "
            "(SELECT 1 FROM paper_file pf WHERE pf.file_id = f.id) ORDER BY f.id"
        )
        return [(int(i), sha, suffix, int(size)) for i, sha, suffix, size in rows]

    def all_files(self) -> list[tuple[int, str, str]]:
        """(id, sha256, suffix) of every file the library holds."""
        return [(int(i), s, x) for i, s, x in self.rows("SELECT id, sha256, suffix FROM file")]

    def page_texts(self, file_id: int) -> list[tuple[int, str]]:
        """(page, text) of a file's pages with text."""
        rows = self.rows(
            "SELECT id, text FROM file_page WHERE id BETWEEN ? AND ? ORDER BY id",
            (file_id << PAGE_BITS, file_id << PAGE_BITS | PAGE_MASK),
        )
        return [(int(row_id) & PAGE_MASK, text) for row_id, text in rows]

    # -- papers' files ----------------------------------------------------------------------

    def attach_file(self, paper_id: int, file_id: int, name: str, now: str) -> bool:
        """Give a paper a file under `name`; False if it had that file already."""
        key = {"paper_id": paper_id, "file_id": file_id}
        if self.row("paper_file", key, lock=True) is not None:
            return False
        self.tracked(
            "paper_file", key,
            "INSERT INTO paper_file (paper_id, file_id, name, added_at) VALUES (?, ?, ?, ?)",
            (paper_id, file_id, name, now),
        )  # fmt: skip
        return True

    def detach_file(self, paper_id: int, file_id: int) -> bool:
        return bool(
            self.tracked_delete("paper_file", "paper_id = ? AND file_id = ?", (paper_id, file_id))
        )

    def files_of(self, paper_id: int) -> list[AttachedFile]:
        return self.files_of_papers([paper_id]).get(paper_id, [])

    def files_of_papers(
        self, paper_ids: Iterable[int] | None = None
    ) -> dict[int, list[AttachedFile]]:
        """paper id -> its files (PDFs first, then by when attached), for these papers or,
        with None, every paper that has one."""
        sql = (
            f"SELECT pf.paper_id, {FILE_COLUMNS}, pf.name, pf.added_at FROM paper_file pf "
            "JOIN file f ON f.id = pf.file_id"
        )
        order = (
            f" ORDER BY pf.paper_id, CASE WHEN f.suffix = '{PDF}' THEN 0 ELSE 1 END, "
            "pf.added_at, f.id"
        )
        chunks: list[list[int] | None] = [None]
        if paper_ids is not None:
            wanted = list(paper_ids)
            chunks = [wanted[i : i + _CHUNK] for i in range(0, len(wanted), _CHUNK)]
        found: dict[int, list[AttachedFile]] = {}
        for chunk in chunks:
            where = "" if chunk is None else f" WHERE pf.paper_id IN ({','.join('?' * len(chunk))})"
            for row in self.rows(sql + where + order, chunk or []):
                found.setdefault(int(row[0]), []).append(_attached(row[1:]))
        return found

    def any_paper_file(self) -> bool:
        return self.one("SELECT 1 FROM paper_file LIMIT 1") is not None

    def any_page_text(self) -> bool:
        return self.one("SELECT 1 FROM file_page LIMIT 1") is not None

    def papers_with_file(self, file_id: int) -> list[int]:
        rows = self.rows(
            "SELECT paper_id FROM paper_file WHERE file_id = ? ORDER BY paper_id", (file_id,)
        )
        return [int(row[0]) for row in rows]

    def arxiv_papers_without_pdf(self, paper_ids: Sequence[int] | None = None) -> list[int]:
        """arXiv papers that have no PDF, oldest first (`fetch --pdf`'s batch)."""
        sql = (
            "SELECT p.id FROM paper p WHERE p.arxiv_id IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM paper_file pf JOIN file f ON f.id = pf.file_id "
            f"WHERE pf.paper_id = p.id AND f.suffix = '{PDF}')"
        )
        params: list[Any] = []
        if paper_ids is not None:
            sql += f" AND p.id IN ({','.join('?' * len(paper_ids)) or 'NULL'})"
            params = list(paper_ids)
        return [int(row[0]) for row in self.rows(sql + " ORDER BY p.id", params)]

    def _before_restore(self, change: Change) -> None:
        """A paper's file comes back with an undo only while the file is still stored."""
        super()._before_restore(change)
        if change.table == "paper_file" and change.before is not None and change.after is None:
            file_id = change.before.get("file_id")
            if self.one("SELECT 1 FROM file WHERE id = ?", (file_id,)) is None:
                raise HistoryConflict(
                    f"the file of paper {change.paper_id} was deleted by `files --prune` since"
                )

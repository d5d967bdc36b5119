"""The fetch log's SQL: what `fetch` asked which service about a paper, when, and what came
of it (migration 0012). Derived data, like the file store's: not in the history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from papertrail.db.history import HistoryWrites

_CHUNK = 500


class FetchLogTables(HistoryWrites):
    def asked_since(self, service: str, paper_ids: Sequence[int], since: str) -> set[int]:
        """Those of the papers the service was asked about at `since` or later, and answered
        (found or missing: a failure is asked again)."""
        found: set[int] = set()
        for start in range(0, len(paper_ids), _CHUNK):
            chunk = list(paper_ids[start : start + _CHUNK])
            marks = ",".join("?" * len(chunk))
            rows = self.rows(
                "SELECT paper_id FROM fetch_log WHERE service = ? AND asked_at >= ? "
                f"AND outcome <> 'failed' AND paper_id IN ({marks})",
                [service, since, *chunk],
            )
            found.update(int(row[0]) for row in rows)
        return found

    def log_asked(self, service: str, outcomes: Iterable[tuple[int, str]], now: str) -> None:
        """Remember what the service answered about each paper (one transaction)."""
        # A paper removed meanwhile has nothing to remember (its foreign key would refuse).
        rows = [(i, service, outcome, now, i) for i, outcome in outcomes]
        if not rows:
            return
        with self.transaction():
            self.execute_many(
                "INSERT INTO fetch_log (paper_id, service, outcome, asked_at) "
                "SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM paper WHERE id = ?) "
                "ON CONFLICT (paper_id, service) DO UPDATE SET "
                "outcome = excluded.outcome, asked_at = excluded.asked_at",
                rows,
            )

    def set_summary(self, summary: str) -> None:
        """Name the command's history entry anew, once its parts are all done (`fetch`
        stores in several transactions: the entry says what all of them stored)."""
        self.summary = summary
        if self.history_id is not None:
            with self.transaction():
                self.execute(
                    "UPDATE history SET summary = ? WHERE id = ?", (summary, self.history_id)
                )

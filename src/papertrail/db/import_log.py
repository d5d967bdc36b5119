"""The import log's SQL: what any list brought in before, so that a paper removed since
is not brought back by importing the list again."""

from __future__ import annotations

from collections.abc import Iterable

from papertrail.db.history import HistoryWrites


class ImportLog(HistoryWrites):
    """import_log."""

    def imported_keys(self) -> set[str]:
        """What any list brought in before, wherever it was imported from."""
        return {row[0] for row in self.rows("SELECT DISTINCT item_key FROM import_log")}

    def log_imported(self, source: str, keys: Iterable[str], now: str) -> None:
        """Log keys no import logged before (the caller checked): in one batch."""
        rows = [(source, key, now) for key in dict.fromkeys(keys)]
        self.execute_many(
            "INSERT INTO import_log (source, item_key, imported_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            rows,
        )
        self.record_inserted("import_log", ("source", "item_key", "imported_at"), rows)

"""Pairs of papers the user said are not duplicates (`duplicates --not A B`, migration
0012): recorded in the history, so `undo` forgets the judgement again."""

from __future__ import annotations

from papertrail.db.history import HistoryWrites


class DistinctPairs(HistoryWrites):
    def mark_distinct(self, first: int, second: int, now: str) -> bool:
        """Remember that two papers are different; whether that is new. In a transaction."""
        low, high = min(first, second), max(first, second)
        cursor = self.execute(
            "INSERT INTO distinct_pair (paper_a, paper_b, marked_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (low, high, now),
        )
        if not cursor.rowcount:
            return False
        key = {"paper_a": low, "paper_b": high}
        self.record("distinct_pair", key, None, {**key, "marked_at": now})
        return True

    def distinct_pairs(self) -> set[tuple[int, int]]:
        """Every pair known distinct, (lower id, higher id)."""
        return {
            (int(a), int(b)) for a, b in self.rows("SELECT paper_a, paper_b FROM distinct_pair")
        }

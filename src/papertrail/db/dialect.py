"""Where SQLite and PostgreSQL differ, for papertrail.db.store: placeholders, locks, string
aggregation, case-insensitive matching, full-text search. Everything else is written once.

psycopg is imported only by the PostgreSQL dialect's functions (start-up of a
SQLite library).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from typing import Any

# What `--search` matches (the PostgreSQL trigram index is built on this same text).
# Notes are each reader's own since 0016, searched apart (papertrail.db.paper_reads).
SEARCH_TEXT = (
    "(coalesce(title, '') || ' ' || coalesce(abstract, '') || ' ' || coalesce(authors, ''))"
)
# The columns of SQLite's full-text index (migrations 0001, 0016).
FTS_COLUMNS = "title, abstract, authors"
_LIKE_ESCAPE = re.compile(r"([\\%_])")


class Dialect:
    """SQLite flavour; PostgresDialect overrides what differs."""

    name = "sqlite"
    errors: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)
    begin_write = "BEGIN IMMEDIATE"  # take the write lock up front: no upgrade deadlocks
    lock_row = ""  # BEGIN IMMEDIATE already keeps other writers out
    # The largest id a table ever handed out (?: the same table name): for an AUTOINCREMENT
    # table (paper) sqlite_sequence remembers the ids of rows since deleted.
    highest_id = (
        "SELECT max(coalesce((SELECT max(id) FROM {table}), 0), "
        "coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0))"
    )
    # After rows were copied in with their ids: number new ones after ? too, the highest id
    # the copied library ever handed out (SQLite numbers after the largest id by itself).
    sync_ids = "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = '{table}'"
    table_exists = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    lock_topic_tree = "SELECT 1"  # BEGIN IMMEDIATE already lets one writer in at a time
    lock_queue = "SELECT 1"
    lock_inbox = "SELECT 1"
    lock_history = "SELECT 1"
    like = "LIKE"  # case-insensitive for ASCII in SQLite (DOIs are ASCII)

    def sql(self, text: str) -> str:
        return text

    def in_transaction(self, connection: Any) -> bool:
        return bool(connection.in_transaction)

    def aggregate_slugs(self, expr: str) -> str:
        return f"group_concat({expr}, ',')"

    def title_order(self) -> str:
        return "p.title COLLATE NOCASE"

    def key_order(self) -> str:
        """Citation keys by code point, as Python sorts them (linked bibliographies)."""
        return "p.citation_key"

    def month(self, column: str) -> str:
        return f"substr({column}, 1, 7)"

    def search_clause(self, terms: Sequence[str]) -> tuple[str, list[Any]]:
        # FTS5 trigram matches substrings of 3+ characters through the index; shorter
        # terms fall back to LIKE. Each term is one quoted FTS string: its characters
        # (*, ", AND, -) are plain text, never query syntax.
        long_terms = [t for t in terms if len(t) >= 3]
        clauses: list[str] = []
        params: list[Any] = []
        if long_terms:
            clauses.append("p.id IN (SELECT rowid FROM paper_fts WHERE paper_fts MATCH ?)")
            params.append(" ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
        for term in terms:
            if len(term) < 3:
                clauses.append(self.contains(SEARCH_TEXT))
                params.append(self.contains_pattern(term))
        return " AND ".join(clauses), params

    def contains(self, expr: str) -> str:
        """`expr` contains a term, case aside in all of Unicode: SQLite's LIKE folds ASCII
        only, so both sides are case-folded by Python (`pt_fold`, registered on connect)."""
        return f"pt_fold({expr}) LIKE ? ESCAPE '\\'"

    def contains_pattern(self, term: str) -> str:
        return like_pattern(term.casefold())


class PostgresDialect(Dialect):
    name = "postgresql"
    like = "ILIKE"
    begin_write = "BEGIN"
    # A row about to change is locked before its `before` image is read: a concurrent
    # writer cannot slip in between, so the image (and an undo) is exact.
    lock_row = " FOR UPDATE"
    # Under READ COMMITTED two clients could each pass the cycle check for half of a cycle
    # (a under b, b under a): tree changes take turns, until the transaction ends.
    lock_topic_tree = "SELECT pg_advisory_xact_lock(4243)"
    # The same for the reading queue: two clients queueing at once would each rewrite the
    # order they read, and give two papers one place.
    lock_queue = "SELECT pg_advisory_xact_lock(4244)"
    # Filing inbox items takes turns: two refreshes never give two items one number.
    lock_inbox = "SELECT pg_advisory_xact_lock(4245)"
    # Undos take turns: the second sees what the first undid and takes the entry before.
    lock_history = "SELECT pg_advisory_xact_lock(4246)"
    highest_id = (
        "SELECT greatest(max(id), pg_sequence_last_value(pg_get_serial_sequence(?, 'id')"
        "::regclass), 0) FROM {table}"
    )
    # Never below what the sequence already handed out: ids are never reused.
    sync_ids = (
        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), greatest(max(id), "
        "pg_sequence_last_value(pg_get_serial_sequence('{table}', 'id')::regclass), ?, 1)) "
        "FROM {table}"
    )
    table_exists = "SELECT to_regclass(?)"

    def sql(self, text: str) -> str:
        return text.replace("?", "%s")

    def in_transaction(self, connection: Any) -> bool:
        from psycopg.pq import TransactionStatus

        return connection.info.transaction_status != TransactionStatus.IDLE

    def aggregate_slugs(self, expr: str) -> str:
        return f"string_agg({expr}, ',')"

    def title_order(self) -> str:
        return "lower(p.title)"

    def key_order(self) -> str:
        return 'p.citation_key COLLATE "C"'  # the server's locale would order keys otherwise

    def contains(self, expr: str) -> str:
        # ILIKE folds case by the server's locale: ASCII only under "C". A regular
        # expression spelling out each letter's cases is exact everywhere, and pg_trgm's
        # index serves it as it serves ILIKE.
        return f"{expr} ~ ?"

    def contains_pattern(self, term: str) -> str:
        return case_insensitive_regex(term)

    def search_clause(self, terms: Sequence[str]) -> tuple[str, list[Any]]:
        # On the expression the pg_trgm GIN index covers.
        clauses = [self.contains(SEARCH_TEXT) for _ in terms]
        return " AND ".join(clauses), [self.contains_pattern(t) for t in terms]


def case_insensitive_regex(term: str) -> str:
    """A PostgreSQL regular expression matching `term` in any letter case (`ü` -> `[üÜ]`),
    every other character literal."""
    parts = []
    for char in term:
        cases = dict.fromkeys(c for c in (char, char.lower(), char.upper()) if len(c) == 1)
        if len(cases) > 1:
            parts.append("[" + "".join(cases) + "]")
        else:
            parts.append(char if char.isalnum() else "\\" + char)
    return "".join(parts)


def like_pattern(term: str) -> str:
    return "%" + _LIKE_ESCAPE.sub(r"\\\1", term) + "%"

"""SQLite: paper ids are never reused after a paper is removed (AUTOINCREMENT).

Without AUTOINCREMENT, SQLite hands the largest id out again once that paper is removed,
and a stale `mark-read 2` then hits another paper. PostgreSQL's sequence never reuses an
id, so only SQLite changes. SQLite cannot add AUTOINCREMENT in place: the table is rebuilt
(SQLite's documented procedure), with every row, id, index, trigger and the search index.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import re

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_INLINE_KEY = re.compile(r"\bid INTEGER NOT NULL,")
_TABLE_KEY = re.compile(r"PRIMARY KEY \(id\),\s*")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    (table_sql,) = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'paper'"
    ).one()
    if "AUTOINCREMENT" in table_sql.upper():
        return
    # Dropping the old table must not cascade to paper_topic: foreign keys stay off here.
    assert bind.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
    new_sql = _TABLE_KEY.sub(
        "",
        _INLINE_KEY.sub("id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,", table_sql, count=1),
        count=1,
    )
    if "AUTOINCREMENT" not in new_sql or "PRIMARY KEY (id)" in new_sql:
        raise RuntimeError("unexpected definition of the paper table; not rebuilding it")
    # Indexes and triggers go with the old table: keep their definitions to recreate them.
    extras = [
        row[0]
        for row in bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'paper' "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL"
        )
    ]
    op.execute(new_sql.replace("CREATE TABLE paper", "CREATE TABLE paper_rebuilt", 1))
    op.execute("INSERT INTO paper_rebuilt SELECT * FROM paper")
    op.execute("DROP TABLE paper")
    op.execute("ALTER TABLE paper_rebuilt RENAME TO paper")
    for sql in extras:
        op.execute(sql)
    if bind.exec_driver_sql("SELECT 1 FROM paper LIMIT 1").first() is None:
        # An empty library (a new one): leave it exactly as the stored schema creates it.
        op.execute("DELETE FROM sqlite_sequence WHERE name = 'paper'")
    elif bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'paper_fts'").first():
        op.execute("INSERT INTO paper_fts(paper_fts) VALUES ('rebuild')")
    problems = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise RuntimeError(f"foreign keys broken by the rebuild: {problems[:3]}")


def downgrade() -> None:
    pass  # ids that are never reused harm nothing

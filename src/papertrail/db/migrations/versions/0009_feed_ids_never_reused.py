"""SQLite: feed numbers are never reused after a feed is removed (AUTOINCREMENT), as paper
ids are since 0005.

Without it, SQLite hands the number of the last feed out again once that feed is removed:
`feed remove 3` then `feed add` gave the new feed number 3, and undoing the removal was
refused (its number was taken). The table is rebuilt (SQLite cannot add AUTOINCREMENT in
place; the feed table has no index, trigger or reference to carry over), and the numbering
starts after every number the history shows was ever given.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import json

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_FEED = (
    "CREATE TABLE {name} (\n\tid INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, \n"
    "\tcategories VARCHAR NOT NULL, \n\tkeywords VARCHAR, \n\tauthors VARCHAR, \n"
    "\ttopic VARCHAR, \n\tcreated_at VARCHAR NOT NULL\n)"
)
_COLUMNS = "id, categories, keywords, authors, topic, created_at"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # a PostgreSQL sequence never hands a number out twice
    op.execute(_FEED.format(name="feed_rebuilt"))
    op.execute(f"INSERT INTO feed_rebuilt ({_COLUMNS}) SELECT {_COLUMNS} FROM feed")
    op.execute("DROP TABLE feed")
    op.execute("ALTER TABLE feed_rebuilt RENAME TO feed")
    keys = bind.exec_driver_sql(
        "SELECT row_key FROM history_change WHERE table_name = 'feed'"
    ).fetchall()
    given = max((int(json.loads(key)["id"]) for (key,) in keys), default=0)
    if not given and bind.exec_driver_sql("SELECT 1 FROM feed LIMIT 1").first() is None:
        # No feed ever (a new library): leave it exactly as the stored schema creates it.
        op.execute("DELETE FROM sqlite_sequence WHERE name = 'feed'")
    elif given:  # feeds removed before this revision: their numbers stay theirs
        bind.exec_driver_sql(
            "INSERT INTO sqlite_sequence (name, seq) SELECT 'feed', 0 "
            "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'feed')"
        )
        bind.exec_driver_sql(
            "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'feed'", (given,)
        )


def downgrade() -> None:
    pass  # numbers that are never reused harm nothing

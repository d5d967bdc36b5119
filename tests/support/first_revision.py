"""A SQLite library as papertrail's first schema revision (0001) made it, holding real data
(tests/data/db/library_at_0001.sql): where the upgrade and `db` command tests start."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from papertrail.db.opening import sqlalchemy_url, upgrade
from tests.support.paths import DATA


def fill_first_revision(db: Path) -> None:
    """Real data as papertrail 0001 wrote it: statuses, dates, notes, topics, a tree."""
    upgrade(sqlalchemy_url(str(db)), "0001")
    connection = sqlite3.connect(db)
    connection.executescript((DATA / "db" / "library_at_0001.sql").read_text(encoding="utf-8"))
    connection.commit()
    connection.close()

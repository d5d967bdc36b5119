"""Alembic revisions of papertrail's schema.

`REVISIONS` lists them oldest first, so that opening a database can tell "up to date",
"older: upgrade" and "newer than this papertrail: refuse" without importing Alembic.
A test checks it against Alembic's own history. The order is the order they apply:
0012-0016 were numbered on branches before they landed, and landed 0015, 0016, 0013, 0012.
"""

REVISIONS = (
    "0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011",
    "0015", "0016", "0013", "0012",
)  # fmt: skip
HEAD = REVISIONS[-1]

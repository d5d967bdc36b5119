"""The import log names a paper without an arXiv id by its title as papertrail now
compares titles (model/same_paper.normal_title: punctuation aside too), not by the case-
and space-folded text it used before.

A list imported before this revision and imported again still finds what it logged then:
each `title:` key is written again in the new form, and so is every image of it in the
history, so that undoing an import made before the upgrade still takes its log rows back
(the history's images must match the rows they describe).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import json
import re
from typing import Any

from alembic import op

from papertrail.model.same_paper import normal_title

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# `paper:title:<title> <url> topic:<slug>`; older papertrails logged `title:<title> <url>`.
_KEY = re.compile(r"^(?P<prefix>(?:paper:)?title:)(?P<rest>.*?)(?P<topic> topic:\S+)?$", re.S)
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)\S+$|^\S*/\S*\.\S+$", re.I)


def new_key(key: str) -> str:
    """A logged key in the new form (keys of arXiv papers, parents and topics unchanged)."""
    match = _KEY.match(key)
    if match is None:
        return key
    title, _, last = match["rest"].rpartition(" ")
    url = ""
    if title and _URL.match(last):
        url = " " + last
    else:
        title = match["rest"]
    return f"{match['prefix']}{normal_title(title)}{url}{match['topic'] or ''}"


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.exec_driver_sql("SELECT source, item_key FROM import_log").fetchall()
    logged = {(source, key) for source, key in rows}
    for source, key in rows:
        renamed = new_key(key)
        if renamed == key:
            continue
        if (source, renamed) in logged:  # two spellings of one title: one row is enough
            _run(bind, "DELETE FROM import_log WHERE source = ? AND item_key = ?", (source, key))
        else:
            _run(
                bind,
                "UPDATE import_log SET item_key = ? WHERE source = ? AND item_key = ?",
                (renamed, source, key),
            )
            logged.add((source, renamed))
    _rewrite_history(bind)


def _run(bind: Any, sql: str, params: tuple[Any, ...]) -> None:
    if bind.dialect.name == "postgresql":
        sql = sql.replace("?", "%s")
    bind.exec_driver_sql(sql, params)


def _rewrite_history(bind: Any) -> None:
    """Every image of an import-log row in the history, in the new form."""
    changes = bind.exec_driver_sql(
        "SELECT history_id, seq, row_key, before, after FROM history_change "
        "WHERE table_name = 'import_log'"
    ).fetchall()
    for history_id, seq, row_key, before, after in changes:
        texts = [_renamed_image(text) for text in (row_key, before, after)]
        if texts != [row_key, before, after]:
            _run(
                bind,
                "UPDATE history_change SET row_key = ?, before = ?, after = ? "
                "WHERE history_id = ? AND seq = ?",
                (*texts, history_id, seq),
            )


def _renamed_image(text: str | None) -> str | None:
    if text is None:
        return None
    image = json.loads(text)
    if not isinstance(image, dict) or not isinstance(image.get("item_key"), str):
        return text
    image["item_key"] = new_key(image["item_key"])
    return json.dumps(image, ensure_ascii=False, sort_keys=True)


def downgrade() -> None:
    pass  # keys in the new form are still keys: an older papertrail re-imports at worst

"""History and undo through the CLI, on SQLite and PostgreSQL: every change recorded,
every change revertible, the library after an undo equal to the library before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from papertrail.db.paper_reads import STORED_COLUMNS
from papertrail.model.records import split_authors
from tests.reliability.helpers import raw_rows
from tests.support.cli import as_json, ok, run
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")
LIBRARY_TABLES = ("paper", "topic", "paper_topic", "import_log", "reading_queue")


def dump(db: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every library table, exactly as stored."""
    return {t: sorted(raw_rows(db, f"SELECT * FROM {t}"), key=repr) for t in LIBRARY_TABLES}


def test_a_removed_paper_comes_back_equal_field_for_field(isolated_env: str) -> None:
    ok("import", str(DATA / "library.json"))
    ok("note", "1", "--replace", "first remark")
    ok("mark-reading", "1")
    before = dump(isolated_env)
    shown = as_json("show", "1510.00149")
    ok("remove", "1510.00149", "--yes")
    assert run("show", "1510.00149").exit_code == 1

    out = ok("undo")
    assert "Undid #" in out and "remove" in out
    assert as_json("show", "1510.00149") == shown
    assert shown["topics"] == ["pruning", "quantization"] and shown["status"] == "reading"
    assert shown["note"] == "first remark" and shown["started_at"]
    assert dump(isolated_env) == before


def test_an_undone_import_leaves_the_library_as_before(isolated_env: str) -> None:
    ok("add", "1207.0580", "--no-fetch", "-t", "dropout")  # merged into by the import
    ok("note", "1207.0580", "--replace", "mine")
    before = dump(isolated_env)
    out = ok("import", str(DATA / "library.json"))
    assert "3 added, 1 already present" in out
    assert as_json("show", "1207.0580")["topics"] == ["dropout", "regularization"]

    ok("undo")
    assert dump(isolated_env) == before
    assert [p["arxiv_id"] for p in as_json("list")] == ["1207.0580"]
    assert [line.split("\t")[0] for line in ok("topics").splitlines()] == ["dropout"]
    # The import log went too: importing again adds the papers again.
    assert "3 added" in ok("import", str(DATA / "library.json"))


def test_undo_is_recorded_and_can_itself_be_undone(isolated_env: str) -> None:
    ok("import", str(DATA / "library.json"))
    ok("tag", "2", "must-read")
    tagged = dump(isolated_env)
    ok("undo")
    assert "must-read" not in as_json("show", "2")["topics"]
    [undo_entry, tag_entry, _] = as_json("log")
    assert undo_entry["command"] == "undo" and undo_entry["reverts"] == [tag_entry["id"]]
    assert tag_entry["undone_by"] == undo_entry["id"]

    ok("undo", str(undo_entry["id"]))  # undo the undo
    assert dump(isolated_env) == tagged
    assert as_json("log")[2]["undone_by"] is None


def test_repeated_undo_walks_back_and_undo_n_reverts_back_to_one(isolated_env: str) -> None:
    ok("import", str(DATA / "library.json"))
    start = dump(isolated_env)
    ok("mark-read", "3")
    after_first = dump(isolated_env)
    ok("tag", "3", "later")
    ok("untag", "1", "pruning")
    ok("undo")
    ok("undo")
    assert dump(isolated_env) == after_first
    ok("mark-unread", "2")
    first_mark = next(e["id"] for e in as_json("log") if e["command"] == "mark-read")
    out = ok("undo", str(first_mark))
    assert out.count("Undid #") >= 2
    assert dump(isolated_env) == start


def test_log_of_one_paper_and_the_changed_rows_in_json() -> None:
    ok("import", str(DATA / "library.json"))
    ok("mark-read", "2")
    ok("tag", "3", "later")
    lines = ok("log", "2").splitlines()
    assert len(lines) == 2  # the import that added it and the mark
    assert "mark-read" in lines[0] and "marked read: [2] 1602.02830" in lines[0]
    [entry] = as_json("log", "2", "--limit", "1")
    [change] = entry["changes"]
    # A reader's status is their own row (0016), keyed by reader and paper.
    assert change["table"] == "reading" and change["key"]["paper_id"] == 2
    assert change["before"]["status"] == "reading" and change["after"]["status"] == "read"
    assert set(change["before"]) == {"status", "read_at"}  # only what changed
    ok("remove", "2", "--yes")
    assert "removed [2]" in ok("log", "2").splitlines()[0]  # a removed paper keeps its history
    result = run("log", "99")
    assert result.exit_code == 1 and "no paper '99'" in result.stderr


def test_nothing_to_undo_and_unknown_entries_are_one_line_errors() -> None:
    result = run("undo")  # no library yet: nothing is created to find that out
    assert result.exit_code == 4 and "no papertrail library there" in result.stderr
    ok("add", "1510.00149", "--no-fetch")
    ok("undo")
    result = run("undo")  # the add is undone; the undo itself is not a change
    assert result.exit_code == 1
    assert result.stderr == "Error: nothing to undo: the history is empty or all undone\n"
    result = run("undo", "99")
    assert result.exit_code == 1 and "no history entry #99" in result.stderr
    assert "No changes recorded" not in ok("undo", "--list")


def test_commands_that_change_nothing_leave_no_entry() -> None:
    ok("add", "1510.00149", "--no-fetch", "-t", "x")
    ok("tag", "1", "x")
    ok("mark-unread", "1")
    ok("list")
    assert len(as_json("log")) == 1


def test_undo_refuses_to_overwrite_a_change_made_outside_the_history(isolated_env: str) -> None:
    ok("add", "1510.00149", "--no-fetch")
    ok("mark-read", "1")
    from tests.reliability.helpers import raw_execute

    raw_execute(isolated_env, "UPDATE reading SET status = 'unread', read_at = NULL")
    result = run("undo")
    assert result.exit_code == 1
    assert "cannot undo" in result.stderr and "changed since" in result.stderr
    assert as_json("show", "1")["status"] == "unread"


def test_prune_keeps_the_newest_entries() -> None:
    ok("add", "1510.00149", "--no-fetch")
    for topic in ("a", "b", "c"):
        ok("tag", "1", topic)
    assert ok("log", "--prune", "--keep", "2") == "Pruned 2 history entries.\n"
    assert [e["summary"].split(": ")[-1] for e in as_json("log")] == ["c", "b"]
    ok("undo")
    ok("undo")
    assert run("undo").exit_code == 1  # what was pruned cannot be undone
    assert as_json("show", "1")["topics"] == ["a"]


def test_an_undone_fetch_of_pages_and_dates_is_exact(isolated_env: str) -> None:
    # Dates and unicode survive the JSON row images exactly.
    ok("add", "--title", "Über Alles", "--year", "1999", "--authors", "Émile; Zoë")
    ok("mark-read", "1")
    entry = as_json("log")[0]
    # The reader's status row comes in with its date (0016: not a column of `paper`).
    assert entry["changes"][0]["after"]["read_at"] is not None
    before = dump(isolated_env)
    ok("remove", "1", "--yes")
    ok("undo")
    assert dump(isolated_env) == before


def test_a_damaged_history_entry_is_a_one_line_error(isolated_env: str) -> None:
    from tests.reliability.helpers import raw_execute

    ok("add", "1510.00149", "--no-fetch")
    raw_execute(isolated_env, "UPDATE history_change SET after = '{not json'")
    result = run("undo")
    assert result.exit_code == 4 and result.stderr.startswith("Error: history entry #1 is damaged")
    assert result.stderr.count("\n") == 1
    assert as_json("show", "1")["arxiv_id"] == "1510.00149"


def test_a_dry_run_leaves_no_history() -> None:
    # A dry run creates no library (issue 21): one is made first, its history one entry.
    ok("add", "2101.00001", "--no-fetch")
    before = as_json("log")
    ok("import", str(DATA / "library.json"), "--dry-run")
    assert as_json("log") == before and len(before) == 1


# A bibliography whose values test the row images an import's history holds: quotes,
# backslashes, accents, a DOI, pages, a BibLaTeX date; one entry a paper already there.
ODD_BIB = (DATA / "bib" / "odd_values.bib").read_text(encoding="utf-8")

COLUMNS = {
    "paper": STORED_COLUMNS,
    "topic": ("id", "slug", "parent_id"),
    "paper_topic": ("paper_id", "topic_id"),
    "import_log": ("source", "item_key", "imported_at"),
    "tag": ("id", "name"),
    "paper_tag": ("paper_id", "tag_id"),
}


def test_an_import_records_each_row_it_inserts_as_stored(isolated_env: str, tmp_path: Path) -> None:
    """The rows an import inserts are recorded in bulk: each image is the row as stored
    (every column, empty ones too), so undo can tell when a row changed since."""
    ok("add", "1207.0580", "--no-fetch", "-t", "dropout")  # merged into: filled, tagged
    before = dump(isolated_env)
    bib = tmp_path / "odd.bib"
    bib.write_text(ODD_BIB, encoding="utf-8")
    assert "1 added, 1 already present" in ok("import", str(bib))

    [entry] = as_json("log", "--limit", "1")
    inserted = [change for change in entry["changes"] if change["before"] is None]
    # The file's keywords are tags (issue 26): no topic is made.
    assert {change["table"] for change in inserted} == set(COLUMNS) - {"topic", "paper_topic"}
    for change in inserted:
        names = COLUMNS[change["table"]]
        rows = raw_rows(isolated_env, f"SELECT {', '.join(names)} FROM {change['table']}")
        stored = [dict(zip(names, row, strict=True)) for row in rows]
        if change["table"] == "paper":  # the JSON has a paper's lists as lists
            for row in stored:
                if row["authors"] is not None:
                    row["authors"] = split_authors(row["authors"])
                if row["categories"] is not None:
                    row["categories"] = row["categories"].split()
        assert change["after"] in stored
        assert change["key"] == {k: change["after"][k] for k in change["key"]}
    [paper] = [c["after"] for c in inserted if c["table"] == "paper"]
    assert paper["title"] == 'The "Quoted" Title with a back\\slash and Ümlaut'
    assert paper["abstract"] is None and paper["pages"] == "3–14"

    ok("undo")
    assert dump(isolated_env) == before


def test_undoing_an_import_refuses_when_an_empty_column_was_filled_since(
    isolated_env: str, tmp_path: Path
) -> None:
    from tests.reliability.helpers import raw_execute

    bib = tmp_path / "odd.bib"
    bib.write_text(ODD_BIB, encoding="utf-8")
    ok("import", str(bib))
    raw_execute(isolated_env, "UPDATE paper SET abstract = 'written outside papertrail'")
    result = run("undo")
    assert result.exit_code == 1 and "changed since" in result.stderr
    assert len(as_json("list")) == 2


def test_paper_columns_have_no_default(isolated_env: str) -> None:
    """A bulk insert leaves out the columns no paper of the batch has a value for
    (Store._insert_rows): that stores NULL only while no column has a default."""
    from tests.reliability.helpers import is_postgres

    if is_postgres(isolated_env):
        pytest.skip("PostgreSQL inserts every column")
    ok("add", "1510.00149", "--no-fetch")
    columns = raw_rows(isolated_env, "PRAGMA table_info(paper)")
    assert [(name, default) for _, name, _, _, default, _ in columns if default is not None] == []


def test_log_since_and_until_take_dates() -> None:
    ok("add", "2101.00001", "--no-fetch")
    ok("add", "2101.00002", "--no-fetch")
    today = as_json("log")[0]["at"][:10]
    assert len(as_json("log", "--since", "2000")) == 2
    assert len(as_json("log", "--since", today, "--until", today)) == 2
    assert as_json("log", "--until", "2000-12") == []
    assert as_json("log", "--since", str(int(today[:4]) + 1)) == []
    result = run("log", "--since", "yesterday")
    assert result.exit_code == 2
    assert "--since takes a date: 2023, 2023-05 or 2023-05-17, not 'yesterday'" in result.stderr

"""What the latency budgets rely on (timings themselves live in benchmarks/, not here)."""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from papertrail.cli.commands import COMMANDS
from papertrail.db.opening import open_store
from papertrail.model.query import PaperQuery
from tests.support.cli import ok

DATA = Path(__file__).parent / "data"
HEAVY = (
    "sqlalchemy", "sqlmodel", "pydantic", "alembic", "httpx", "feedparser", "bibtexparser",
    # PDFs and file stores: the PDF commands alone.
    "pypdfium2", "fsspec", "s3fs", "botocore", "aiobotocore",
    # The MCP SDK and what it brings: `papertrail mcp` alone, once it serves.
    "mcp", "mcp_types", "anyio", "starlette", "sse_starlette", "uvicorn", "jsonschema",
    "httpx2",
    # The reader model (core/ranking.py): only the commands that rank.
    "numpy",
)  # fmt: skip
# Everyday commands that may rank: the inbox (when it has items) and `next` (when the
# queue runs short, a topic's unread papers come by fit).
RANKING = {"inbox", "next"}


# Runs papertrail as its console script does and, on the way out, lists sys.modules (which
# also sees imports that `-X importtime` misses, such as importlib.import_module's) and
# whether the cyclic garbage collector is on.
LIST_MODULES_AT_EXIT = """
import atexit, gc, sys
atexit.register(lambda: sys.stderr.write(
    f"\\nGC {gc.isenabled()}\\nMODULES " + " ".join(sorted(sys.modules)) + "\\n"
))
sys.argv[0] = "papertrail"
from papertrail.cli.entry import main
main()
"""


def loaded_modules(*args: str) -> set[str]:
    """Every module a fresh `papertrail ARGS` process imports, output to a pipe."""
    result = subprocess.run(
        [sys.executable, "-c", LIST_MODULES_AT_EXIT, *args],
        capture_output=True, text=True, timeout=60, env=os.environ.copy(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return set(result.stderr.rsplit("\nMODULES ", 1)[1].split())


def imported_modules(*args: str) -> set[str]:
    """Top-level packages a fresh `papertrail ARGS` process imports."""
    return {name.split(".")[0] for name in loaded_modules(*args)}


EVERYDAY = [
    ["list", "--topic", "quantization"],
    ["list", "--status", "unread"],
    ["list"],
    ["list", "--search", "compress"],
    ["show", "1510.00149"],
    ["stats"],
    ["topics"],
    ["--help"],
    ["mark-read", "1510.00149"],
    ["tag", "1510.00149", "favourites"],
    ["note", "1510.00149", "again"],
    ["add", "--no-fetch", "2101.00001"],
    ["add", "--no-fetch", "10.1145/3184558.3186235"],
    ["queue", "1510.00149"],
    ["next", "-n", "3"],
    ["log"],
    ["undo"],
    ["feed", "list"],
    ["inbox", "--no-fetch"],
    ["search", "--help"],
    ["mcp", "--help"],
]
COMMAND_MODULES = {f"papertrail.cli.{module}" for module, _ in COMMANDS.values()}
# What no everyday command needs: other formats, the network, Rich on a pipe, migrations.
NOT_EVERYDAY = (
    "papertrail.core.importing", "papertrail.importers", "papertrail.exporters",
    "papertrail.services", "papertrail.cli.terminal.render", "papertrail.db.tables",
    "papertrail.db.migrations.env", "papertrail.files", "papertrail.core.pdfs",
    "papertrail.model.pdf_identity", "papertrail.model.search_query",
)  # fmt: skip


@pytest.mark.parametrize("args", EVERYDAY, ids=" ".join)
def test_everyday_commands_import_only_what_they_need(args: list[str]) -> None:
    ok("import", str(DATA / "library.json"))  # the schema exists: no migration on this path
    loaded = loaded_modules(*args)
    packages = {name.split(".")[0] for name in loaded}
    heavy = set(HEAVY) - ({"numpy"} if args[0] in RANKING else set())
    assert not packages & heavy, sorted(packages & heavy)
    assert "rich" not in packages  # output goes to a pipe: plain text, no Rich
    # The command's own module and no other command's (`--help` lists them from a table).
    own = {f"papertrail.cli.{COMMANDS[args[0]][0]}"} if args[0] in COMMANDS else set()
    assert loaded & COMMAND_MODULES == own
    assert not [name for name in loaded if name.startswith(NOT_EVERYDAY)]


def test_the_collector_paused_for_start_up_is_on_again_while_the_command_runs() -> None:
    """The console script pauses the cyclic garbage collector for start-up (cli/entry.py);
    a command that left it off would let a long import's reference cycles pile up."""
    ok("import", str(DATA / "library.json"))
    for args in (["list", "--status", "unread"], ["import", str(DATA / "small.bib")]):
        result = subprocess.run(
            [sys.executable, "-c", LIST_MODULES_AT_EXIT, *args],
            capture_output=True, text=True, timeout=60, env=os.environ.copy(),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:]
        assert "\nGC True\n" in result.stderr
    # Tests like this one run the CLI in-process: their collector is never touched.
    ok("list")
    assert gc.isenabled()


def test_a_new_library_is_created_without_alembic_or_sqlalchemy() -> None:
    packages = {name.split(".")[0] for name in loaded_modules("add", "--no-fetch", "1510.00149")}
    assert not packages & {"alembic", "sqlalchemy", "sqlmodel"}


def test_bibtexparser_is_loaded_only_to_read_bibtex_the_fast_path_does_not_take() -> None:
    # @string macros need bibtexparser's splitter; plain entries, accented names included
    # (`M{\"u}ller, J{\"o}rg`), do not.
    assert "bibtexparser" in imported_modules("import", str(DATA / "bib" / "macros.bib"))
    assert "bibtexparser" not in imported_modules("import", str(DATA / "small.bib"))
    assert "bibtexparser" not in imported_modules("import", str(DATA / "library.json"))


def plan(db: str, query: PaperQuery) -> str:
    store = open_store(db)
    try:
        sql, params = store._select_papers(query)
        rows = store.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    finally:
        store.close()
    return "\n".join(str(row[-1]) for row in rows)


def test_filters_use_indexes_not_table_scans(isolated_env: str) -> None:
    ok("import")
    by_topic = plan(isolated_env, PaperQuery(topic="quantization"))
    assert "ix_paper_topic_topic_paper" in by_topic
    assert "USING INTEGER PRIMARY KEY" in by_topic
    assert not re.search(r"SCAN (p|paper)\b(?! USING)", by_topic), by_topic
    # The reader's status is their own rows' (0016), found through their index.
    ok("mark-read", "1")
    by_status = plan(isolated_env, PaperQuery(status="read"))
    assert "ix_reading_reader_status" in by_status
    assert not re.search(r"SCAN (p|paper)\b(?! USING)", by_status), by_status
    unread = plan(isolated_env, PaperQuery(status="unread"))
    assert "ix_reading_reader_status" in unread
    assert not re.search(r"SCAN (p|paper)\b(?! USING)", unread), unread
    by_search = plan(isolated_env, PaperQuery(search="quantization"))
    assert "paper_fts VIRTUAL TABLE INDEX" in by_search
    by_year = plan(isolated_env, PaperQuery(year=2016))
    assert "ix_paper_year" in by_year


def test_database_is_in_wal_mode_with_a_busy_timeout(isolated_env: str) -> None:
    ok("add", "--no-fetch", "1510.00149")
    store = open_store(isolated_env)
    try:
        assert store.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.execute("PRAGMA busy_timeout").fetchone()[0] >= 10_000
    finally:
        store.close()

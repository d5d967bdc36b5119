"""The tree is the architecture (ARCHITECTURE.md): what the folders promise, checked.

The layers themselves (cli > core > db, services, importers, exporters > model) are
import-linter's contracts in pyproject.toml, run by .ci/run; these are the rules it
cannot state.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

import papertrail
from papertrail.db.database import TABLE_KEYS
from papertrail.db.inbox import INBOX_COLUMNS
from papertrail.db.paper_reads import STORED_COLUMNS

PACKAGE = Path(papertrail.__file__).parent
SQL = re.compile(
    r"\b(SELECT\b.+\bFROM|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE (?:TABLE|INDEX|"
    r"TRIGGER|EXTENSION|VIRTUAL)|DROP (?:TABLE|TRIGGER|INDEX)|PRAGMA|BEGIN IMMEDIATE|ROLLBACK)\b",
    re.S,
)


def modules() -> Iterator[tuple[str, Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        yield name.removesuffix(".__init__"), path, ast.parse(path.read_text(encoding="utf-8"))


def strings(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):  # an f-string: its text parts joined
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            yield node.lineno, str(text)


def test_no_module_outside_db_holds_sql() -> None:
    found = [
        f"{name}:{line}: {text[:60]!r}"
        for name, _, tree in modules()
        if not name.startswith("papertrail.db")
        for line, text in strings(tree)
        if SQL.search(text)
    ]
    assert found == []


def test_the_sql_check_sees_sql() -> None:  # the test above can fail
    tree = ast.parse('x = f"SELECT id FROM {t} WHERE a = ?"\ny = "UPDATE paper SET note = ?"')
    assert {line for line, text in strings(tree) if SQL.search(text)} == {1, 2}


def test_the_package_root_holds_few_modules_and_every_module_is_in_a_layer() -> None:
    root = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(root) <= 8, root
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    layers = {"cli", "core", "db", "model", "services", "files", "importers", "exporters", "data"}
    assert folders <= layers, folders - layers


def test_no_import_cycle_between_modules_counting_imports_inside_functions() -> None:
    graph = grimp.build_graph("papertrail")
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    cycles = [c for c in _strongly_connected(edges) if len(c) > 1]
    assert cycles == []


def _strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(group)
    return groups


def test_the_cycle_check_sees_a_cycle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert [sorted(c) for c in _strongly_connected(edges) if len(c) > 1] == [["a", "b", "c"]]


def test_every_import_inside_a_function_says_why() -> None:
    """Imports inside functions are there for start-up time (a command loads only what it
    needs): each is commented, or its module's docstring says so. None hides a cycle."""
    unexplained = []
    for name, path, tree in modules():
        doc = ast.get_docstring(tree) or ""
        if "start-up" in doc.lower() or "imported only" in doc:
            continue
        lines = path.read_text(encoding="utf-8").split("\n")
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Import | ast.ImportFrom):
                        near = lines[sub.lineno - 2 : sub.lineno]
                        if not any("#" in line for line in near):
                            unexplained.append(f"{name}:{sub.lineno}")
    assert unexplained == []


def test_typer_private_click_is_used_in_one_adapter_module() -> None:
    users = [
        name
        for name, _, tree in modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("typer._click")
    ]
    assert set(users) == {"papertrail.cli.click"}


@pytest.mark.parametrize(
    ("columns", "table"),
    [((*STORED_COLUMNS, "edited"), "paper"), ((*INBOX_COLUMNS, "reader_id"), "inbox_item")],
)  # `edited` is read apart (PaperWrites.edited_fields), never into a Paper; the reader's
# own columns (status, dates, note) are other tables' since 0016, and an inbox item's
# reader is the store's own
def test_column_lists_are_the_table_definitions(columns: tuple[str, ...], table: str) -> None:
    from papertrail.db.tables import SQLModel

    assert sorted(columns) == sorted(SQLModel.metadata.tables[table].columns.keys())


def test_the_history_knows_every_recorded_table_by_its_primary_key() -> None:
    from papertrail.db.tables import SQLModel

    for table, key in TABLE_KEYS.items():
        primary = SQLModel.metadata.tables[table].primary_key.columns.keys()
        assert tuple(primary) == key, table

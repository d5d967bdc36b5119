"""Notes are never lost: `note` adds dated paragraphs, `--replace` and `--edit` on request."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.cli import as_json, ok, run
from tests.support.editor import editor_env
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")
DATED = re.compile(r"^\d{4}-\d{2}-\d{2}: ")


def note_of(ref: str) -> str | None:
    return as_json("show", ref)["note"]


def test_note_adds_a_dated_paragraph_after_the_existing_note() -> None:
    ok("import", str(DATA / "library.json"))
    seed_note = note_of("1510.00149")
    assert seed_note == "三步：剪枝、量化、哈夫曼编码"
    ok("note", "1510.00149", "Read section 3 again")
    ok("note", "1510.00149", "Huffman part is optional")
    first, second, third = note_of("1510.00149").split("\n\n")
    assert first == seed_note  # the list's remark is still there
    assert DATED.match(second) and second.endswith(": Read section 3 again")
    assert DATED.match(third) and third.endswith(": Huffman part is optional")
    # A paper without a note gets just the paragraph.
    ok("note", "1207.0580", "dropout")
    assert DATED.sub("", note_of("1207.0580")) == "dropout"


def test_replace_and_clear_are_explicit_and_undoable() -> None:
    ok("import", str(DATA / "library.json"))
    ok("note", "1", "--replace", "only this")
    assert note_of("1") == "only this"
    ok("note", "1", "--replace", "")
    assert note_of("1") is None
    ok("undo")
    ok("undo")
    assert note_of("1") == "三步：剪枝、量化、哈夫曼编码"


def test_an_empty_paragraph_is_refused_and_no_text_shows_the_note() -> None:
    ok("import", str(DATA / "library.json"))
    result = run("note", "1", "  ")
    assert result.exit_code == 2 and "empty" in result.stderr
    assert note_of("1") == "三步：剪枝、量化、哈夫曼编码"
    assert ok("note", "1") == "三步：剪枝、量化、哈夫曼编码\n"
    assert ok("note", "2") == "Paper 2 has no note.\n"


def test_edit_opens_the_editor_on_the_whole_note(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    env = editor_env(tmp_path, "path.write_text(path.read_text() + '\\nand more', 'utf-8')")
    out = ok("note", "1", "--edit", env=env)
    assert "Noted [1]" in out
    assert note_of("1") == "三步：剪枝、量化、哈夫曼编码\nand more"


def test_edit_closed_without_saving_changes_nothing(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    env = editor_env(tmp_path, "pass")
    assert "Note unchanged" in ok("note", "1", "--edit", env=env)
    assert note_of("1") == "三步：剪枝、量化、哈夫曼编码"
    assert len(as_json("log")) == 1  # only the import


def test_a_missing_editor_is_a_one_line_error(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    result = run("note", "1", "--edit", env={"VISUAL": "", "EDITOR": "/nonexistent/editor"})
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: could not run the editor")
    assert note_of("1") == "三步：剪枝、量化、哈夫曼编码"

"""The editor forms of `edit REF` and `note REF --edit` are faithful: a form saved unchanged
changes nothing whatever is stored, and what changed while a form was open is never
overwritten (issue 21). Both databases; the editor is a scripted $VISUAL."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papertrail.db.opening import open_store
from tests.reliability.helpers import raw_execute
from tests.support.cli import as_json, ok, run
from tests.support.editor import editor_env

pytestmark = pytest.mark.usefixtures("backend")

# Stored values the form cannot show as they are: line breaks, runs of spaces, `;` inside
# an author, a DOI the form's validator would refuse, text in brackets and unicode.
_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
    min_size=1, max_size=40,
).filter(str.strip)  # fmt: skip
_hostile = st.sampled_from(
    ["A  B", "line\nbreak", "a;b", "[bold]x[/bold]", " lead", "trail ", "tab\there", "x\r\ny"]
)
_value = st.one_of(_text, _hostile)


def _row(db: str, paper_id: int) -> dict[str, object]:
    store = open_store(db)
    try:
        return store.row("paper", {"id": paper_id}) or {}
    finally:
        store.close()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=_value, authors=st.lists(_value, max_size=3), venue=_value, doi=_value)
def test_a_form_saved_unchanged_changes_nothing(
    isolated_env: str, tmp_path: Path, title: str, authors: list[str], venue: str, doi: str
) -> None:
    ok("add", "--title", "placeholder", "--year", "2020")
    paper_id = max(p["id"] for p in as_json("list"))
    raw_execute(
        isolated_env,
        "UPDATE paper SET title = ?, authors = ?, venue = ?, doi = ? WHERE id = ?",
        (title, "\n".join(authors) or None, venue, doi, paper_id),
    )
    before = _row(isolated_env, paper_id)
    log_before = ok("log")
    out = ok("edit", str(paper_id), env=editor_env(tmp_path, "pass"))
    assert out.startswith("Nothing changed")
    assert _row(isolated_env, paper_id) == before
    assert ok("log") == log_before


def test_only_the_changed_line_is_applied(isolated_env: str, tmp_path: Path) -> None:
    ok("add", "--title", "placeholder", "--authors", "Ann Lee", "--year", "2020")
    raw_execute(isolated_env, "UPDATE paper SET title = ?, doi = ? WHERE id = 1",
                ("Two  spaces\nand a break", "not a doi"))  # fmt: skip
    code = 'path.write_text(path.read_text().replace("year: 2020", "year: 2021"))'
    out = ok("edit", "1", env=editor_env(tmp_path, code))
    assert out.startswith("Edited") and out.rstrip().endswith(": year")
    row = _row(isolated_env, 1)
    assert (row["title"], row["doi"], row["year"]) == (
        "Two  spaces\nand a break",
        "not a doi",
        2021,
    )
    assert row["edited"] == "year"


def _meanwhile(command: str) -> str:
    """Editor code that runs a papertrail command while the form is open, then edits."""
    return (
        "import subprocess\n"
        f"subprocess.run([sys.executable, '-m', 'papertrail', *{command.split()!r}], check=True)\n"
    )


def test_a_change_made_while_the_form_was_open_is_kept(isolated_env: str, tmp_path: Path) -> None:
    ok("add", "--title", "Old title", "--year", "2020")
    code = _meanwhile("edit 1 --title Meanwhile") + (
        'path.write_text(path.read_text().replace("year: 2020", "year: 2021"))'
    )
    ok("edit", "1", env=editor_env(tmp_path, code))
    paper = as_json("show", "1")
    assert (paper["title"], paper["year"]) == ("Meanwhile", 2021)


def test_a_real_conflict_is_refused_and_the_form_kept(isolated_env: str, tmp_path: Path) -> None:
    ok("add", "--title", "Old title", "--year", "2020")
    code = _meanwhile("edit 1 --title Meanwhile") + (
        'path.write_text(path.read_text().replace("title: Old title", "title: Mine"))'
    )
    result = run("edit", "1", env=editor_env(tmp_path, code))
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert message.startswith("Error: title of [1] Meanwhile changed while the form was open")
    kept = Path(message.rsplit(" ", 1)[-1])
    assert "title: Mine" in kept.read_text()
    kept.unlink()
    assert as_json("show", "1")["title"] == "Meanwhile"


def test_note_edit_keeps_a_paragraph_added_meanwhile(tmp_path: Path) -> None:
    ok("add", "--title", "A paper", "--year", "2020")
    ok("note", "1", "first thought")
    code = _meanwhile("note 1 added-meanwhile") + (
        "path.write_text(path.read_text().replace('first thought', 'first thought, edited'))"
    )
    ok("note", "1", "--edit", env=editor_env(tmp_path, code))
    note = as_json("show", "1")["note"]
    assert note.split("\n\n")[0].endswith("first thought, edited")
    assert note.split("\n\n")[1].endswith("added-meanwhile")


def test_note_edit_refuses_a_note_rewritten_meanwhile(tmp_path: Path) -> None:
    ok("add", "--title", "A paper", "--year", "2020")
    ok("note", "1", "first thought")
    code = _meanwhile("note 1 --replace rewritten") + "path.write_text('mine')"
    result = run("note", "1", "--edit", env=editor_env(tmp_path, code))
    assert result.exit_code == 1
    assert "changed while you edited it" in result.stderr
    kept = Path(result.stderr.strip().rsplit(" ", 1)[-1])
    assert kept.read_text() == "mine"
    kept.unlink()
    assert as_json("show", "1")["note"] == "rewritten"

"""A bug is one line, not a traceback, and the step it broke leaves the library as it was;
PAPERTRAIL_DEBUG=1 shows the traceback for a report."""

from __future__ import annotations

from pathlib import Path

import pytest

from papertrail import importers
from tests.support.cli import add_offline, as_json, run


def _breaks_on_second_file(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importers.parse_file
    calls: list[Path] = []

    def parse_file(path: Path, *args: object, **kwargs: object) -> object:
        calls.append(path)
        if len(calls) == 2:
            raise IndexError("list index out of range")
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importers, "parse_file", parse_file)


def test_a_bug_is_one_error_line_and_the_import_is_undone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_offline("2101.00001")
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.write_text("## Vision\n\n- [A paper](https://arxiv.org/abs/2201.00002)\n")
    second.write_text("## Sound\n\n- [B paper](https://arxiv.org/abs/2201.00003)\n")
    _breaks_on_second_file(monkeypatch)
    result = run("import", str(first), str(second))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: internal error, please report it (IndexError: list index out of range); "
        "PAPERTRAIL_DEBUG=1 shows where it happened\n"
    )
    assert [p["arxiv_id"] for p in as_json("list")] == ["2101.00001"]  # a.md's paper undone


def test_papertrail_debug_shows_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.write_text("- [A paper](https://arxiv.org/abs/2201.00002)\n")
    second.write_text("- [B paper](https://arxiv.org/abs/2201.00003)\n")
    _breaks_on_second_file(monkeypatch)
    monkeypatch.setenv("PAPERTRAIL_DEBUG", "1")
    with pytest.raises(IndexError):
        run("import", str(first), str(second))

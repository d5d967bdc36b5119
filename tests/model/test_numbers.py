"""Numbers from outside: one bounded rule (model/numbers.py), and what it keeps out."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papertrail.model.numbers import seconds, whole_number
from tests.support.cli import as_json, ok


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2017, 2017), ("2017", 2017), (" 2017 ", 2017), (2017.0, 2017), ("-3", None),
        ("99999999999999999999", None), (99999999999999999999, None), (1e400, None),
        (float("nan"), None), ("1e400", None), ("²", None), ("٢٠١٧", None), (True, None),
        (2017.5, None), ("", None), (None, None), ([2017], None), ("0" * 10_000, None),
    ],
)  # fmt: skip
def test_a_whole_number_in_range_or_none(value: object, expected: int | None) -> None:
    assert whole_number(value, 1, 9999) == expected


@given(st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none()))
def test_never_an_exception_never_out_of_range(value: object) -> None:
    found = whole_number(value, -5, 5)
    assert found is None or -5 <= found <= 5
    assert seconds(value, 60) is None or 0 <= seconds(value, 60) <= 60  # type: ignore[operator]


@pytest.mark.usefixtures("backend")
def test_csl_json_years_from_another_world_are_no_years(tmp_path: Path) -> None:
    # As a file holds them: numbers JSON reads as a 20-digit int, an infinite float.
    issued = ["99999999999999999999", "1e400", '"²⁰²³"', "2023, 13, 5"]
    titles = ["Huge", "Infinite", "Unicode", "Fine"]
    items = ", ".join(
        f'{{"id": "{t}", "type": "article", "title": "{t}", '
        f'"issued": {{"date-parts": [[{parts}]]}}}}'
        for t, parts in zip(titles, issued, strict=True)
    )
    path = tmp_path / "items.json"
    path.write_text(f"[{items}]", encoding="utf-8")
    ok("import", "--format", "csl-json", str(path))
    assert {p["title"]: p["year"] for p in as_json("list")} == {
        "Huge": None,
        "Infinite": None,
        "Unicode": None,
        "Fine": 2023,
    }

"""`export`: the filters of `list`, and --output replacing the file it names without a
partial file left over (what each format writes: tests/exporters/; where --output may
point: tests/reliability/test_export_output.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import ok
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


def test_export_with_filters_and_atomic_output(tmp_path: Path) -> None:
    ok("import", str(DATA / "library.json"))
    target = tmp_path / "q.json"
    target.write_text("previous export", encoding="utf-8")
    ok("export", "--topic", "quantization", "--output", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [p["arxiv_id"] for p in data["papers"]] == ["1510.00149", "1602.02830"]
    assert {t["slug"] for t in data["topics"]} == {"quantization", "binary-quantization", "pruning"}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []

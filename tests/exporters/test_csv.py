"""CSV out: the columns of `list --json`, filters applied."""

from __future__ import annotations

import csv
import io

import pytest

from tests.support.cli import ok
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


def test_csv_export_has_the_json_columns() -> None:
    ok("import", str(DATA / "library.json"))
    rows = list(csv.DictReader(io.StringIO(ok("export", "--format", "csv", "--status", "read"))))
    assert [r["arxiv_id"] for r in rows] == ["1510.00149", ""]
    assert rows[0]["authors"] == "Song Han; Huizi Mao; William J. Dally"
    assert rows[0]["note"] == "三步：剪枝、量化、哈夫曼编码"

"""CSL-JSON out: what Zotero gave comes back out field for field, and imports again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import as_json, ok
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures("backend")


def test_csl_json_round_trips(tmp_path: Path) -> None:
    ok("import", str(DATA / "zotero.csl.json"))
    exported = tmp_path / "again.json"
    ok("export", "--format", "csl-json", "--output", str(exported))
    items = {item["id"]: item for item in json.loads(exported.read_text(encoding="utf-8"))}
    source = {item["id"]: item for item in json.loads((DATA / "zotero.csl.json").read_text())}
    assert set(items) == set(source)
    for key, item in source.items():
        assert items[key]["type"] == item["type"], key
        assert items[key]["author"] == item["author"], key
        assert items[key]["issued"]["date-parts"][0][0] == int(item["issued"]["date-parts"][0][0])
        for name in ("container-title", "volume", "issue", "page", "publisher", "URL"):
            assert items[key].get(name) == item.get(name), (key, name)
    fresh = tmp_path / "fresh.db"
    ok("--db", str(fresh), "import", str(exported))
    again = json.loads(ok("--db", str(fresh), "list", "--json"))
    original = as_json("list")
    for paper in (*again, *original):
        del paper["added_at"]
    assert again == original


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("LeCun, Yann", {"family": "LeCun", "given": "Yann"}),
        ("Yann LeCun", {"given": "Yann", "family": "LeCun"}),
        ("van der Maaten, Laurens",
         {"given": "Laurens", "family": "Maaten", "non-dropping-particle": "van der"}),
        ("Laurens van der Maaten",
         {"given": "Laurens", "family": "Maaten", "non-dropping-particle": "van der"}),
        ("King, Jr., Martin Luther",
         {"given": "Martin Luther", "family": "King", "suffix": "Jr."}),
        ("Procter and Gamble", {"literal": "Procter and Gamble"}),
        ("Plato", {"family": "Plato"}),
    ],
)  # fmt: skip
def test_names_split_into_family_and_given(name: str, person: dict[str, str]) -> None:
    from papertrail.exporters.csl_json import _person

    assert _person(name) == person

"""`remove`: it asks before removing, and off a terminal only --yes removes."""

from __future__ import annotations

import pytest

from tests.support.cli import add_offline, as_json, ok, run

pytestmark = pytest.mark.usefixtures("backend")


def test_remove_needs_yes_off_a_terminal() -> None:
    add_offline("1510.00149", "1602.01528")
    refused = run("remove", "1")
    assert refused.exit_code == 2
    assert len(as_json("list")) == 2
    ok("remove", "1", "--yes")
    assert [p["arxiv_id"] for p in as_json("list")] == ["1602.01528"]

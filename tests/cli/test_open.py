"""`open`: a paper's abstract page or PDF in the browser, web addresses only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.helpers import raw_execute
from tests.support.cli import add_offline, as_json, ok, run

pytestmark = pytest.mark.usefixtures("backend")


def test_open_hands_only_web_addresses_to_the_browser(
    monkeypatch: pytest.MonkeyPatch, isolated_env: str
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    add_offline("1510.00149")
    ok("open", "1510.00149")
    ok("open", "1", "--pdf")
    refused = run("add", "--title", "Local file", "--url", "file:///etc/passwd")
    assert refused.exit_code == 2 and "--url must be a web address" in refused.stderr
    ok("add", "--title", "Local file", "--url", "https://example.org/local")
    raw_execute(isolated_env, "UPDATE paper SET url = 'file:///etc/passwd' WHERE id = 2")
    result = run("open", "2")  # a link stored before links were checked
    assert result.exit_code == 1 and "only http and https" in result.stderr
    assert opened == ["https://arxiv.org/abs/1510.00149", "https://arxiv.org/pdf/1510.00149"]


def test_a_link_from_any_source_is_stored_only_when_it_is_a_web_address(
    tmp_path: Path,
) -> None:
    bib = tmp_path / "links.bib"
    bib.write_text(
        "@misc{a, title = {Scripted}, url = {javascript:alert(1)}, year = 2020}\n"
        "@misc{b, title = {Kept}, url = {https://example.org/kept}, year = 2020}\n",
        encoding="utf-8",
    )
    ok("import", str(bib))
    assert [(p["title"], p["url"]) for p in as_json("list")] == [
        ("Scripted", None), ("Kept", "https://example.org/kept"),
    ]  # fmt: skip
    assert "javascript" not in ok("export", "--format", "markdown")

"""`open`: a paper's abstract page or PDF in the browser, web addresses only."""

from __future__ import annotations

import pytest

from tests.support.cli import add_offline, ok, run

pytestmark = pytest.mark.usefixtures("backend")


def test_open_hands_only_web_addresses_to_the_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    add_offline("1510.00149")
    ok("open", "1510.00149")
    ok("open", "1", "--pdf")
    ok("add", "--title", "Local file", "--url", "file:///etc/passwd")
    result = run("open", "2")
    assert result.exit_code == 1 and "only http and https" in result.stderr
    assert opened == ["https://arxiv.org/abs/1510.00149", "https://arxiv.org/pdf/1510.00149"]

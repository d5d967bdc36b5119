"""Fixtures for the reliability suite: a local arXiv stand-in wired into the environment."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.arxiv_stub import ArxivStub


@pytest.fixture
def arxiv(monkeypatch: pytest.MonkeyPatch) -> Iterator[ArxivStub]:
    """The stub as papertrail's arXiv: online, no delay, retries bounded by the client."""
    with ArxivStub(hang_seconds=1) as stub:
        monkeypatch.setenv("PAPERTRAIL_ARXIV_API", stub.url)
        monkeypatch.delenv("PAPERTRAIL_OFFLINE", raising=False)
        yield stub

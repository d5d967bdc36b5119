"""Fixtures for the CLI tests (tests/conftest.py gives every test its own library)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.arxiv_stub import ArxivStub
from tests.support.services_stub import ServicesWorld


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[ServicesWorld]:
    """Crossref, Semantic Scholar, OpenAlex, DBLP and arXiv on one local server (see
    tests/support/services_stub.py), papertrail online and pointed at it."""
    with ArxivStub() as stub:
        services = ServicesWorld(stub)
        for name, value in services.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("PAPERTRAIL_OFFLINE")
        yield services

"""Real answers of Crossref, Semantic Scholar, OpenAlex and DBLP, recorded in
../shared/fixtures (the test skips, saying why, when ../shared is absent)."""

from __future__ import annotations

from tests.support.shared import require_shared

# The DOI of the recorded Crossref work most tests add (a PLoS ONE article).
PLOS = "10.1371/journal.pone.0033693"


def crossref(name: str) -> bytes:
    return (require_shared("fixtures", "crossref") / name).read_bytes()


def s2(name: str) -> bytes:
    return (require_shared("fixtures", "semanticscholar") / name).read_bytes()


def openalex(name: str) -> bytes:
    return (require_shared("fixtures", "openalex") / name).read_bytes()


def dblp(name: str) -> bytes:
    return (require_shared("fixtures", "dblp") / name).read_bytes()

"""Locate ../shared (seed lists, real reading lists, recorded arXiv responses).

The files are never copied into the project: tests that need them find the folder next
to the checkout (or at $PAPERTRAIL_SHARED) and skip with a clear reason when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parents[2]


def shared_dir() -> Path | None:
    candidates = [os.environ.get("PAPERTRAIL_SHARED"), _ROOT.parent / "shared"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "fixtures" / "arxiv").is_dir():
            return Path(candidate)
    return None


def require_shared(*parts: str) -> Path:
    """The path under ../shared, or skip the test saying why."""
    base = shared_dir()
    if base is None:
        pytest.skip(
            "../shared is absent (the seed lists, reading lists and recorded arXiv "
            "responses live there; set PAPERTRAIL_SHARED to its path to run this test)"
        )
    path = base.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent from ../shared")
    return path

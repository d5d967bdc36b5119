"""Where the tests' own files are: tests/data (fixtures written for the tests) and the
checkout around them, wherever a test module sits in the tests/ tree."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).parents[1]
DATA = TESTS / "data"  # small fixtures written for these tests
ROOT = TESTS.parent  # the checkout: data/seed.json, scripts/, src/

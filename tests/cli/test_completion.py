"""Shell completion from the library (issue 26): topics, tags, REFs, categories, feed
numbers, as bash asks for them (a fresh process, `_PAPERTRAIL_COMPLETE=complete_bash`)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support.cli import as_json, ok

pytestmark = pytest.mark.usefixtures("backend")


def complete(*words: str) -> list[str]:
    line = " ".join(["papertrail", *words])
    done = subprocess.run(
        [sys.executable, "-m", "papertrail"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "_PAPERTRAIL_COMPLETE": "complete_bash", "COMP_WORDS": line,
             "COMP_CWORD": str(len(words))},
    )  # fmt: skip
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout.split()


def test_completion_knows_the_library(isolated_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERTRAIL_DB", isolated_env)  # the subprocess reads this library
    ok("add", "--title", "Pruning", "--url", "https://e.org/p", "-t", "pruning")
    ok("add", "--title", "Quantizing", "--url", "https://e.org/q", "-t", "quantization")
    ok("feed", "add", "cs.LG")
    assert complete("list", "--topic", "pr") == ["pruning"]
    assert complete("tag", "-t", "qu") == ["quantization"]
    keys = [p["citation_key"] for p in as_json("list")]
    assert complete("show", "") == ["2", keys[1], "1", keys[0]]  # the newest first
    assert complete("feed", "add", "cs.L") == ["cs.LG", "cs.LO"]
    assert complete("feed", "remove", "") == ["1"]
    assert complete("list", "--tag", "x") == []


def test_completion_without_a_library_completes_nothing(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERTRAIL_DB", f"{tmp_path}/none.db")
    assert complete("list", "--topic", "pr") == []

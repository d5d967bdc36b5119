"""Run papertrail's real CLI in-process (Typer's CliRunner) or as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from papertrail.cli import app

_runner = CliRunner()


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Any:
    """Invoke the CLI; the result has .exit_code, .stdout and .stderr."""
    return _runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)


def ok(*args: str, **kwargs: Any) -> str:
    """Invoke and insist on success; return stdout."""
    result = run(*args, **kwargs)
    assert result.exit_code == 0, (
        f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    )
    return result.stdout


def as_json(*args: str) -> Any:
    return json.loads(ok(*args, "--json"))


def import_text(folder: Path, text: str, name: str = "list.md") -> list[dict]:
    """Write a reading list, import it through the CLI, return `list --json`."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    ok("import", str(path))
    return as_json("list")


def by_title(papers: list[dict]) -> dict[str, dict]:
    return {p["title"]: p for p in papers}


def add_offline(*refs: str, topic: str | None = None) -> str:
    """`add REF... --no-fetch [--topic TOPIC]`: papers without metadata, no network."""
    args = ["add", *refs, "--no-fetch"]
    if topic:
        args += ["--topic", topic]
    return ok(*args)


def by_key() -> dict[str, dict]:
    """The library's papers by citation key, as `list --json` gives them."""
    return {p["citation_key"]: p for p in as_json("list")}


def run_process(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """The installed entry point in a fresh interpreter, as a user's shell runs it."""
    return subprocess.run(
        [sys.executable, "-m", "papertrail", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )

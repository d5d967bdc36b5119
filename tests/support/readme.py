"""README's command output kept true: the ```console blocks after a `<!-- checked -->` line
are run, in order, on one fresh library (offline, the bundled seed and what the commands
add), and what each command prints is compared with what README shows under it.

    python scripts/readme_check.py           # say which blocks differ
    python scripts/readme_check.py --write   # record the real output into README.md

A command's output is its stdout and stderr as a user sees them (`2>&1`), piped (tab-
separated lines; the blocks README shows as tables are not checked). Times of day are
compared as `<time>`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MARKER = "<!-- checked -->"
ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?Z?")


@dataclass
class Step:
    command: str
    expected: list[str] = field(default_factory=list)
    actual: list[str] = field(default_factory=list)


@dataclass
class Block:
    start: int  # the line of its ```console, 0-based
    end: int  # the line of its closing ```
    steps: list[Step] = field(default_factory=list)


def blocks(lines: list[str]) -> list[Block]:
    found = []
    for index, line in enumerate(lines):
        if line.strip() != MARKER or not lines[index + 1].startswith("```console"):
            continue
        start = index + 1
        end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("```"))
        block = Block(start, end)
        for text in lines[start + 1 : end]:
            if text.startswith("$ "):
                block.steps.append(Step(text[2:]))
            elif block.steps:
                block.steps[-1].expected.append(text)
        for step in block.steps:
            while step.expected and not step.expected[-1].strip():
                step.expected.pop()
        found.append(block)
    return found


def normal(lines: list[str]) -> list[str]:
    return [_TIME.sub("<time>", line.rstrip()) for line in lines]


def run_all(found: list[Block]) -> None:
    """Run every step on one fresh library, in a shell (pipes work as in README)."""
    home = Path(tempfile.mkdtemp(prefix="papertrail-readme-"))
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PAPERTRAIL_")},
        "PAPERTRAIL_DB": str(home / "library.db"),
        "PAPERTRAIL_OFFLINE": "1",
        "PAPERTRAIL_CONFIG": str(home / "config.toml"),
        "PAPERTRAIL_TERMINAL": "0",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "COLUMNS": "100",
    }
    for block in found:
        for step in block.steps:
            done = subprocess.run(
                ["bash", "-c", step.command + " 2>&1"],
                capture_output=True, text=True, env=env, timeout=120, cwd=home,
            )  # fmt: skip
            step.actual = done.stdout.rstrip("\n").split("\n") if done.stdout.strip() else []


def differences(found: list[Block]) -> list[str]:
    return [
        f"$ {step.command}\n  README: {step.expected}\n  real:   {step.actual}"
        for block in found
        for step in block.steps
        if normal(step.expected) != normal(step.actual)
    ]


def rewrite(lines: list[str], found: list[Block]) -> list[str]:
    """README with each checked block's output as it really is."""
    out = list(lines)
    for block in reversed(found):
        body: list[str] = []
        for index, step in enumerate(block.steps):
            if index:
                body.append("")
            body += [f"$ {step.command}", *step.actual]
        out[block.start + 1 : block.end] = body
    return out

"""What a new user gets: shell completion, and a wheel that carries the seed."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from papertrail.db.migrations import HEAD

ROOT = Path(__file__).parents[1]


def test_shell_completion_script_completes_commands() -> None:
    # Typer finds the shell among the parent processes: run from bash, as a user would (a
    # test run started in the background may have no shell above it at all). Two commands,
    # so that bash stays the parent instead of exec-ing the only one.
    command = f"{shlex.quote(sys.executable)} -m papertrail --show-completion; exit $?"
    script = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60)
    assert script.returncode == 0, script.stderr
    assert "_papertrail_completion" in script.stdout
    completed = subprocess.run(
        [sys.executable, "-m", "papertrail"],
        capture_output=True, text=True, timeout=30,
        env={**os.environ, "_PAPERTRAIL_COMPLETE": "complete_bash",
             "COMP_WORDS": "papertrail mark-", "COMP_CWORD": "1"},
    )  # fmt: skip
    assert {"mark-read", "mark-reading", "mark-unread"} <= set(completed.stdout.split())


@pytest.mark.slow
def test_the_wheel_ships_the_seed_and_the_migrations(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-2000:]
    [wheel] = tmp_path.glob("papertrail-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "papertrail/data/seed.json" in names
    assert {"papertrail/db/migrations/env.py", "papertrail/db/migrations/script.py.mako"} <= names
    assert any(n.startswith(f"papertrail/db/migrations/versions/{HEAD}") for n in names)
    assert "papertrail/db/schema.sqlite.sql" in names  # new libraries are created from it
    # `cite`'s CSL styles, with the notice of their licence (CC BY-SA).
    styles = {f"papertrail/data/csl/{name}.csl" for name in ("apa", "ieee", "chicago-author-date")}
    assert styles | {"papertrail/data/csl/README.md"} <= names
    seed = json.loads(zipfile.ZipFile(wheel).read("papertrail/data/seed.json"))
    assert seed == json.loads((ROOT / "data" / "seed.json").read_text(encoding="utf-8"))

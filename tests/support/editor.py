"""A scripted $VISUAL for tests of the commands that open an editor."""

from __future__ import annotations

import sys
from pathlib import Path


def editor_env(tmp_path: Path, code: str) -> dict[str, str]:
    """Environment whose editor runs `code` with `path` bound to the file being edited."""
    script = tmp_path / "editor.py"
    script.write_text(f"import sys, pathlib\npath = pathlib.Path(sys.argv[1])\n{code}\n")
    return {"VISUAL": f"{sys.executable} {script}", "EDITOR": ""}

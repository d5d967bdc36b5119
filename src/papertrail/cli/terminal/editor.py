"""Text edited in the user's editor: $VISUAL, then $EDITOR, then vi.

(Typer vendors only part of Click, without `click.edit`; this is the part we need.)
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from papertrail.errors import UsageError


def editor_command() -> list[str]:
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            try:
                return shlex.split(value)
            except ValueError as error:
                raise UsageError(f"${name} cannot be read as a command: {error}") from None
    return ["vi"]


def edit_text(text: str, *, suffix: str = ".txt") -> str:
    """The text as the user left it in the editor (the same text if they changed nothing)."""
    command = editor_command()
    with tempfile.TemporaryDirectory(prefix="papertrail-") as folder:
        path = Path(folder) / f"edit{suffix}"
        path.write_text(text, encoding="utf-8")
        try:
            finished = subprocess.run([*command, str(path)], check=False)
        except OSError as error:
            raise UsageError(
                f"could not run the editor {command[0]!r}: {error.strerror or error}"
            ) from None
        if finished.returncode != 0:
            raise UsageError(
                f"the editor {command[0]!r} failed (exit {finished.returncode}); nothing changed"
            )
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read back the edited text: {error}") from None


def kept_in_file(text: str) -> str:
    """Save what the user typed that could not be applied; say where it is (never lost)."""
    handle, name = tempfile.mkstemp(prefix="papertrail-edit-", suffix=".txt")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    return f"what you typed is kept in {name}"

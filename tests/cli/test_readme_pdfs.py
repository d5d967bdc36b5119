"""README's PDF section shows what the commands print: its console block is replayed on a
fresh library, with the local stand-in for arXiv serving the real papers of
../shared/fixtures/pdfs (README says so above the block), and each command's output must
be the lines README shows under it (paths written for /home/me)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.cli.test_fetch_pdf import serve
from tests.support.arxiv_stub import ArxivStub
from tests.support.cli import as_json, ok, run
from tests.support.paths import ROOT
from tests.support.pdfs import fixtures

HEADING = "### The papers themselves: PDFs stored, identified, opened, searched"


def readme_block() -> dict[str, list[str]]:
    """The section's first console block: each `$ command` (its comment off) -> the lines
    README shows under it."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").split("\n")
    start = lines.index("```console", lines.index(HEADING))
    steps: dict[str, list[str]] = {}
    command = ""
    for line in lines[start + 1 : lines.index("```", start + 1)]:
        if line.startswith("$ "):
            command = line[2:].split("  #")[0].strip()
            steps[command] = []
        elif line.strip():
            steps[command].append(line)
    return steps


def shown(result_stdout: str, result_stderr: str = "") -> list[str]:
    return result_stdout.splitlines() + result_stderr.splitlines()


def test_the_pdf_section_shows_real_output(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = fixtures()
    steps = readme_block()
    serve(arxiv, {
        "1510.00149": (200, (folder / "01-deep-compression-arxiv.pdf").read_bytes()),
        "1606.04934": (200, (folder / "11-arxiv-html-not-pdf.pdf").read_bytes()),
    }, monkeypatch)  # fmt: skip
    added = ok("add", "--no-fetch", "1510.00149", "1606.04934")
    assert shown(added) == steps["papertrail add --no-fetch 1510.00149 1606.04934"]
    fetched = run("fetch", "--pdf")
    assert shown(fetched.stdout, fetched.stderr) == steps["papertrail fetch --pdf"]

    papers = tmp_path / "papers"  # README's ~/papers/: the other real papers
    papers.mkdir()
    for path in sorted(folder.glob("*.pdf")):
        if path.name[:2] in {f"{n:02d}" for n in range(2, 11)}:
            (papers / path.name).symlink_to(path)
    monkeypatch.setenv("PAPERTRAIL_OFFLINE", "1")
    imported = run("import", str(papers))
    assert (
        shown(imported.stdout, imported.stderr)
        == steps["PAPERTRAIL_OFFLINE=1 papertrail import ~/papers/"]
    )
    assert (
        shown(ok("find", "ladder", "decomposition"))
        == steps["papertrail find ladder decomposition"]
    )

    (hit,) = as_json("find", '"quantum Turing machines"')
    (line,) = steps["papertrail find '\"quantum Turing machines\"' --json"][1:2]
    assert line.startswith(f'  {{"id": {hit["id"]}, "arxiv_id": "{hit["arxiv_id"]}"')
    first = json.dumps(hit["pages"][0], ensure_ascii=False)
    assert f'"pages": [{first}, ' in line

    home = Path.home()
    monkeypatch.setenv("PAPERTRAIL_OPENER", f"{sys.executable} -c pass")
    opened = ok("open", "3").replace(str(home / "cache"), "/home/me/.cache")
    assert shown(opened) == steps["papertrail open 3"]
    files = [line for line in shown(ok("show", "1")) if "File:" in line]
    assert files == steps["papertrail show 1 | grep File:"]

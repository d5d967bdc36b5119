"""Daily use at the scale of a real library (issue 26): the seed lists of ../shared/seeds and
every reading list of ../shared/reading-lists (markdown/ and bib/), each imported under a
topic of its own as a user does. The topic tree stays readable (keywords are tags, headings
go under the list's topic) and `stats` shows each section in one screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.cli import as_json, ok
from tests.support.shared import require_shared

pytestmark = pytest.mark.usefixtures("backend")

SCREEN = 40  # lines: what "one screen" means here (a laptop terminal shows 40 to 50)


def reading_lists() -> list[tuple[Path, list[str]]]:
    """(file, import options) for every file a user would import: the seeds as markdown."""
    seeds = sorted(require_shared("seeds").glob("*.txt"))
    lists = sorted(require_shared("reading-lists", "markdown").iterdir())
    lists += sorted(require_shared("reading-lists", "bib").iterdir())
    found = [(path, ["-f", "markdown", "-t", "seeds"]) for path in seeds]
    for path in lists:  # `-t bradyfu` for BradyFU__Awesome-...: one topic per list
        found.append((path, ["-t", path.name.split("__")[0].lower()]))
    return found


def build_library() -> int:
    for path, options in reading_lists():
        ok("import", str(path), *options)
    return len(as_json("list"))


def sections(text: str) -> dict[str, list[str]]:
    """`stats` text as its sections: title -> lines."""
    found: dict[str, list[str]] = {}
    title = ""
    for line in text.splitlines():
        if line and not line.startswith(" "):
            title = line
            found[title] = []
        elif line.strip():
            found[title].append(line)
    return found


def test_topics_and_stats_stay_readable_on_a_real_library() -> None:
    papers = build_library()
    assert papers > 1000
    topics = ok("topics").splitlines()
    assert len(topics) < 200, f"{len(topics)} topics"
    # Keywords are tags: MSC codes and the like never become topics.
    assert not [line for line in topics if re.match(r"\d\d[a-z]\d\d", line)]
    assert len(ok("tags").splitlines()) > 100
    tree = ok("topics", env={"PAPERTRAIL_TERMINAL": "1", "COLUMNS": "100"}).splitlines()
    assert len(tree) < 200
    for title, lines in sections(ok("stats")).items():
        assert len(lines) <= SCREEN, f"{title}: {len(lines)} lines"
    drawn = ok("--no-pager", "stats", env={"PAPERTRAIL_TERMINAL": "1", "COLUMNS": "100"})
    assert len(drawn.splitlines()) <= 3 * SCREEN
    # Every list's papers are found under its topic, headings included.
    listed = ok("list", "-t", "bradyfu", "-n", "2", env={"PAPERTRAIL_TERMINAL": "1"})
    assert re.search(rf"2 of \d+ matching \({papers} in library\)", listed)

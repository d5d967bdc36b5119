"""README's command output stays true (tests/support/readme.py): the blocks marked
`<!-- checked -->` are run on a fresh library and must print what README shows.
`python scripts/readme_check.py --write` records them after a deliberate change."""

from __future__ import annotations

from tests.support.readme import README, blocks, differences, run_all


def test_readme_shows_what_the_commands_print() -> None:
    found = blocks(README.read_text(encoding="utf-8").split("\n"))
    assert len(found) >= 3 and sum(len(b.steps) for b in found) >= 8
    run_all(found)
    problems = differences(found)
    assert not problems, "README differs (scripts/readme_check.py --write):\n" + "\n".join(problems)

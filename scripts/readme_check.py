"""Run README's checked command blocks and compare (or, with --write, record) their output.
See tests/support/readme.py."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.readme import README, blocks, differences, rewrite, run_all


def main() -> int:
    lines = README.read_text(encoding="utf-8").split("\n")
    found = blocks(lines)
    run_all(found)
    if "--write" in sys.argv[1:]:
        README.write_text("\n".join(rewrite(lines, found)), encoding="utf-8")
        print(f"Recorded {sum(len(b.steps) for b in found)} command(s) into README.md")
        return 0
    problems = differences(found)
    print("\n".join(problems) or "README's checked output is true.")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

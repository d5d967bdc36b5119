"""Markdown import speed: `parse_markdown` on 10,000 list items, against markdown-it-py alone.

The baseline is markdown-it-py parsing the same text (the floor: papertrail's importer
parses with it, then reads the token tree). Run from the project's virtualenv:

    python benchmarks/markdown_import.py [--items 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from markdown_it import MarkdownIt

from papertrail.importers.markdown import parse_markdown


def generated_list(items: int) -> str:
    """Label bullets, numbered citations, tables and bold titles with attribute bullets."""
    lines = ["# Generated reading list", ""]
    for n in range(items):
        if n % 500 == 0:
            lines += ["", f"## Topic {n // 500}", "", "| Title | Venue | Code |", "|--|--|--|"]
        arxiv_id = f"{10 + n % 15:02d}{1 + n % 12:02d}.{n:05d}"
        kind = n % 4
        if kind == 0:
            lines.append(f"| [**Paper {n}: a study of things**](https://arxiv.org/pdf/{arxiv_id}) "
                         f"| CVPR | [Code](https://github.com/x/y{n}) |")  # fmt: skip
        elif kind == 1:
            links = (
                f"[[paper](https://arxiv.org/abs/{arxiv_id})] [[code](https://github.com/x/{n})]"
            )
            lines += ["", f"- [2023/10] **Paper {n}: a study** *A. Author et al.* {links}"]
        elif kind == 2:
            lines += ["", f'**[{n}]** Doe, Jane, et al. "**Paper {n}**." arXiv:{arxiv_id} (2020).']
        else:
            lines += ["", f"**Paper {n}: bold title**", f"- Paper: https://arxiv.org/abs/{arxiv_id}",
                      f"- Code: https://github.com/x/{n}"]  # fmt: skip
    return "\n".join(lines)


def best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    text = generated_list(args.items)
    md = MarkdownIt("commonmark").enable("table")
    baseline = best_of(args.runs, lambda: md.parse(text))
    ours = best_of(args.runs, lambda: parse_markdown(text, "bench.md"))
    records = len(parse_markdown(text, "bench.md").records)
    print(f"{args.items} items ({len(text) / 1e6:.1f} MB), {records} records, best of {args.runs}:")
    print(f"  markdown-it-py parse alone  {baseline:6.2f} s CPU")
    print(f"  papertrail parse_markdown   {ours:6.2f} s CPU   ratio {ours / baseline:4.2f}")


if __name__ == "__main__":
    main()

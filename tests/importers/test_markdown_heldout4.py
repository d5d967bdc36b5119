"""Layouts of the fourth held-out set (issue 25): one general rule each, through the CLI.

Every list below was written for this test in the shape of real ones: a course syllabus
whose readings sit in kramdown's `<div markdown="1">`, a table title that opens with a
quotation, a personal note of references written out (APA, a mark before them, the link on
the next line), and a list of accelerator papers by venue and year without a single link.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import as_json, by_title, import_text, ok


def test_readings_inside_a_kramdown_wrapper_are_read(tmp_path: Path) -> None:
    papers = by_title(
        import_text(
            tmp_path,
            "---\nlayout: default\n---\n\n## Lecture 3: Lifecycle\n\n"
            '<div class="required_reading" markdown="1">\n'
            "* [Hidden Technical Debt in Tide Systems](https://papers.nips.cc/paper/5656.pdf)\n"
            "</div>\n"
            '<div class="optional_reading" markdown="1">\n'
            "* [Context: The Missing Piece in the Tide\n"
            "Lifecycle](https://example.org/flor.pdf)\n"
            "</div>\n",
        )
    )
    assert set(papers) == {
        "Hidden Technical Debt in Tide Systems",
        "Context: The Missing Piece in the Tide Lifecycle",
    }
    assert papers["Context: The Missing Piece in the Tide Lifecycle"]["topics"] == [
        "lecture-3-lifecycle"
    ]


def test_a_title_that_opens_with_a_quotation_is_whole(tmp_path: Path) -> None:
    papers = import_text(
        tmp_path,
        "## Hallucination\n\n| Source | Title (Link) | Authors |\n|---|---|---|\n"
        '| UIST25 | ["This is My Fault", Really? Understanding Tide Watchers\' Perception]'
        "(https://doi.org/10.1145/3746059.3747597) | Yilin Tang, et al. |\n"
        '| CHI24 | ["Tides Everywhere," CHI 2024](https://doi.org/10.1145/3613904.3642001) '
        "| A. Author |\n",
    )
    assert sorted(p["title"] for p in papers) == [
        '"This is My Fault", Really? Understanding Tide Watchers\' Perception',
        "Tides Everywhere",  # a citation's quoted title: the venue and year follow
    ]


def test_references_written_out_in_a_note_give_their_titles(tmp_path: Path) -> None:
    papers = by_title(
        import_text(
            tmp_path,
            "# To-read: Tides\n\nParent: [[tides]]\n\n#tides #todo\n\n"
            "🟢 Suarez, L. E., Richards, B. A., & Misic, B. (2020). Learning function from "
            "structure in tidal networks. bioRxiv. https://www.biorxiv.org/content/10.1101/2020.11.10.350876\n\n"
            "Zheng, P., & Triesch, J. (2014). Robust development of tide chains from multiple "
            "plasticity mechanisms. Frontiers in computational neuroscience, 8, 66.\n"
            "https://www.frontiersin.org/articles/10.3389/fncom.2014.00066/full\n"
            "A review worth reading twice.\n\n"
            "Encoding innate tides through a genomic bottleneck. Alexei Koulakov, Sergey "
            "Shuvaev, Anthony Zador. 2021. https://www.biorxiv.org/content/10.1101/2021.03.16\n",
        )
    )
    assert set(papers) == {
        "Learning function from structure in tidal networks",
        "Robust development of tide chains from multiple plasticity mechanisms",
        "Encoding innate tides through a genomic bottleneck",  # title, people, year
    }
    zheng = papers["Robust development of tide chains from multiple plasticity mechanisms"]
    assert zheng["year"] == 2014


def test_a_list_of_papers_by_venue_and_year_needs_no_links(tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    path.write_text(
        "# Tides on Silicon\n\n## Conference Papers\n\n### 2017 ISCA\n"
        "- **Maximizing Tide Accelerator Efficiency Through Resource Partitioning.** "
        "(Stony Brook University)\n"
        "  - *An extension of their FPL'16 paper.*\n"
        "- **In-Datacenter Performance Analysis of a Tide Processing Unit.** (Google)\n"
        "- Understanding and Optimizing Asynchronous Low-Precision Tide Descent.\t(Stanford)\n"
        "- **SparseTide: Exploiting Dataflow Sparsity for Efficient Tide Training.**\n"
        "- 184QPS/W 64Mb/mm2 3D Logic-to-DRAM Hybrid Bonding for Tide Systems\n\n"
        "## Features\n\n- Supports many tide formats\n- Runs on every tide gauge\n"
        "- Exports to every tide table\n",
        encoding="utf-8",
    )
    ok("import", str(path))
    papers = by_title(as_json("list"))
    assert set(papers) == {
        "Maximizing Tide Accelerator Efficiency Through Resource Partitioning",
        "In-Datacenter Performance Analysis of a Tide Processing Unit",
        "Understanding and Optimizing Asynchronous Low-Precision Tide Descent",
        "SparseTide: Exploiting Dataflow Sparsity for Efficient Tide Training",
        "184QPS/W 64Mb/mm2 3D Logic-to-DRAM Hybrid Bonding for Tide Systems",
    }  # not the features: no heading gives them a year
    assert {p["year"] for p in papers.values()} == {2017}
    note = papers["Maximizing Tide Accelerator Efficiency Through Resource Partitioning"]
    assert note["note"] == "An extension of their FPL'16 paper."  # the remark under it


def test_a_quotation_that_ends_a_title_keeps_its_closing_mark(tmp_path: Path) -> None:
    papers = import_text(
        tmp_path,
        "## Theory\n\n* [Another Look at “Provable Security”](https://eprint.iacr.org/2004/152.pdf)"
        " - Inquiries into formalism, by Neal Koblitz et al.\n"
        "* [“Sequence to Tides”](https://example.org/s2t.pdf)\n",
    )
    assert sorted(p["title"] for p in papers) == [
        "Another Look at “Provable Security”",
        "Sequence to Tides",  # the list's own quotes around a title go
    ]


def test_a_plan_or_a_changelog_under_a_year_is_no_list_of_papers(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(
        "# Team notes\n\n## Goals for 2025\n\n- Ship the new tide dashboard\n"
        "- Hire two tide engineers\n- Migrate billing to Stripe\n\n"
        "### v2.0 (2023)\n\n- Added support for Python 3.12\n- Support Zotero sync\n"
        "- Faster tide imports everywhere\n\n"
        "Smith, J., & Doe, A. (2021). Our lab retreat was a great success. Photos are on "
        "https://photos.example.org/retreat and the [slides](https://slides.example.org/r).\n",
        encoding="utf-8",
    )
    assert "0 added" in ok("import", str(path))

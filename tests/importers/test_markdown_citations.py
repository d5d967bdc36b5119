"""Layouts found on held-out lists (issue 25): what a reader sees comes in, through the CLI.

Each list below was written for this test in the shape of a real one: citations without a
link, references written out under a project link, a title with its year after a comma,
tables whose Paper column holds venue links, a year-and-venue prefix, the paper link after
code links, a bold title line above its links and remarks.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import as_json, by_title, import_text


def test_citations_without_a_link_are_papers_to_read(tmp_path: Path) -> None:
    papers = by_title(
        import_text(
            tmp_path,
            "## Learned indexes\n\n"
            "* The Case for Learned Index Structures (SIGMOD 2018)\n"
            "* Updatable Learned Index with Precise Positions (VLDB 2021) "
            "[Source code](https://github.com/example/lipp)\n"
            '* [**CVPR\'2025**] ***"Learning Robust Trackers for Small Drones"***, Ann Lee, '
            "and Bo Chen.\n"
            "* Notes on what to read next (usually from the section below, 2016)\n"
            '* **2016** :  +60 citations or "More Papers from 2016"\n',
        )
    )
    assert set(papers) == {
        "The Case for Learned Index Structures",
        "Updatable Learned Index with Precise Positions",
        "Learning Robust Trackers for Small Drones",
    }
    assert papers["The Case for Learned Index Structures"]["year"] == 2018
    assert papers["Learning Robust Trackers for Small Drones"]["year"] == 2025
    assert all(p["url"] is None for p in papers.values())


def test_references_written_out_under_a_project_link(tmp_path: Path) -> None:
    papers = import_text(
        tmp_path,
        "## Monocular\n\n"
        "- [SLAMKit](https://github.com/example/slamkit). Available on ROS\n"
        "> A. Author, B. Writer. SLAMKit: A Library for Metric Mapping in Real Time. "
        "arXiv preprint arXiv:1910.02490.\n\n"
        "- [DSO](https://github.com/example/dso)\n"
        ">Sparse Direct Visual Odometry, J. Engel, V. Koltun, D. Cremers, ICCV '13\n"
        ">Loop Closure Detection for Large-Scale Graph-Based Mapping, 2014\n\n"
        "- [PTAM](https://github.com/example/ptam)\n"
        '> [1] Georg Klein and David Murray, "Parallel Tracking and Mapping for Small AR '
        'Workspaces", Proc. ISMAR 2007\n'
        "> Martin Runz and Lourdes Agapito. Co-Fusion: Real-time Segmentation, Tracking and "
        "Fusion of Multiple Objects. 2017 IEEE International Conference on Robotics.\n\n"
        "> In 2019, we showed that this works well, and it is fast.\n",
    )
    titles = {p["title"]: p["year"] for p in papers}
    assert titles == {
        "SLAMKit: A Library for Metric Mapping in Real Time": 2019,
        "Sparse Direct Visual Odometry": 2013,
        "Loop Closure Detection for Large-Scale Graph-Based Mapping": 2014,
        "Parallel Tracking and Mapping for Small AR Workspaces": 2007,
        "Co-Fusion: Real-time Segmentation, Tracking and Fusion of Multiple Objects": 2017,
    }


def test_titles_years_and_paper_links_as_a_reader_sees_them(tmp_path: Path) -> None:
    papers = by_title(
        import_text(
            tmp_path,
            "## Papers\n\n"
            "- [Automatic Library Fuzzing through API Relation Evolvement, 2025]"
            "(https://www.ndss-symposium.org/wp-content/uploads/2025-750-paper.pdf)\n"
            "- 2019-CVPR - Learning From Noisy Labels By Regularized Estimation. "
            "[[Paper]](https://openaccess.thecvf.com/content_CVPR_2019/html/Tanno.html)\n"
            "- 2019-Arxiv - ChoiceNet: Robust Learning by Revealing Output Correlations. "
            "[[Paper]]([https://openreview.net/forum?id=S1MQ6jCcK7]"
            "(https://openaccess.thecvf.com/content_CVPR_2020/html/Choi.html))\n"
            "- UniPAD: A Universal Pre-training Paradigm [[code]]([https://arxiv.org/abs/"
            "2310.08370](https://github.com/example/UniPAD))\n"
            "- Neuro-Symbolic Continual Learning: Knowledge, Reasoning Shortcuts and Concept "
            "Rehearsal (**ICML2023**)[[paper](https://proceedings.mlr.press/v202/m23a.pdf)]\n\n"
            "**Effective gene expression prediction from sequence** "
            "[[github](https://github.com/example/enformer)]"
            "[[tensorflow hub](https://tfhub.dev/example/enformer/1)]"
            "[[paper](https://www.biorxiv.org/content/10.1101/2021.04.07.438649v1)]\n\n"
            "**The Nucleotide Transformer: Foundation Models for Human Genomics**\n"
            "[[github](https://github.com/example/nt)]"
            "[[preprint](https://www.biorxiv.org/content/10.1101/2023.01.11.523679v1)]\n"
            "This is work from [Instadeep](https://www.instadeep.com), a consultancy.\n\n"
            "- [IEEE International Parallel & Distributed Processing Symposium (IPDPS)]"
            "(http://www.ipdps.org/), an international forum for engineers\n"
            "- [Meetup 10](https://www.meetup.com/Quantum-Physics-Drinks/) - Quantum Physics\n",
        )
    )
    assert set(papers) == {  # the venue's site and the meetup are no papers
        "Automatic Library Fuzzing through API Relation Evolvement",
        "UniPAD: A Universal Pre-training Paradigm",
        "Learning From Noisy Labels By Regularized Estimation",
        "ChoiceNet: Robust Learning by Revealing Output Correlations",
        "Neuro-Symbolic Continual Learning: Knowledge, Reasoning Shortcuts and Concept Rehearsal",
        "Effective gene expression prediction from sequence",
        "The Nucleotide Transformer: Foundation Models for Human Genomics",
    }
    assert papers["Learning From Noisy Labels By Regularized Estimation"]["year"] == 2019
    # Two links written as one address by mistake: the paper's (both are paper hosts here:
    # the first; an arXiv id in either is found).
    assert as_json("show", "2310.08370")["title"] == "UniPAD: A Universal Pre-training Paradigm"
    assert papers["ChoiceNet: Robust Learning by Revealing Output Correlations"]["url"] == (
        "https://openreview.net/forum?id=S1MQ6jCcK7"
    )
    assert papers["Effective gene expression prediction from sequence"]["url"] == (
        "https://www.biorxiv.org/content/10.1101/2021.04.07.438649v1"
    )
    assert papers["The Nucleotide Transformer: Foundation Models for Human Genomics"]["url"] == (
        "https://www.biorxiv.org/content/10.1101/2023.01.11.523679v1"
    )


def test_tables_of_models_with_venue_links(tmp_path: Path) -> None:
    papers = by_title(
        import_text(
            tmp_path,
            "## Models\n\n"
            "| Model | Date | Paper | Code |\n| --- | --- | --- | --- |\n"
            "| CellFM | 2025-05-20 | [Nature Communications](https://www.nature.com/articles/a1) "
            "| [GitHub](https://github.com/example/cellfm) |\n"
            "| scLong | 2026-02-05 | [Nature Communications](https://www.nature.com/articles/a2), "
            "[bioRxiv](https://www.biorxiv.org/content/10.1101/2024.11.09.622759v1) |  |\n"
            "| Lemur | 2025-02-08 | [bioRxiv](https://www.biorxiv.org/content/10.1101/2025.1) "
            "|  |\n"
            "| Geneformer | 2023-05 | [Nature](https://www.nature.com/articles/a3) |  |\n\n"
            "## Datasets\n\n"
            "| Date | Venue | Name | Paper |\n| --- | --- | --- | --- |\n"
            '| 2016-11 | FSE 2016 | BugAID | "Discovering Bug Patterns in JavaScript" '
            "[[paper](https://dl.acm.org/doi/10.1145/2950290.2950308)] |\n"
            '| 2019-04 | ICST 2019 | BugsJS | "BugsJS: a Benchmark of JavaScript Bugs" '
            "[[paper](https://ieeexplore.ieee.org/document/8730197)] |\n"
            '| 2022-10 | MSR 2022 | FixJS | "FixJS: a dataset of bug-fixing JavaScript commits" '
            "[[paper](https://dl.acm.org/doi/abs/10.1145/3524842.3528480)] |\n",
        )
    )
    assert set(papers) == {
        "CellFM",
        "scLong",
        "Lemur",
        "Geneformer",
        "Discovering Bug Patterns in JavaScript",
        "BugsJS: a Benchmark of JavaScript Bugs",
        "FixJS: a dataset of bug-fixing JavaScript commits",
    }
    assert papers["CellFM"]["url"] == "https://www.nature.com/articles/a1"
    assert papers["CellFM"]["year"] == 2025
    # The row's name is kept beside the paper's title.
    assert papers["Discovering Bug Patterns in JavaScript"]["note"] == "Also known as BugAID."


def test_a_list_title_and_repository_files_are_no_papers(tmp_path: Path) -> None:
    papers = import_text(
        tmp_path,
        "# [Paper List] AI4DB / ML4DB / Autonomous Database\n\n"
        "Paper list for database systems with machine learning.\n\n"
        "If you need a stable way to reach GitHub, try this [link](https://example.org/register)\n"
        "\n"
        "Table of Contents\n=================\n\n"
        "## Site\n\n"
        "- A simple contribution path through issues or edits to [`site/data.json`]"
        "(site/data.json)\n\n"
        "## Papers\n\n"
        "* The Case for Learned Index Structures (SIGMOD 2018)\n"
        "* [The Five-Minute Rule Ten Years Later](papers/5_min_rule_sigmod.pdf) (1997)\n",
    )
    assert sorted(p["title"] for p in papers) == [
        "The Case for Learned Index Structures",
        "The Five-Minute Rule Ten Years Later",
    ]


def test_a_lone_dated_note_is_no_citation(tmp_path: Path) -> None:
    papers = import_text(
        tmp_path,
        "## Notes\n\n- Meeting with Bob about the survey (Jan 2024)\n- buy milk\n\n"
        "## Papers\n\n- [Attention Is All You Need](https://arxiv.org/abs/1706.03762)\n"
        "- Meeting notes from the reading group (Feb 2024)\n",
    )
    # Alone in a list of notes, a dated line is a note; in a list of papers, a citation.
    assert sorted(p["title"] or p["arxiv_id"] for p in papers) == [
        "Attention Is All You Need",
        "Meeting notes from the reading group",
    ]

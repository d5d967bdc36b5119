"""Layouts of the second held-out set (issue 25): one general rule each, through the CLI.

Every list below was written for this test in the shape of the real ones: a venue after
the title (`, in *Venue* 2024.`, `, KDD'22.`), titles without an address in a list or a
table of papers, a short name before the bold title in a link's words, a row with more
cells than its header, and a mention in running text before the list.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import by_title, import_text


def test_a_venue_after_the_title_is_no_part_of_it(tmp_path: Path) -> None:
    papers = by_title(
        import_text(
            tmp_path,
            "## Surveys\n\n"
            "* Sorting Socks with Transformers: A Survey, in *arXiv* 2024. "
            "[\\[paper\\]](https://arxiv.org/abs/2402.00001)\n"
            "* Counting Clouds with Graphs, KDD'22. [\\[paper\\]](https://arxiv.org/abs/2201.00002)"
            " [\\[official code\\]](https://github.com/example/clouds)\n"
            "* Forecasting Tides at Scale, WWW 2018. [\\[paper\\]](https://arxiv.org/abs/1801.00003)\n"
            "* Lessons from GPT, in Practice [\\[paper\\]](https://arxiv.org/abs/2301.00004)\n",
        )
    )
    assert set(papers) == {
        "Sorting Socks with Transformers: A Survey",
        "Counting Clouds with Graphs",
        "Forecasting Tides at Scale",
        "Lessons from GPT, in Practice",
    }
    assert papers["Counting Clouds with Graphs"]["year"] == 2022


def test_titles_alone_in_a_list_of_papers_are_papers_to_read(tmp_path: Path) -> None:
    papers = by_title(
        import_text(
            tmp_path,
            "## Forecasting\n\n"
            "* Gentle Forecasting of Noisy Sensor Streams [\\[paper\\]]()\n"
            "* When Smoothing Hurts: Soft Constraints for Hierarchical Forecasts\n"
            "* Mixers for Long Horizons [\\[paper\\]](https://arxiv.org/abs/2306.00005)\n"
            "* Sparse Forecasters [\\[paper\\]]() [\\[official code\\]]()\n"
            "* Repository is now public!\n"
            "* Hierarchical Models\n"
            "    * [Tree Forecasting with Priors](https://arxiv.org/abs/2306.00006)\n\n"
            "## Chores\n\n"
            "* Buy milk for the team\n"
            "* Call Bob about the meeting room\n",
        )
    )
    assert set(papers) == {
        "Gentle Forecasting of Noisy Sensor Streams",
        "When Smoothing Hurts: Soft Constraints for Hierarchical Forecasts",
        "Mixers for Long Horizons",
        "Tree Forecasting with Priors",
    }
    assert papers["Gentle Forecasting of Noisy Sensor Streams"]["url"] is None


def test_rows_without_a_link_in_a_table_of_papers(tmp_path: Path) -> None:
    papers = by_title(
        import_text(
            tmp_path,
            "| Year | Articles | Code |\n|---|---|---|\n"
            "| 1987 | Connectionist models of melody | No |\n"
            "| 1989 | [Nets that compose chorales](http://www.jstor.org/stable/1234567) | No |\n"
            "| _Rhythm and meter_ |\n"
            "| 1990 | Learning to tap along with music | No |\n\n"
            "| Tool | What it does |\n|---|---|\n"
            "| Zotero Desktop App | Keeps references for papers |\n",
        )
    )
    assert set(papers) == {
        "Connectionist models of melody",
        "Nets that compose chorales",
        "Learning to tap along with music",
    }
    assert papers["Connectionist models of melody"]["year"] == 1987


def test_the_bold_words_of_a_link_are_its_title_the_name_before_them_an_alias(
    tmp_path: Path,
) -> None:
    papers = by_title(
        import_text(
            tmp_path,
            "| Paper | Venue | Date |\n|---|---|---|\n"
            "| [Grip-Net: **Learning to Grasp Mugs from Language**](https://arxiv.org/abs/2407.00007)"
            " | ECCV 2024 | 2024-07-18 |\n"
            "| [**A Survey of Robot Hands in the Kitchen**](https://arxiv.org/abs/2510.00008)"
            " | arXiv | 2025-10-27 |\n\n"
            "## More\n\n"
            "- [Toy Lab: **Orbit: A Simulator for Toy Robots**](https://arxiv.org/abs/2301.00009)\n",
        )
    )
    assert set(papers) == {
        "Learning to Grasp Mugs from Language",
        "A Survey of Robot Hands in the Kitchen",
        "Orbit: A Simulator for Toy Robots",
    }
    assert "Also known as Grip-Net." in (papers["Learning to Grasp Mugs from Language"]["note"])
    assert "Also known as Toy Lab." in (papers["Orbit: A Simulator for Toy Robots"]["note"])


def test_cells_beyond_the_header_are_read(tmp_path: Path) -> None:
    papers = by_title(
        import_text(
            tmp_path,
            "| Name | Venue | Paper |\n|---|---|---|\n"
            "| Prompted Lists for User Modelling | WWW 2025 | "
            "|[[Link]](https://arxiv.org/abs/2502.00010) |\n"
            "| Frozen Falcons Explain Recommendations | Falcon (40B) | Frozen | WSDM 2024 | "
            "[[Link]](https://arxiv.org/abs/2312.00011) |\n",
        )
    )
    assert {t: p["arxiv_id"] for t, p in papers.items()} == {
        "Prompted Lists for User Modelling": "2502.00010",
        "Frozen Falcons Explain Recommendations": "2312.00011",
    }


def test_in_running_text_a_links_words_name_only_that_link(tmp_path: Path) -> None:
    papers = import_text(
        tmp_path,
        "# Deep learning for bird song\n\n"
        "To add one, see the [How To Contribute](#how-to-contribute) section.\n"
        "There are surveys on [song generation](https://arxiv.org/pdf/1709.00012.pdf) already.\n\n"
        "## Papers\n\n"
        "| Year | Article |\n|---|---|\n"
        "| 2017 | [Song generation with deep nets - A survey]"
        "(https://arxiv.org/pdf/1709.00012.pdf) |\n"
        "| 2018 | [Birds that sing in tune](https://arxiv.org/abs/1801.00013) |\n\n"
        "## How To Contribute\n\nOpen a pull request.\n",
    )
    assert {p["arxiv_id"]: p["title"] for p in papers} == {
        "1709.00012": "Song generation with deep nets - A survey",
        "1801.00013": "Birds that sing in tune",
    }


def test_the_lists_own_paper_named_under_citation_is_a_paper(tmp_path: Path) -> None:
    papers = import_text(
        tmp_path,
        "# Awesome bird song\n\n"
        "## Citation\n"
        "Our survey paper is at https://arxiv.org/abs/2311.00014 and will be updated.\n\n"
        "- [Some Repository](https://github.com/example/birds)\n\n"
        "```bibtex\n@misc{x, eprint={2311.00015}}\n```\n\n"
        "## Papers\n\n"
        "- [Birds that sing in tune](https://arxiv.org/abs/1801.00013)\n\n"
        "## License\n\nSee https://arxiv.org/abs/2001.00016 for nothing.\n",
    )
    assert sorted(p["arxiv_id"] for p in papers) == ["1801.00013", "2311.00014"]


def test_a_titled_paper_link_in_running_text_is_a_paper(tmp_path: Path) -> None:
    papers = import_text(
        tmp_path,
        "# Awesome bird song\n\n"
        ":tada: Our survey was accepted: [How Birds Learn Their Songs: A Survey]"
        "(https://dl.acm.org/doi/10.1145/3600017)\n\n"
        "Maintained by [Ann Lee, PhD, Birdsong Lab](https://example.org/cv.pdf) and "
        "[our lab](https://dl.acm.org/doi/10.1145/3600018).\n\n"
        "## Papers\n\n"
        "- [Birds that sing in tune](https://arxiv.org/abs/1801.00013)\n",
    )
    assert sorted(p["title"] or "" for p in papers) == [
        "",  # `[our lab](doi)`: a DOI names a paper, untitled until `fetch` asks Crossref
        "Birds that sing in tune",
        "How Birds Learn Their Songs: A Survey",
    ]
    assert {p["doi"] for p in papers if not p["title"]} == {"10.1145/3600018"}

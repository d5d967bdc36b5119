"""parse_markdown on the layouts of issue 9 and on the real lists in ../shared.

The fixtures under tests/data/markdown/ (badge_tables, title_then_links, citation_lines,
quoted_citations, bare_ids, not_papers) were written for these tests, one per layout; the
expected records were worked out by reading them. The real lists are checked with an independent
"unusable title" check (tests/support/titles.py), not with the importer's own rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from papertrail.importers.markdown import parse_markdown
from papertrail.model.ids import find_arxiv_ids
from papertrail.model.records import ParsedList
from tests.support import paths
from tests.support.shared import require_shared
from tests.support.titles import unusable_reason

DATA = paths.DATA / "markdown"


def parse_fixture(name: str) -> ParsedList:
    return parse_markdown((DATA / name).read_text(encoding="utf-8"), name)


def rows(parsed: ParsedList) -> list[tuple[object, ...]]:
    return [(r.arxiv_id, r.title, r.url, r.year, r.authors, r.topics) for r in parsed.records]


def reasons(parsed: ParsedList) -> list[tuple[str, str]]:
    """(label, reason without the source location) of every skipped entry."""
    return [(label, why.rsplit(" (", 1)[0]) for label, why in parsed.skipped]


def test_tables_with_badges_dates_and_label_links() -> None:
    parsed = parse_fixture("badge_tables.md")
    assert rows(parsed) == [
        # Title cell: star badge, <br>, bold link; the Date column gives the year.
        ("2304.08485", "Visual Instruction Tuning", None, 2023, [], ["instruction-tuning"]),
        # An <img width="522"> badge: its width is no title.
        (
            "2308.12966",
            "Qwen-VL: A Frontier Large Vision-Language Model",
            None,
            2023,
            [],
            ["instruction-tuning"],
        ),
        # A title whose link is empty ("Coming soon") in a table of papers: a paper to
        # read with no address yet.
        (
            None,
            "Mitigating Hallucination via Robust Instruction Tuning",
            None,
            2023,
            [],
            ["instruction-tuning"],
        ),
        # Fire emoji and the bold title in the title cell, the paper in a "Paper" link.
        (
            "2403.01111",
            "OneComp: One-Shot Compression of Vision-Language Models",
            None,
            2024,
            [],
            ["instruction-tuning"],
        ),
        # First column a date: the title is in the Paper column, the link is labelled.
        (
            "2403.03206",
            "Scaling Rectified Flow Transformers for High-Resolution Image Synthesis",
            None,
            2024,
            [],
            ["daily-papers"],
        ),
        ("2401.10020", "Self-Rewarding Language Models", None, 2024, [], ["daily-papers"]),
    ]
    assert parsed.records[-1].version == 1
    assert reasons(parsed) == [
        ("Fuyu-8B: A Multimodal Architecture for AI Agents",
         "a blog link (https://www.adept.ai/blog/fuyu-8b), not a paper"),
        ("Sora: Video generation models as world simulators",
         "a blog link (https://openai.com/research/video-generation-models-as-world-simulators),"
         " not a paper"),
        ("2023.12", "a social media link (https://twitter.com/e/status/4), not a paper"),
    ]  # fmt: skip
    # The badge and emoji in the heading are no part of the topic; the TOC is not read.
    assert parsed.topic_parents == {"instruction-tuning": None, "daily-papers": None}


def test_title_lines_followed_by_link_bullets() -> None:
    parsed = parse_fixture("title_then_links.md")
    topic = ["retrieval"]
    assert rows(parsed) == [
        # A bold title line, then `- Paper: <bare URL>` / `- Code: ...`.
        ("2004.04906", "Dense Passage Retrieval for Open-Domain Question Answering", None,
         2020, [], topic),
        # A plain title line; full-width colons.
        ("2005.11401", "Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks", None,
         2020, [], topic),
        # A list item with nested `Paper:` / `Slides:` bullets; the paper is an ACM page.
        (None, "ColBERT: Efficient and Effective Passage Search via Contextualized Late "
         "Interaction over BERT", "https://dl.acm.org/doi/10.1145/3397271.3401075", None, [],
         topic),
        ("2002.08909", "REALM: Retrieval-Augmented Language Model Pre-Training", None, 2020, [],
         topic),
    ]  # fmt: skip
    # A nested bullet without a link is a remark on the paper above it.
    assert parsed.records[3].note == "A remark on REALM: retrieval during pre-training."
    # "Faiss" names only a repository and a documentation site, under "Tools".
    assert [label for label, _ in parsed.skipped] == ["Faiss"]


def test_citation_lines_give_title_authors_and_year() -> None:
    parsed = parse_fixture("citation_lines.md")
    assert rows(parsed) == [
        # `Title (2015), J. Schulman et al. [[pdf]](url)`: not "... (2015), J".
        ("1502.05477", "Trust Region Policy Optimization", None, 2015, ["J. Schulman"],
         ["reinforcement-learning"]),
        (None, "Human-level control through deep reinforcement learning",
         "https://www.nature.com/articles/nature14236", 2015, ["V. Mnih"],
         ["reinforcement-learning"]),
        (None, "Asynchronous Methods for Deep Reinforcement Learning",
         "http://proceedings.mlr.press/v48/mniha16.pdf", 2016,
         ["V. Mnih", "A. Badia", "M. Mirza"], ["reinforcement-learning"]),
        # `1. **Title.** Venue 2020. [paper](url)` with the italic author line below.
        ("2005.14165", "Language Models are Few-Shot Learners", None, 2020,
         ["Tom B. Brown", "Benjamin Mann", "Nick Ryder"], ["language-models"]),
        (None, "Training language models to follow instructions with human feedback",
         "https://openreview.net/forum?id=TG8KACxEON", 2022,
         ["Long Ouyang", "Jeff Wu", "Xu Jiang"], ["language-models"]),
        # `- [2023/10] **Title** *Author et al.* [[paper](url)] [[code](url)]`: the
        # bracketed date is the list's date for the entry.
        ("2210.03629", "ReAct: Synergizing Reasoning and Acting in Language Models", None,
         2023, ["Shunyu Yao"], ["agents"]),
        ("2303.11366", "Reflexion: Language Agents with Verbal Reinforcement Learning", None,
         2023, ["Noah Shinn"], ["agents"]),
        # `[Title](url) - J. Schulman, F. Wolski et al., 2017`: plain author words, year.
        ("1707.06347", "Proximal Policy Optimization Algorithms", None, 2017,
         ["J. Schulman", "F. Wolski"], ["policy-gradients"]),
    ]  # fmt: skip
    assert reasons(parsed) == [
        ("Agent Tuning without a Paper Link",
         "a repository link (https://github.com/x/agent-tuning), not a paper"),
    ]  # fmt: skip


def test_bare_ids_and_urls() -> None:
    parsed = parse_fixture("bare_ids.md")
    assert [(r.arxiv_id, r.version, r.title, r.url) for r in parsed.records] == [
        ("2104.12255", None, None, None),  # no title given: `fetch` fills it in
        ("astro-ph/0601001", None, "Hot Jupiters", None),
        ("1706.03762", 5, "Attention Is All You Need", None),
        ("1810.04805", None, None, None),
        (None, None, None, "https://openreview.net/forum?id=rJ4km2R5t7"),
        # Pages that show an arXiv paper under its id; an id written `arXiv 2302.04761`.
        ("2401.10020", None, "Self-Rewarding Language Models", None),
        ("2305.10601", None, "Tree of Thoughts", None),
        ("2302.04761", None, "Toolformer: Language Models Can Teach Themselves to Use Tools",
         None),
    ]  # fmt: skip
    assert reasons(parsed) == [("12345 is a number, not an id", "no link or arXiv id")]


def test_links_that_are_not_papers_are_counted_not_imported() -> None:
    parsed = parse_fixture("not_papers.md")
    assert rows(parsed) == [
        # News is read (papers are announced there); the bracketed date is the news's.
        ("2303.18223", "A Survey of Large Language Models", None, 2024, [], []),
        # Tweet and video links next to a paper do not stop it being one.
        ("2303.08774", "GPT-4 Technical Report", None, 2023, [], []),
        ("2302.13971", "LLaMA: Open and Efficient Foundation Language Models", None, 2023, [],
         []),
        (None, "Holistic Evaluation of Language Models",
         "https://openreview.net/forum?id=iO4LZibEqW", None, [], []),
        # Under "Courses", only an entry that links a paper page is a paper.
        ("2201.00001", "Lecture notes with the paper", None, 2022, [], ["courses"]),
    ]  # fmt: skip
    assert [why.split(" (")[0] for _, why in parsed.skipped] == [
        "a chat link",
        "a social media link",
        "a project page or blog link",
        "a leaderboard link",
        "a repository link",
        "a course link",
        "a repository link",
        "a project page or blog link",
        "a course link",
    ]
    # The badges, "Follow us", the contents and "back to top" are not entries at all.
    assert not any("Follow" in label or "top" in label for label, _ in parsed.skipped)


def test_task_boxes_give_status() -> None:
    parsed = parse_markdown(
        "- [x] [Read Paper](https://arxiv.org/abs/1706.03762)\n"
        "- [~] [Reading Paper](https://arxiv.org/abs/1810.04805)\n"
        "- [ ] [Unread Paper](https://arxiv.org/abs/2005.14165)\n"
    )
    assert [(r.title, r.status) for r in parsed.records] == [
        ("Read Paper", "read"),
        ("Reading Paper", "reading"),
        ("Unread Paper", None),
    ]


def test_heading_that_is_a_paper_title_is_a_paper_not_a_topic() -> None:
    parsed = parse_markdown(
        "# Notes\n\n## Vision\n\n### Deep Residual Learning for Image Recognition\n\n"
        "Read the [paper](https://arxiv.org/abs/1512.03385) twice.\n"
    )
    assert [(r.arxiv_id, r.title, r.topics) for r in parsed.records] == [
        ("1512.03385", "Deep Residual Learning for Image Recognition", ["vision"])
    ]
    assert parsed.topic_parents == {"vision": None}


# ----------------------------------------------------------------------------------------
# The real lists in ../shared: no unusable title, no non-paper imported, every id found.

# (papers, arXiv ids, non-papers skipped) per list, as measured when the importer landed;
# a change is a change in what users get, to be looked at, not a tolerance to widen.
REAL_LISTS = {
    "deep-learning-papers-reading-roadmap.md": (133, 97, 0),
    "awesome-model-quantization.md": (512, 235, 2),
    "awesome-pruning.md": (280, 105, 7),
    # Two dataset rows name one paper (its title is in the Paper column, the dataset's name
    # kept as an alias): one record.
    "markdown/BradyFU__Awesome-Multimodal-Large-Language-Models__README.md": (475, 442, 23),
    "markdown/ChristosChristofidis__awesome-deep-learning__README.md": (76, 25, 526),
    "markdown/HqWu-HITCS__Awesome-Chinese-LLM__README.md": (0, 0, 31),
    "markdown/WooooDyy__LLM-Agent-Paper-List__README.md": (252, 216, 2),
}
_NOT_PAPER_HOSTS = (
    "twitter.com", "x.com/", "discord", "t.me/", "youtube.com", "youtu.be", "github.com/",
    "gitee.com", "huggingface.co/", "coursera.org", "medium.com", "substack.com", "slack.com",
    "leaderboard", "kaggle.com", "colab.research",
)  # fmt: skip


def _ids_outside_code(text: str) -> set[str]:
    """arXiv ids the list names, leaving out fenced code blocks (BibTeX, examples)."""
    kept, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced:
            kept.append(line)
    return {a.id for a in find_arxiv_ids("\n".join(kept))}


def _check(path: Path) -> ParsedList:
    """Every arXiv id found, no unusable title, no link to a non-paper imported as a paper."""
    text = path.read_text(encoding="utf-8")
    parsed = parse_markdown(text, path.name)
    ids = {r.arxiv_id for r in parsed.records if r.arxiv_id}
    assert ids >= _ids_outside_code(text), path.name
    bad = [(r.title, unusable_reason(r.title)) for r in parsed.records if unusable_reason(r.title)]
    assert bad == [], path.name
    not_papers = [
        r.url
        for r in parsed.records
        if r.url and any(h in r.url for h in _NOT_PAPER_HOSTS)
        if not r.url.lower().split("?")[0].endswith(".pdf")
    ]
    assert not_papers == [], path.name
    return parsed


def test_every_markdown_file_in_shared_reading_lists() -> None:
    paths = sorted(require_shared("reading-lists").rglob("*.md"))
    assert len(paths) >= 8
    for path in paths:
        _check(path)


@pytest.mark.parametrize("name", sorted(REAL_LISTS))
def test_real_list_figures(name: str) -> None:
    parsed = _check(require_shared("reading-lists", name))
    papers = len(parsed.records)
    ids = len({r.arxiv_id for r in parsed.records if r.arxiv_id})
    assert (papers, ids, len(parsed.skipped)) == REAL_LISTS[name]


def test_a_table_of_contents_link_never_joins_a_paper() -> None:
    parsed = parse_markdown(
        "# Efficient Transformers\n\n- [Longformer](#longformer)\n- [Reformer](#reformer)\n\n"
        "## Longformer\n\n- [Longformer](https://arxiv.org/abs/2004.05150)\n\n"
        "## Reformer\n\nNothing yet.\n\n## Notes\n\n- [Reformer](#reformer-notes)\n",
        "toc.md",
    )
    # The TOC links point at headings of the document: navigation, not entries; so is a
    # lone link to an anchor that names no paper of the list.
    assert [(r.arxiv_id, r.topics, r.sources) for r in parsed.records] == [
        ("2004.05150", ["longformer"], ["toc.md:8"])
    ]
    assert parsed.skipped == []


def test_mixed_layouts_of_awesome_lists() -> None:
    parsed = parse_fixture("mixed_layouts.md")
    assert rows(parsed) == [
        # `* **[Title](url)** - description`
        ("1708.02002", "Focal Loss for Dense Object Detection", None, 2017, [], ["detection"]),
        # `- Title. [[Paper]](url) [[Code]](url)`
        ("1612.03144", "Feature Pyramid Networks for Object Detection", None, 2016, [],
         ["detection"]),
        # `1. Title, *ICCV 2017* [[PDF](url)]`: the italic venue is no part of the title.
        (None, "Mask R-CNN", "https://openaccess.thecvf.com/content_ICCV_2017/papers/"
         "He_Mask_R-CNN_ICCV_2017_paper.pdf", 2017, [], ["detection"]),
        # `- **Title** (arXiv 2020) [[paper](url)]`
        ("2004.10934", "YOLOv4: Optimal Speed and Accuracy of Object Detection", None, 2020,
         [], ["detection"]),
        # `- Tan et al. **Title.** CVPR 2020. [pdf](url)`: authors before the bold title.
        ("1911.09070", "EfficientDet: Scalable and Efficient Object Detection", None, 2020,
         ["Tan"], ["detection"]),
        # An emoji before the link and a stars badge after it.
        ("2005.12872", "DETR: End-to-End Object Detection with Transformers", None, 2020, [],
         ["detection"]),
        # A table whose first columns are the year and the venue.
        ("1411.4038", "Fully Convolutional Networks for Semantic Segmentation", None, 2015, [],
         ["segmentation"]),
        ("1703.06870", "Mask R-CNN", None, 2017, [], ["segmentation"]),
        # An HTML table: its <a href> links are read.
        ("1505.04597", "U-Net: Convolutional Networks for Biomedical Image Segmentation", None,
         2015, [], ["segmentation"]),
        # A bold title line, its links on the line below.
        ("2201.11903", "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
         None, 2022, [], ["reasoning"]),
        # A tweet's text is no title of the paper it links to (fetch fills the title in).
        ("2001.08361", None, None, 2020, [], ["reasoning"]),
    ]  # fmt: skip
    assert reasons(parsed) == [
        ("Lecture on detection", "a video link (https://www.youtube.com/watch?v=abc), not a paper")
    ]


def test_quoted_citations_name_their_authors_first_surname_first() -> None:
    parsed = parse_fixture("quoted_citations.md")
    assert [(r.title, r.year, r.authors) for r in parsed.records] == [
        ("Deep learning", 2015, ["Yoshua Bengio", "Ian J. Goodfellow", "Aaron Courville"]),
        ("Deep learning", 2015, ["Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"]),
        ("Reducing the dimensionality of data with neural networks", 2006,
         ["Geoffrey E. Hinton", "Ruslan R. Salakhutdinov"]),
        ("On the importance of initialization and momentum in deep learning", 2013,
         ["Ilya Sutskever"]),
        ("Inceptionism: Going Deeper into Neural Networks", 2015,
         ["Alexander Mordvintsev", "Christopher Olah", "Mike Tyka"]),
        ("Learning to segment object candidates", 2015,
         ["P.O. Pinheiro", "R. Collobert", "P. Dollar"]),
    ]  # fmt: skip


def test_words_before_a_quoted_title_are_authors_only_when_they_read_as_names() -> None:
    parsed = parse_markdown(
        "# Reading\n\n"
        '- A classic, see also the survey. "Deep learning." Nature (2015). '
        "[[pdf]](https://example.org/lecun15.pdf)\n"
        '- 张三, 李四. "Deep learning for speech." ICASSP (2016). '
        "[[pdf]](https://example.org/zhang16.pdf)\n"
        '- Ludwig van Beethoven, and Jean de la Fontaine. "Ode to joy." (1824). '
        "[[pdf]](https://example.org/ode.pdf)\n",
        "prose.md",
    )
    assert [(r.title, r.authors) for r in parsed.records] == [
        ("Deep learning", []),  # prose, not names: no authors rather than wrong ones
        ("Deep learning for speech", ["张三", "李四"]),  # two people, not "李四 张三"
        ("Ode to joy", ["Ludwig van Beethoven", "Jean de la Fontaine"]),
    ]

"""parse_markdown: golden fixtures (one per layout), the real lists in ../shared, properties.

The golden fixtures under tests/data/markdown/ are small lists written for these tests; the
expected records below were worked out from the rules in the module docstring, by reading
each fixture, before the parser was run on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papertrail.errors import ImportFormatError
from papertrail.importers.markdown import parse_markdown
from papertrail.model.ids import find_arxiv_ids
from papertrail.model.records import PaperRecord, ParsedList
from tests.support import paths

DATA = paths.DATA / "markdown"


def parse_fixture(name: str, **kwargs: object) -> ParsedList:
    return parse_markdown((DATA / name).read_text(encoding="utf-8"), name, **kwargs)  # type: ignore[arg-type]


def row(record: PaperRecord) -> tuple[object, ...]:
    """What the golden tests compare: id, version, title, url, year, topics, sources."""
    return (
        record.arxiv_id,
        record.version,
        record.title,
        record.url,
        record.year,
        record.topics,
        record.sources,
    )


def by_id(parsed: ParsedList) -> dict[str, PaperRecord]:
    return {r.arxiv_id: r for r in parsed.records if r.arxiv_id}


def by_title(parsed: ParsedList) -> dict[str, PaperRecord]:
    return {r.title: r for r in parsed.records if r.title}


# ----------------------------------------------------------------------------------------
# Golden fixtures, one per layout


def test_numbered_citations() -> None:
    parsed = parse_fixture("numbered_citations.md")
    f = "numbered_citations.md"
    assert [row(r) for r in parsed.records] == [
        # `"**Title**."` -> Title; the version in the pdf link is kept; the year is the bare
        # year of the citation; [8] is the same paper under "2.2 Other", which keeps the
        # topic of its parent ("2 Models"): merged, both lines in `sources`.
        (
            "1706.03762",
            5,
            "Attention is all you need",
            None,
            2017,
            ["attention", "models"],
            [f"{f}:11", f"{f}:33"],
        ),
        # The id is in the text (`arXiv:1409.0473`); the pdf link is elsewhere.
        (
            "1409.0473",
            None,
            "Neural machine translation by jointly learning to align and translate",
            None,
            2014,
            ["attention"],
            [f"{f}:13"],
        ),
        # DBLP's `CoRR, abs/1512.03385` is an arXiv id; the title spans two lines.
        (
            "1512.03385",
            None,
            "Deep residual learning for image recognition",
            None,
            2015,
            ["attention"],
            [f"{f}:15"],
        ),
        # Curly quotes, period inside the bold; `In ICLR, 2021.` gives the year.
        (
            None,
            None,
            "An image is worth 16x16 words: Transformers for image recognition at scale",
            "https://openreview.net/pdf?id=YicbFdNTTy",
            2021,
            ["image-models"],
            [f"{f}:23"],
        ),
        (
            None,
            None,
            "Training data-efficient image transformers & distillation through attention",
            "http://proceedings.mlr.press/v139/touvron21a.html",
            2021,
            ["image-models"],
            [f"{f}:25"],
        ),
        # A citation without a link: a paper to read, with no address.
        (None, None, "A paper whose link went missing", None, 2019, ["image-models"], [f"{f}:27"]),
        (
            "2103.14030",
            None,
            "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows",
            None,
            2021,
            ["models"],
            [f"{f}:31"],
        ),
    ]
    # "#2 Models" (no space after #) is a heading; "2.2 Other" is not a topic; the first
    # level-1 heading has no items, so it appears nowhere.
    assert parsed.topic_parents == {
        "foundations": None,
        "attention": "foundations",
        "models": None,
        "image-models": "models",
    }
    assert parsed.skipped == []
    assert all(r.note is None for r in parsed.records)


def test_label_bullets() -> None:
    parsed = parse_fixture("label_bullets.md")
    f = "label_bullets.md"
    assert [row(r) for r in parsed.records] == [
        # `**Title** [[Paper](url)] [[Project](github)]` under "Highlights > Longformer";
        # listed again under "Papers > 2020" (no topic there): merged. No year of its own,
        # no year heading above the first mention: the year comes from the arXiv id.
        # The bibtex in <pre> (with a v2 URL) is not read.
        (
            "2004.05150",
            None,
            "Longformer: The Long-Document Transformer",
            None,
            2020,
            ["longformer"],
            [f"{f}:18", f"{f}:46"],
        ),
        (
            "2102.03902",
            2,
            "Nyströmformer: A Nyström-Based Algorithm for Approximating Self-Attention",
            None,
            2021,
            [],
            [f"{f}:38"],
        ),
        # `[1.2k:fire:]` and `[2.1k⭐]` are counts, `[__`global`__]` a keyword tag.
        (
            None,
            None,
            "Rethinking Attention with Performers",
            "https://openreview.net/forum?id=Ua6zuk0WRH",
            2021,
            [],
            [f"{f}:39", f"{f}:42"],
        ),
        # `[[NeurIPS]](url) Title`: the other way to write a label link.
        ("2106.01540", None, "Luna: Linear Unified Nested Attention", None, 2021, [], [f"{f}:40"]),
        (
            None,
            None,
            "Transformers are RNNs: Fast Autoregressive Transformers with Linear Attention",
            "http://proceedings.mlr.press/v119/katharopoulos20a.html",
            2020,
            [],
            [f"{f}:47"],
        ),
        ("2001.04451", None, "Reformer: The Efficient Transformer", None, 2020, [], [f"{f}:48"]),
    ]
    # The document title, "Table of Contents", "Papers" and the year headings are no topics.
    assert parsed.topic_parents == {"highlights": None, "longformer": "highlights"}
    # The thank-you links, the author line and the TOC anchors are not entries.
    assert parsed.skipped == [
        (
            "Informer: Beyond Efficient Transformer for Long Sequence Time-Series Forecasting",
            f"its link is empty ({f}:41)",
        ),
    ]


def test_extra_topics_go_on_every_record_but_not_into_the_tree() -> None:
    parsed = parse_fixture("label_bullets.md", extra_topics=["sparse-attention", "nlp"])
    assert [r.topics for r in parsed.records] == [
        ["longformer", "sparse-attention", "nlp"],
        ["sparse-attention", "nlp"],
        ["sparse-attention", "nlp"],
        ["sparse-attention", "nlp"],
        ["sparse-attention", "nlp"],
        ["sparse-attention", "nlp"],
    ]
    assert parsed.topic_parents == {"highlights": None, "longformer": "highlights"}


def test_tables() -> None:
    parsed = parse_fixture("tables.md")
    f = "tables.md"
    assert [row(r) for r in parsed.records] == [
        # A heading that names a paper with labelled links; the fenced bibtex below it
        # (which mentions the same id) is not read. Under the TOC and the document title
        # there is no topic; the year comes from the id.
        ("2009.06732", None, "A Survey on Efficient Transformers", None, 2020, [], [f"{f}:15"]),
        ("2107.00910", None, "Learned Token Pruning for Transformers", None, 2022, [], [f"{f}:25"]),
        (
            None,
            None,
            "Adaptive Token Sampling for Efficient Vision Transformers",
            "https://www.ecva.net/papers/eccv_2022/papers_ECCV/papers/136710397.pdf",
            2022,
            [],
            [f"{f}:26"],
        ),
        # Two titles on one URL: a slip in the list, two records.
        (
            None,
            None,
            "Not All Patches are What You Need",
            "https://openreview.net/forum?id=BjyvwnXXVn_",
            2022,
            [],
            [f"{f}:27"],
        ),
        (
            None,
            None,
            "A Fast Post-Training Pruning Framework for Transformers",
            "https://openreview.net/forum?id=BjyvwnXXVn_",
            2022,
            [],
            [f"{f}:28"],
        ),
        # The year heading wins over the (real, 2019) year: the item has none of its own.
        (
            "1905.10650",
            None,
            "Are Sixteen Heads Really Better than One?",
            None,
            2021,
            [],
            [f"{f}:34"],
        ),
        # A second arXiv id in the same row is a record of its own; "Extension" is no title.
        ("2108.12345", None, None, None, 2021, [], [f"{f}:34"]),
        (
            "2106.02034",
            2,
            "DynamicViT: Efficient Vision Transformers with Dynamic Token Sparsification",
            None,
            2021,
            [],
            [f"{f}:35"],
        ),
        # A title without a link in a table of papers: a paper to read with no address.
        (
            None,
            None,
            "Spatten: Efficient Sparse Attention Architecture",
            None,
            2021,
            [],
            [f"{f}:36"],
        ),
    ]
    assert parsed.topic_parents == {}
    # The "Type of Pruning" legend row has no link but its table has no papers either.
    assert parsed.skipped == [
        (
            "Awesome-Efficient-Transformers",
            "a repository link (https://github.com/example/awesome-efficient-transformers),"
            f" not a paper ({f}:40)",
        ),
    ]


def test_link_items() -> None:
    parsed = parse_fixture("link_items.md")
    f = "link_items.md"
    assert [row(r) for r in parsed.records] == [
        (
            None,
            None,
            "Deep Learning",
            "https://www.nature.com/articles/nature14539",
            2015,
            ["综述"],
            [f"{f}:9"],
        ),
        # cn.arxiv.org; the `*2021-06-08*` date line gives the year.
        ("2106.04554", None, "A Survey of Transformers", None, 2021, ["综述"], [f"{f}:13"]),
        # export.arxiv.org with a version; the date (2014) beats "ICLR 2015".
        # "2.1 优化器 > 2.1.1 优化器": one topic, not a child of itself.
        (
            "1412.6980",
            9,
            "Adam: A Method for Stochastic Optimization",
            None,
            2014,
            ["优化器"],
            [f"{f}:20"],
        ),
        # Listed again under 2.2 as `[Title](#sgdr)`: joins this record by its title.
        (
            "1608.03983",
            None,
            "SGDR: Stochastic Gradient Descent with Warm Restarts",
            None,
            2016,
            ["优化器", "学习率"],
            [f"{f}:25", f"{f}:36"],
        ),
        # "2.1.2 其他" keeps the topic of its parent.
        (
            "1711.05101",
            None,
            "Decoupled Weight Decay Regularization",
            None,
            2017,
            ["优化器"],
            [f"{f}:29"],
        ),
        (
            None,
            None,
            "On the Convergence of Adam and Beyond",
            "https://openreview.net/forum?id=ryQu7f-RZ",
            2018,
            ["优化器"],
            [f"{f}:32"],
        ),
    ]
    assert parsed.topic_parents == {
        "综述": None,
        "优化": None,
        "优化器": "优化",
        "学习率": "优化",
    }
    # `[Back to top](#top)` is navigation, not an entry; the front matter is not read.
    assert parsed.skipped == [
        (
            "Cyclical Learning Rates for Training Neural Networks",
            f"relative link '/notes/2019/clr.html': no address to import ({f}:40)",
        ),
        (
            "A Disciplined Approach to Neural Network Hyper-Parameters",
            f"no link or arXiv id ({f}:43)",
        ),
        # A blog post (on a github.io site) is not a paper.
        (
            "A Recipe for Training Neural Networks",
            "a project page or blog link (https://karpathy.github.io/2019/04/25/recipe/),"
            f" not a paper ({f}:55)",
        ),
    ]
    assert all(r.note is None for r in parsed.records)


def test_paper_headings_keep_their_remarks_as_notes() -> None:
    parsed = parse_fixture("paper_headings.md")
    f = "paper_headings.md"
    assert [row(r) for r in parsed.records] == [
        (
            None,
            None,
            "Learning both Weights and Connections for Efficient Neural Networks",
            "https://papers.nips.cc/paper/5784-learning-both-weights-and-connections-for-efficient-neural-network.pdf",
            None,
            ["pruning"],
            [f"{f}:9"],
        ),
        (
            "1803.03635",
            None,
            "The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural Networks",
            None,
            2018,
            ["pruning"],
            [f"{f}:15"],
        ),
        # Mentioned in the remark: found, but "follow-up" is not its title.
        ("1903.01611", None, None, None, 2019, ["pruning"], [f"{f}:15"]),
        # A plain heading whose remark links to "本文" (this paper) names that paper.
        (
            "1806.08342",
            None,
            "Quantizing deep convolutional networks for efficient inference: A whitepaper",
            None,
            2018,
            ["quantization"],
            [f"{f}:22"],
        ),
        # `（NIPS16）` after the title is the venue, not part of the title.
        (
            None,
            None,
            "Binarized Neural Networks",
            "https://papers.nips.cc/paper/6573-binarized-neural-networks.pdf",
            None,
            ["quantization"],
            [f"{f}:31"],
        ),
    ]
    notes = [r.note for r in parsed.records]
    assert notes == [
        "剪枝的开山之作之一：先训练，再剪掉小权重，最后重新训练。\n\n"
        "压缩率可以达到 9x–13x（AlexNet / VGG-16）。",
        "Found that *winning tickets* exist; see also the "
        "[follow-up](https://arxiv.org/abs/1903.01611) on stability.",
        None,
        "1. [本文](https://arxiv.org/pdf/1806.08342.pdf)是 Google 的量化白皮书，值得一读\n"
        "2. 对比了 per-channel 与 per-tensor 量化\n"
        "    1. per-channel 更准确\n"
        "3. 代码参考 <https://github.com/tensorflow/tensorflow>",
        "1. 这是 16 年的[一篇论文](https://papers.nips.cc/paper/6573-binarized-neural-networks.pdf)，"
        "权重和激活都二值化",
    ]
    # Setext headings; the first (the only level-1 heading) is the document's title.
    assert parsed.topic_parents == {"pruning": None, "quantization": None}
    # Among paper headings, a heading whose remarks have no link is a paper without one.
    assert parsed.skipped == [("Mixed Precision Training", f"no link or arXiv id ({f}:37)")]


def test_blog_references() -> None:
    parsed = parse_fixture("blog.md")
    f = "blog.md"
    # `[N] [url](url)` references take their title from the 《...》 in the paragraph before;
    # a paragraph that is one bold line is a heading.
    assert [row(r) for r in parsed.records] == [
        (
            "1312.6114",
            None,
            "Auto-Encoding Variational Bayes",
            None,
            2013,
            ["变分自编码器"],
            [f"{f}:15"],
        ),
        (
            "1509.00519",
            4,
            "Importance Weighted Autoencoders",
            None,
            2015,
            ["变分自编码器"],
            [f"{f}:19"],
        ),
        (
            None,
            None,
            "Generative Adversarial Nets",
            "https://papers.nips.cc/paper/5423-generative-adversarial-nets.pdf",
            None,
            ["生成对抗网络"],
            [f"{f}:25"],
        ),
    ]
    assert parsed.topic_parents == {"变分自编码器": None, "生成对抗网络": None}
    assert parsed.skipped == []


# ----------------------------------------------------------------------------------------
# Smaller rules


def test_empty_and_blank_input() -> None:
    for text in ("", "\n\n", "   ", "\ufeff", "# Only a heading\n"):
        parsed = parse_markdown(text)
        assert parsed.records == [] and parsed.skipped == [] and parsed.topic_parents == {}


def test_nul_bytes_are_not_text() -> None:
    with pytest.raises(ImportFormatError, match="NUL"):
        parse_markdown("- [A](https://arxiv.org/abs/1706.03762)\x00", "bad.md")


def test_windows_line_endings_and_bom_change_nothing() -> None:
    text = (DATA / "link_items.md").read_text(encoding="utf-8")
    unix = parse_markdown(text, "x.md")
    dos = parse_markdown("\ufeff" + text.replace("\n", "\r\n"), "x.md")
    assert [row(r) for r in dos.records] == [row(r) for r in unix.records]
    assert dos.skipped == unix.skipped


def test_year_headings_in_every_spelling() -> None:
    text = "\n".join(
        [
            "# Papers",
            "## Vision",
            "### 2023 Venues",
            "- [A Vision Paper](https://arxiv.org/abs/2301.00001)",
            "### 2015 and before",
            "- [An Old Paper](https://example.org/old.pdf)",
            "### Before 2012:",
            "- [An Older Paper](https://example.org/older.pdf)",
            "### 2019年",
            "- [A Chinese Year Paper](https://example.org/zh.pdf)",
        ]
    )
    parsed = parse_markdown(text)
    assert [(r.title, r.year, r.topics) for r in parsed.records] == [
        ("A Vision Paper", 2023, ["vision"]),
        ("An Old Paper", 2015, ["vision"]),
        ("An Older Paper", 2012, ["vision"]),
        ("A Chinese Year Paper", 2019, ["vision"]),
    ]
    assert parsed.topic_parents == {"vision": None}


def test_heading_decorations_and_numbering_are_dropped() -> None:
    text = "\n".join(
        [
            "# My Reading List",  # the only level-1 heading, first: the document's title
            "## 🔥 1. Large Language Models :rocket:",
            "### 1.2 [Instruction Tuning](#instruction-tuning):",
            "- [Some Paper Title](https://arxiv.org/abs/2210.11416)",
            "### **3D Vision** ![badge](https://img.shields.io/badge/x-y-z)",
            "- [Another Paper Title](https://arxiv.org/abs/2112.00001)",
        ]
    )
    parsed = parse_markdown(text)
    assert [r.topics for r in parsed.records] == [["instruction-tuning"], ["3d-vision"]]
    assert parsed.topic_parents == {
        "large-language-models": None,
        "instruction-tuning": "large-language-models",
        "3d-vision": "large-language-models",
    }


def test_sections_outside_the_list_are_not_read() -> None:
    text = "\n".join(
        [
            "# Reading",
            "## Contents",
            "- [Reading](#reading)",
            "## Papers",
            "- [A Real Paper](https://arxiv.org/abs/1810.04805)",
            "## Citation",
            "- [Our own paper](https://arxiv.org/abs/2401.00001)",
            "## License",
            "[![CC0](https://licensebuttons.net/p/zero/1.0/88x31.png)](https://creativecommons.org)",
            "## Star History",
            "[![Star History](https://api.star-history.com/svg?repos=a/b)](https://star-history.com)",
        ]
    )
    parsed = parse_markdown(text)
    assert [(r.arxiv_id, r.topics) for r in parsed.records] == [("1810.04805", [])]
    assert parsed.skipped == []


def test_one_entry_per_line_without_bullets() -> None:
    text = "\n".join(
        [
            "## Reading",
            "[Attention Is All You Need](https://arxiv.org/abs/1706.03762)",
            "[BERT: Pre-training of Deep Bidirectional Transformers](https://arxiv.org/abs/1810.04805)",
            "https://arxiv.org/abs/2005.14165",
            '<a href="https://arxiv.org/abs/1409.3215">Sequence to Sequence Learning</a>',
        ]
    )
    parsed = parse_markdown(text, "lines.md")
    assert [(r.arxiv_id, r.title, r.sources) for r in parsed.records] == [
        ("1706.03762", "Attention Is All You Need", ["lines.md:2"]),
        ("1810.04805", "BERT: Pre-training of Deep Bidirectional Transformers", ["lines.md:3"]),
        # A bare URL on a line of its own is an entry of its own.
        ("2005.14165", None, ["lines.md:4"]),
        ("1409.3215", "Sequence to Sequence Learning", ["lines.md:5"]),
    ]


def test_title_before_a_label_link() -> None:
    text = "\n".join(
        [
            "- Attention Is All You Need. Vaswani et al. NeurIPS 2017. [PDF](https://ex.org/a.pdf)",
            "- Layer Normalization ([arXiv](https://arxiv.org/abs/1607.06450))",
            "- Deep Sets [[pdf]](https://ex.org/deepsets.pdf) [[code](https://github.com/a/b)]",
            "- [x] **Neural ODEs** (NeurIPS 2018) [paper](https://arxiv.org/abs/1806.07366)",
            "- [ ] [Graph Attention Networks](https://arxiv.org/abs/1710.10903)",
            "* Dropout — https://jmlr.org/papers/v15/srivastava14a.html",
            "* Batch Norm: <https://arxiv.org/abs/1502.03167>",
            # Running text around a link is no title: `see <url>`, `这是一篇[论文](url)`.
            "- see <http://yosinski.com/transfer>",
            "- 这是一篇[论文](https://ex.org/zh.pdf)",
        ]
    )
    parsed = parse_markdown(text)
    assert [r.title for r in parsed.records] == [
        "Attention Is All You Need",
        "Layer Normalization",
        "Deep Sets",
        "Neural ODEs",
        "Graph Attention Networks",
        "Dropout",
        "Batch Norm",
        None,  # the PDF: a paper with no title yet
    ]
    # A site's page with no title is nothing that says it is a paper.
    assert parsed.skipped == [
        (
            "see http://yosinski.com/transfer",
            "no title, and http://yosinski.com/transfer is no paper's page or PDF (<markdown>:8)",
        )
    ]


def test_arxiv_id_forms() -> None:
    text = "\n".join(
        [
            "- [One](https://arxiv.org/abs/1706.03762v2) title one",
            "- Two: see arXiv:1810.04805",
            "- [Three](http://export.arxiv.org/pdf/2005.14165.pdf)",
            "- [Four](https://arxiv.org/abs/hep-th/9901001v3)",
            "- [Five](https://doi.org/10.48550/arXiv.2106.09685)",
            "- [Six](arxiv.org/abs/math.GT/0309136)",
            "- [Seven](https://browse.arxiv.org/pdf/2402.00858v1)",
        ]
    )
    parsed = parse_markdown(text)
    assert [(r.arxiv_id, r.version) for r in parsed.records] == [
        ("1706.03762", 2),
        ("1810.04805", None),
        ("2005.14165", None),
        ("hep-th/9901001", 3),
        ("2106.09685", None),
        ("math/0309136", None),
        ("2402.00858", 1),
    ]
    # Old-style ids date from the last century when their year digits say so.
    assert by_id(parsed)["hep-th/9901001"].year == 1999


def test_links_that_are_not_papers() -> None:
    text = "\n".join(
        [
            "## Things",
            "- [PyTorch](https://github.com/pytorch/pytorch)",
            "- ![logo](https://example.org/logo.png)",
            "- [![badge](https://img.shields.io/badge/a-b-c)](https://example.org)",
            "- [A Paper](https://example.org/paper.pdf) [[code](https://github.com/x/y)] "
            "[[project](https://x.github.io/y)] [[video](https://youtu.be/z)]",
        ]
    )
    parsed = parse_markdown(text, "t.md")
    assert [(r.title, r.url) for r in parsed.records] == [
        ("A Paper", "https://example.org/paper.pdf")
    ]
    assert parsed.skipped == [
        (
            "PyTorch",
            "a repository link (https://github.com/pytorch/pytorch), not a paper (t.md:2)",
        )
    ]


# ----------------------------------------------------------------------------------------
# The real lists in ../shared (skipped when it is absent)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_roadmap(reading_lists_dir: Path) -> None:
    text = read(reading_lists_dir / "deep-learning-papers-reading-roadmap.md")
    parsed = parse_markdown(text, "roadmap.md")
    arxiv = [r for r in parsed.records if r.arxiv_id]
    other = [r for r in parsed.records if not r.arxiv_id]

    # Every entry starts a line with a bold `**[N]**` label (numbers restart per section):
    # `grep -c '^\*\*\[' = 133`. Each entry is one paper, each has a link.
    entries = re.split(r"\n(?=\*\*\[\d+\]\*\*)", text)[1:]
    assert len(entries) == 133
    # arXiv ids per entry, found without the parser: ids.find_arxiv_ids (arxiv.org links and
    # `arXiv:` text), plus DBLP's `CoRR, abs/NNNN.NNNNN` citation, which two entries use for
    # arXiv papers (Deep Compression, 1510.00149; TRPO, 1502.05477).
    corr = re.compile(r"CoRR, abs/(\d{4}\.\d{4,5})")
    with_id = set()
    for entry in entries:
        ids = {a.id for a in find_arxiv_ids(entry)} | set(corr.findall(entry))
        assert len(ids) <= 1  # no entry names two papers
        with_id |= ids
    assert len({a.id for a in find_arxiv_ids(text)}) == 95
    assert len(with_id) == 97  # 95 + the two CoRR ids, no id in two entries
    assert {r.arxiv_id for r in arxiv} == with_id
    assert len(arxiv) == 97
    # The other 133 - 97 = 36 entries link a PDF or page elsewhere (NIPS, CVF, JMLR ...).
    assert len(other) == 36
    assert all(r.url and r.title for r in other)
    assert parsed.skipped == []

    # Titles are the quoted titles, not "pdf"; each checked against the file's text.
    titles = by_title(parsed)
    for title, arxiv_id in [
        ("Deep residual learning for image recognition", "1512.03385"),
        ("Sequence to sequence learning with neural networks", "1409.3215"),
        ("R-FCN: Object Detection via Region-based Fully Convolutional Networks", "1605.06409"),
        ("Net2net: Accelerating learning via knowledge transfer", "1511.05641"),
        ("EfficientDet: Scalable and Efficient Object Detection", "1911.09070"),
        ("Trust region policy optimization", "1502.05477"),
    ]:
        assert by_id(parsed)[arxiv_id].title == title
        # In the file as `"**Title**."`, `"Title."`, `“**Title.**"` or across a line break.
        assert title.split(":")[0].split(" via ")[0] in text
    assert titles["Going deeper with convolutions"].url.startswith("http://www.cv-foundation.org/")
    assert titles["Generative adversarial nets"].year == 2014
    assert by_id(parsed)["1610.05256"].version == 1
    # Headings `# 1 Deep Learning History and Basics`, `#2 Deep Learning Method`, ...
    assert parsed.topic_parents["model"] == "deep-learning-method"
    assert parsed.topic_parents["object-detection"] == "applications"
    assert by_id(parsed)["1506.02640"].topics == ["object-detection"]


def test_awesome_model_quantization(reading_lists_dir: Path) -> None:
    text = read(reading_lists_dir / "awesome-model-quantization.md")
    parsed = parse_markdown(text, "quant.md")
    arxiv = [r for r in parsed.records if r.arxiv_id]
    other = [r for r in parsed.records if not r.arxiv_id]

    # arXiv: every distinct id in the file (ids.find_arxiv_ids over the raw text) is a paper
    # of the list: 235. None sits in the TOC or badges; the bibtex blocks name none.
    expected_ids = {a.id for a in find_arxiv_ids(text)}
    assert len(expected_ids) == 235
    assert {r.arxiv_id for r in arxiv} == expected_ids

    # Non-arXiv: bullets at the start of a line (`- [`) that are no TOC anchors: 520; of
    # those, 281 have no arxiv.org link. Two have an empty link (`[[AAAI]()]`, skipped).
    # Of the other 279, by first URL: 276 distinct; the repeats are one line listed twice
    # (BiPointNet), one paper listed twice (Mr.BiQ), and one URL given to two different
    # papers (QDrop / Optimal ANN-SNN Conversion, openreview ySQH0oDyp7), which stay two.
    bullets = [ln for ln in text.splitlines() if ln.startswith("- [") and "](#" not in ln]
    no_arxiv = [ln for ln in bullets if "arxiv.org" not in ln.lower()]
    empty = [ln for ln in no_arxiv if "]()" in ln]
    urls = [re.search(r"\]\(([^)]*)\)", ln).group(1) for ln in no_arxiv if ln not in empty]
    assert (len(bullets), len(no_arxiv), len(empty), len(set(urls))) == (520, 281, 2, 276)
    assert len(other) == 276 + 1 == 277
    assert len(arxiv) == 235
    assert [reason.split(" (")[0] for _, reason in parsed.skipped] == ["its link is empty"] * 2
    assert [label for label, _ in parsed.skipped] == [
        "Training Binary Neural Network without Batch Normalization for Image Super-Resolution",
        "SA-BNN: State-Aware Binary Neural Network",
    ]
    slips = [r for r in other if r.url == "https://openreview.net/forum?id=ySQH0oDyp7"]
    assert len(slips) == 2

    # Titles: the text after the `[[Venue](url)]` label, without tags, counts, trailing period.
    ids = by_id(parsed)
    samples = {
        "2404.14047": "How Good Are Low-bit Quantized LLaMA3 Models? An Empirical Study",
        "2402.04396": (
            "QuIP#: Even Better LLM Quantization with Hadamard Incoherence and Lattice Codebooks"
        ),
        "2209.13325": (
            "Outlier Suppression: Pushing the Limit of Low-bit Transformer Language Models"
        ),
        "1603.05279": (
            "XNOR-Net: ImageNet Classification Using Binary Convolutional Neural Networks"
        ),
        "1902.00730": "Self-Binarizing Networks",
        "2301.11233": "BiBench: Benchmarking and Analyzing Network Binarization",
        "1906.00532": (
            "Efficient 8-Bit Quantization of Transformer Neural Machine Language Translation Model"
        ),
    }
    for arxiv_id, title in samples.items():
        assert ids[arxiv_id].title == title
        assert title in text
    assert ids["1906.00532"].version == 2
    titles = by_title(parsed)
    assert titles["BNN+: Improved Binary Network Training"].url == (
        "https://openreview.net/pdf?id=SJfHg2A5tQ"
    )
    assert titles["BiBERT: Accurate Fully Binarized BERT"].year == 2022

    # Year headings ("### 2024" ...) are years, not topics; "Papers" is no topic either.
    assert ids["2404.14047"].year == 2024 and ids["2404.14047"].topics == []
    assert ids["1511.00363"].year == 2015
    assert parsed.topic_parents == {
        "benchmark": None,
        "bibench": "benchmark",
        "mqbench": "benchmark",
        "survey-papers": None,
        "survey-of-binarization": "survey-papers",
        "survey-of-quantization": "survey-papers",
    }
    # BiBench: bold entry under Benchmark > BiBench, and again under 2023.
    assert ids["2301.11233"].topics == ["bibench"]
    assert len(ids["2301.11233"].sources) == 2


def test_awesome_pruning(reading_lists_dir: Path) -> None:
    text = read(reading_lists_dir / "awesome-pruning.md")
    parsed = parse_markdown(text, "pruning.md")
    arxiv = [r for r in parsed.records if r.arxiv_id]
    other = [r for r in parsed.records if not r.arxiv_id]

    # Table rows that are papers start with `| [`; header rows start with `| Title`, the
    # legend with `| Type` / `| Explanation`: 278 rows, 103 of them with an arxiv.org link.
    rows = [ln for ln in text.splitlines() if ln.startswith("| [")]
    assert (len(rows), sum("arxiv.org" in ln for ln in rows)) == (278, 103)
    # arXiv records: the ids of those rows, one row's second id ("Extension1"), and the
    # survey named in a heading: 105 = all distinct ids in the file.
    expected_ids = {a.id for a in find_arxiv_ids(text)}
    assert len(expected_ids) == 105
    assert {r.arxiv_id for r in arxiv} == expected_ids
    # Non-arXiv: 278 - 103 = 175 rows; two pairs of rows share a URL with different
    # titles (list slips) and stay apart.
    assert len(other) == 175
    # Skipped: the 7 GitHub repositories under "## Related Repo".
    related = text.split("## Related Repo", 1)[1]
    repos = re.findall(r"^\[([^\]]+)\]\(https://github\.com/", related, re.M)
    assert len(repos) == 7
    assert [label for label, _ in parsed.skipped] == repos

    ids = by_id(parsed)
    samples = {
        "2006.10621": "On the Predictability of Pruning Across Scales",
        "1912.04427": "Winning the Lottery with Continuous Sparsification",
        "2010.15703": "Permute, Quantize, and Fine-tune: Efficient Compression of Neural Networks",
        "1811.12495": "On Implicit Filter Level Sparsity in Convolutional Neural Networks",
        "2303.00566": "A Survey of Structured Pruning",
    }
    for arxiv_id, title in samples.items():
        assert ids[arxiv_id].title == title
        assert title in text
    assert ids["1912.04427"].version == 4
    assert ids["1905.04967"].title is None  # "[Extension1](...)" names no title
    titles = by_title(parsed)
    ramanujan = titles["Revisiting Pruning at Initialization Through the Lens of Ramanujan Graph"]
    assert (ramanujan.url, ramanujan.year) == ("https://openreview.net/forum?id=uVcDssQff_", 2023)
    assert (
        titles[
            '"Lossless" Compression of Deep Neural Networks: A High-dimensional Neural '
            "Tangent Kernel Approach"
        ].year
        == 2022
    )
    # The year sections sit under "## Table of Contents" in this file: still papers, no topics.
    assert parsed.topic_parents == {}
    assert all(r.topics == [] for r in parsed.records)


SEED_NAMES = ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("prefix", SEED_NAMES)
def test_seed_lists_find_every_arxiv_id(seeds_dir: Path, prefix: str) -> None:
    (path,) = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    text = read(path)
    parsed = parse_markdown(text, path.name)
    expected = {a.id for a in find_arxiv_ids(text)}
    assert expected, "every seed list names arXiv papers"
    assert {r.arxiv_id for r in parsed.records if r.arxiv_id} == expected
    # No topic is a year, and every record's topic is in the tree.
    assert not any(re.fullmatch(r"(19|20)\d\d", slug) for slug in parsed.topic_parents)
    for record in parsed.records:
        assert all(topic in parsed.topic_parents for topic in record.topics)
        assert record.sources and record.sources[0].startswith(f"{path.name}:")


def test_seed_quantization_other_keeps_quantization(seeds_dir: Path) -> None:
    (path,) = sorted(seeds_dir.glob("001_*.txt"))
    parsed = parse_markdown(read(path), path.name)
    ids = by_id(parsed)
    # "#### 其他" under "### 量化": its papers are quantization papers.
    for arxiv_id in ("1712.05877", "1510.00149", "1802.05668"):
        assert ids[arxiv_id].topics == ["量化"]
    assert "其他" not in parsed.topic_parents
    assert parsed.topic_parents["量化"] == "关于模型压缩"
    assert parsed.topic_parents["二值量化-binary-quantization"] == "量化"
    # `Mobilenet-v2[“Title,” 2018.](url)`: the title is the quoted one, the year the cited.
    assert ids["1801.04381"].title == (
        "Inverted residuals and linear bottlenecks: Mobile networks for classification, "
        "detection and segmentation"
    )
    assert (ids["1801.04381"].version, ids["1801.04381"].year) == (2, 2018)


def test_seed_paper_headings_and_notes(seeds_dir: Path) -> None:
    (path,) = sorted(seeds_dir.glob("000_*.txt"))
    text = read(path)
    parsed = parse_markdown(text, path.name)
    # `### [Title](url)` + remark paragraphs: 12 papers, each with its remarks as note.
    assert len(parsed.records) == 12
    assert all(r.note for r in parsed.records)
    for record in parsed.records:
        assert record.note in text  # kept exactly, Chinese and line breaks intact
    dns = by_id(parsed)["1608.04493"]
    assert dns.note.count("\n\n") == 1 and "微软" in dns.note
    assert parsed.topic_parents == {"卷积神经网络": None, "神经网络加速": None}

    (path,) = sorted(seeds_dir.glob("002_*.txt"))
    parsed = parse_markdown(read(path), path.name)
    # Plain `### Title` headings with numbered remarks linking "本文"; three have no link.
    assert by_id(parsed)["1512.07108"].title == "Recent Advances in Convolutional Neural Networks"
    assert {label for label, _ in parsed.skipped} == {
        "Do Deep Nets Really Need to be Deep？",
        "Deep Compression: Compressing Deep Neural Networks With Pruning, Trained Quantization "
        "and Huffman Coding",
        "Visualizing and Understanding Convolutional Networks",
    }


def test_seed_dates_duplicates_and_odd_links(seeds_dir: Path) -> None:
    (path,) = sorted(seeds_dir.glob("004_*.txt"))
    parsed = parse_markdown(read(path), path.name)
    ids = by_id(parsed)
    assert ids["1404.7828"].year == 2014  # `*2014-04-30*`
    assert ids["cond-mat/9901212"].year == 1999
    # Listed under 梯度爆炸 and again under 梯度消失: one record, both topics.
    assert ids["1211.5063"].topics == ["梯度爆炸", "梯度消失"]
    # `[Title](#large_batch)` under SGD joins the paper it points to.
    assert ids["1706.02677"].topics == ["分类", "sgd"]
    assert [label for label, _ in parsed.skipped] == [
        "Deformable Convolutional Networks",  # a site-relative link
        "深度学习参数怎么调优，这12个trick告诉你",  # a blog post (zhuanlan.zhihu.com)
        "A Quick Survey on Large Scale Distributed Deep Learning Systems",  # no link at all
        "Machine Learning for Beginners: An Introduction to Neural Networks",  # a blog post
    ]
    assert ids["1907.05653"].topics == ["卷积"]  # "2.1.6 其他" under "2.1 卷积"


def test_every_shared_markdown_file_parses(reading_lists_dir: Path, seeds_dir: Path) -> None:
    for path in [*reading_lists_dir.rglob("*.md"), *seeds_dir.iterdir()]:
        parsed = parse_markdown(read(path), path.name)
        assert all(r.arxiv_id or r.url for r in parsed.records), path.name


# ----------------------------------------------------------------------------------------
# Properties


# Pieces of markdown (and of trouble) that random texts are put together from.
# fmt: off
MARKDOWN_BITS = [
    "[", "]", "(", ")", "[[", "]]", "](", "![", "**", "__", "*", "_", "`", "```", "~~~", "#",
    "## ", "### 2021\n", "\n", "\n\n", "- ", "1. ", "* ", "> ", "|", "| [", "---\n", "===\n",
    "<!--", "-->", "<pre>", "</pre>", '<a href="', '">', "</a>", "《", "》", '"', "“", "”",
    "**[1]** ", "[1] ", "http://", "https://arxiv.org/abs/", "arXiv:", "CoRR, abs/",
    "1706.03762", "2101.00001v2", "hep-th/9901001", "#anchor", "github.com/x", "(2015)",
    "*2019-05-24*", ":star:", "⭐", "其他", "Other", "Table of Contents", "本文", "Title Words",
    " ", "\t", "\r\n", "\ufeff", "\u200b", "\x0c", "é", "😀", "a.b.",
]
# fmt: on


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=400), st.lists(st.sampled_from(MARKDOWN_BITS), max_size=120).map("".join)
    )
)
def test_arbitrary_text_never_raises_anything_else(text: str) -> None:
    try:
        parsed = parse_markdown(text, "fuzz.md", extra_topics=("extra",))
    except ImportFormatError:
        assert "\x00" in text
        return
    assert isinstance(parsed, ParsedList)
    for record in parsed.records:
        assert record.arxiv_id or record.url or record.title
        assert record.sources and record.sources[0].startswith("fuzz.md:")
        assert "extra" in record.topics
        assert record.title is None or (record.title == record.title.strip() and record.title)
    for child, parent in parsed.topic_parents.items():
        assert child and child != parent
    for label, reason in parsed.skipped:
        assert isinstance(label, str) and "fuzz.md:" in reason


# Title words; none is a link label ("pdf", "code" ...), which would rightly not be a title.
WORDS = re.findall(
    r"\S+",
    "Deep Sparse Learning Networks Attention Transformers Efficient Robust Graph Neural "
    "Quantized Training Inference Vision Language Models Scaling Laws Kernel Methods Optimal "
    "Transport Diffusion Contrastive Embeddings Federated Adaptive Gradient Descent Boosting",
)
titles = st.lists(st.sampled_from(WORDS), min_size=2, max_size=8).map(" ".join) | st.tuples(
    st.sampled_from(WORDS), st.lists(st.sampled_from(WORDS), min_size=1, max_size=6)
).map(lambda t: f"{t[0]}: {' '.join(t[1])}")
new_ids = st.tuples(st.integers(7, 29), st.integers(1, 12), st.integers(0, 99999)).map(
    lambda t: f"{t[0]:02d}{t[1]:02d}.{t[2]:05d}"
)

LAYOUTS: dict[str, Callable[[int, str, str], str]] = {
    "link": lambda n, i, t: f"1. [{t}](https://arxiv.org/abs/{i})",
    "label": lambda n, i, t: (
        f"- [[arXiv](https://arxiv.org/abs/{i})] {t}. [[code](https://github.com/a/b{n})]"
    ),
    "bold": lambda n, i, t: (
        f"\n**{t}** [[Paper](https://arxiv.org/pdf/{i}.pdf)] [[Project](https://x.github.io/p{n})]\n"
    ),
    "row": lambda n, i, t: f"| [{t}](http://cn.arxiv.org/abs/{i}) | ICML | `W` | - |",
    "cite": lambda n, i, t: (
        f'\n**[{n}]** Doe, Jane, et al. "**{t}**." arXiv preprint arXiv:{i} (2020). '
        f"[[pdf]](https://example.org/{n}.pdf) :star:\n"
    ),
    "heading": lambda n, i, t: (
        f"\n### [{t}](https://arxiv.org/abs/{i})\n\nA remark on paper {n}.\n"
    ),
}


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(sorted(LAYOUTS)),
    st.lists(st.tuples(new_ids, titles), min_size=1, max_size=25, unique_by=lambda p: p[0]),
)
def test_generated_lists_round_trip(layout: str, papers: list[tuple[str, str]]) -> None:
    render = LAYOUTS[layout]
    lines = ["# My Reading List", "", "## Some Topic", ""]
    if layout == "row":
        lines += ["| Title | Venue | Type | Code |", "|:--|:--:|:--:|:--:|"]
    lines += [render(n, arxiv_id, title) for n, (arxiv_id, title) in enumerate(papers, 1)]
    parsed = parse_markdown("\n".join(lines), "gen.md")
    assert [(r.arxiv_id, r.title) for r in parsed.records] == papers
    assert all(r.topics == ["some-topic"] for r in parsed.records)
    assert parsed.skipped == []


# ----------------------------------------------------------------------------------------
# Pathological input, bounded in time

PATHOLOGICAL = {
    "brackets": "[" * 5_000_000,
    "closing": "]" * 5_000_000,
    "link-openers": "[a](" * 1_250_000,
    "nested-openers": "[[a](" * 1_000_000,
    "bang-brackets": "![" * 2_500_000,
    "stars": "*" * 5_000_000,
    "underscores": "_a" * 2_500_000,
    "quotes": '"a' * 2_500_000,
    "backticks": "`](" * 1_600_000,
    "dotted": "a." * 2_500_000,
    "arxiv-words": "arxiv.org/abs/" * 350_000,
    "html-anchors": '<a href="' * 500_000,
    "comment-openers": "<!--" * 1_250_000,
    "pipes": "|" * 5_000_000,
    "hashes": "#" * 5_000_000,
    "heading-spaces": "# a" + " " * 5_000_000 + "b {:x}",
    "list-markers": "- " * 2_500_000,
    "urls": "http://x.y/" * 450_000,
    "bold-label": "**[1]** " + "**a" * 1_500_000,
    "one-line-of-entries": '[[a](b)] x [c](#d) **e** "f" *2019* ' * 150_000,
    # Not a trap but volume: 20,000 entry-like lines, each read (and skipped).
    "many-lines": '[[a](b)] x [c](#d) **e** "f" *2019*\n' * 20_000,
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_input_is_parsed(name: str) -> None:
    # A catastrophic (super-linear) parse would hit pytest's timeout; the time itself is
    # measured by benchmarks/ (markdown parsing), never asserted here.
    parsed = parse_markdown(PATHOLOGICAL[name], "bad.md")
    assert isinstance(parsed, ParsedList)


def test_fifty_megabyte_line() -> None:
    text = "- [A Paper](https://arxiv.org/abs/1706.03762) " + "word " * 10_000_000
    parsed = parse_markdown(text)
    assert [r.arxiv_id for r in parsed.records] == ["1706.03762"]


def ten_thousand_items() -> str:
    lines = ["# Generated", ""]
    for n in range(10_000):
        if n % 500 == 0:
            lines += ["", f"## Topic {n // 500}", ""]
        arxiv_id = f"{10 + n % 15:02d}{1 + n % 12:02d}.{n:05d}"
        lines.append(
            f"- [[arXiv](https://arxiv.org/abs/{arxiv_id})] Paper number {n}: a study of "
            f"things [[code](https://github.com/x/y{n})]"
        )
    return "\n".join(lines)


def test_ten_thousand_items() -> None:
    # Its speed is measured by benchmarks/markdown_import.py, not asserted here.
    parsed = parse_markdown(ten_thousand_items())
    assert len(parsed.records) == 10_000
    assert parsed.records[9_999].title == "Paper number 9999: a study of things"
    assert parsed.records[9_999].topics == ["topic-19"]

"""data/seed.json: the hand-curated reading lists papertrail starts from.

The record set is curated by hand from the five seed lists in ../shared/seeds (never copied
into the project).  The first group of tests needs only seed.json: schema, formatting,
topic tree, duplicates, spot checks.  The second group reads the seed lists (through the
`seeds_dir` fixture, which skips when ../shared is absent) and checks seed.json against
them with simple, independent scans: arXiv ids, notes quoted verbatim, headings, item and
link counts.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from papertrail.model.ids import abs_url, find_arxiv_ids, parse_arxiv_id

SEED_JSON = Path(__file__).resolve().parents[1] / "data" / "seed.json"

F0 = "000_60836471c5500180.txt"
F1 = "001_c2729b8001ef4068.txt"
F2 = "002_b0c831d5687296c0.txt"
F3 = "003_d38181953bb63403.txt"
F4 = "004_a3889d1fb3751c42.txt"
SEED_FILES = (F0, F1, F2, F3, F4)

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TOP_KEYS = ["format", "version", "topics", "papers"]
TOPIC_KEYS = ["slug", "parent", "headings"]
PAPER_KEYS = ["arxiv_id", "title", "url", "year", "topics", "note", "sources"]

# Curated totals.  Counted as: one record per distinct paper or reading item named in the
# five lists (ids checked below per file); "arXiv" = records with an arxiv_id.
ARXIV_RECORDS = 100
NON_ARXIV_RECORDS = 22

# arXiv papers a list named without an arXiv link (a NIPS/JMLR/Semantic Scholar PDF, a
# relative link, or no link at all): the id comes from the curator, not from the text.
ARXIV_WITHOUT_ARXIV_LINK = {
    F0: {"1506.02626", "1608.03665"},
    F1: set(),
    F2: {"1312.6184", "1510.00149", "1411.1792", "1311.2901"},
    F3: {"1602.02830", "1510.00149", "1406.2661", "1502.04623"},
    F4: {"1703.06211"},
}


# ---------------------------------------------------------------- helpers


def load_seed() -> dict:
    return json.loads(SEED_JSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed() -> dict:
    return load_seed()


def normalise_title(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def by_arxiv(seed: dict) -> dict[str, dict]:
    return {p["arxiv_id"]: p for p in seed["papers"] if p["arxiv_id"]}


def by_title(seed: dict, title: str) -> dict:
    matches = [p for p in seed["papers"] if normalise_title(p["title"]) == normalise_title(title)]
    assert len(matches) == 1, f"{title!r}: {len(matches)} records"
    return matches[0]


def ancestors(seed: dict, slug: str) -> list[str]:
    parents = {t["slug"]: t["parent"] for t in seed["topics"]}
    chain: list[str] = []
    while slug is not None:
        assert slug not in chain, f"cycle through {slug}"
        chain.append(slug)
        slug = parents[slug]
    return chain


def read_seed(seeds_dir: Path, name: str) -> str:
    return (seeds_dir / name).read_text(encoding="utf-8")


# ---------------------------------------------------------------- seed.json alone


def test_seed_json_is_utf8_indent2_without_ascii_escapes() -> None:
    text = SEED_JSON.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert text == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    assert "\\u" not in text  # Chinese text is stored as itself


def test_schema(seed: dict) -> None:
    assert list(seed) == TOP_KEYS
    assert seed["format"] == "papertrail"
    assert seed["version"] == 1
    assert seed["topics"] and seed["papers"]
    for topic in seed["topics"]:
        assert list(topic) == TOPIC_KEYS, topic
        assert SLUG_RE.match(topic["slug"]), topic["slug"]
        assert topic["parent"] is None or SLUG_RE.match(topic["parent"]), topic
        assert isinstance(topic["headings"], list) and topic["headings"], topic
        assert all(isinstance(h, str) and h.strip() == h and h for h in topic["headings"])
        assert len(set(topic["headings"])) == len(topic["headings"]), topic
    for paper in seed["papers"]:
        assert list(paper) == PAPER_KEYS, paper
        aid = paper["arxiv_id"]
        if aid is not None:
            parsed = parse_arxiv_id(aid)
            assert (parsed.id, parsed.version) == (aid, None), f"not canonical: {aid}"
        assert isinstance(paper["title"], str) and paper["title"].strip() == paper["title"]
        assert paper["title"].casefold() not in {"paper", "pdf", "ppt", "blog", "本文"}
        assert paper["url"] is None or re.match(r"^https?://\S+$", paper["url"]), paper
        assert paper["year"] is None or (
            isinstance(paper["year"], int) and 1900 < paper["year"] <= 2030
        ), paper
        assert isinstance(paper["topics"], list), paper
        assert len(set(paper["topics"])) == len(paper["topics"]), paper
        assert paper["note"] is None or (isinstance(paper["note"], str) and paper["note"].strip())
        assert paper["sources"], paper
        assert len(set(paper["sources"])) == len(paper["sources"]), paper
        assert all(s in SEED_FILES for s in paper["sources"]), paper["sources"]
        assert paper["sources"] == sorted(paper["sources"]), paper["sources"]


def test_all_slugs_are_lower_case_hyphenated(seed: dict) -> None:
    slugs = [t["slug"] for t in seed["topics"]]
    slugs += [s for p in seed["papers"] for s in p["topics"]]
    bad = [s for s in slugs if not SLUG_RE.match(s)]
    assert not bad


def test_arxiv_year_matches_id(seed: dict) -> None:
    for paper in seed["papers"]:
        aid = paper["arxiv_id"]
        if aid:
            yymm = aid.split("/")[-1][:2]
            century = 1900 if int(yymm) >= 91 else 2000
            assert paper["year"] == century + int(yymm), paper


def test_topic_tree_parents_exist_come_first_no_cycles(seed: dict) -> None:
    seen: set[str] = set()
    for topic in seed["topics"]:
        assert topic["slug"] not in seen, f"duplicate topic {topic['slug']}"
        assert topic["parent"] is None or topic["parent"] in seen, (
            f"{topic['slug']}: parent {topic['parent']} missing or listed later"
        )
        seen.add(topic["slug"])
    for topic in seed["topics"]:
        ancestors(seed, topic["slug"])  # raises on a cycle
    assert "other" not in seen and "others" not in seen


def test_every_referenced_topic_exists(seed: dict) -> None:
    slugs = {t["slug"] for t in seed["topics"]}
    missing = {s for p in seed["papers"] for s in p["topics"]} - slugs
    assert not missing


def test_no_duplicate_arxiv_ids_titles_or_urls(seed: dict) -> None:
    ids = Counter(p["arxiv_id"] for p in seed["papers"] if p["arxiv_id"])
    assert [i for i, n in ids.items() if n > 1] == []
    titles = Counter(normalise_title(p["title"]) for p in seed["papers"])
    assert [t for t, n in titles.items() if n > 1] == []
    urls = Counter(p["url"] for p in seed["papers"] if p["url"])
    assert [u for u, n in urls.items() if n > 1] == []


def test_curated_totals(seed: dict) -> None:
    with_id = [p for p in seed["papers"] if p["arxiv_id"]]
    without = [p for p in seed["papers"] if not p["arxiv_id"]]
    assert (len(with_id), len(without)) == (ARXIV_RECORDS, NON_ARXIV_RECORDS)


def test_deep_compression_is_one_record_from_three_lists(seed: dict) -> None:
    paper = by_arxiv(seed)["1510.00149"]
    assert paper["title"] == (
        "Deep Compression: Compressing Deep Neural Networks with Pruning, "
        "Trained Quantization and Huffman Coding"
    )
    assert paper["sources"] == [F1, F2, F3]  # arXiv link, no link, Semantic Scholar PDF
    # 001 lists it under 量化 / 其他 -> quantization; 003 has it under 深度学习优化.  No
    # list puts it under a pruning heading; pruning is curated from 002's remark.
    assert any("quantization" in ancestors(seed, t) for t in paper["topics"])
    assert "deep-learning-optimization" in paper["topics"]
    assert "pruning" in paper["topics"]
    assert "对网络进行剪枝，去除掉不活跃的连接" in paper["note"]  # the pruning step, in 002
    assert paper["url"] == "https://arxiv.org/abs/1510.00149"


def test_batch_normalization_is_one_record_with_several_sources(seed: dict) -> None:
    records = [p for p in seed["papers"] if "batch normalization" in p["title"].casefold()]
    assert len(records) == 1
    paper = records[0]
    assert paper["arxiv_id"] == "1502.03167"
    assert paper["sources"] == [F0, F2, F3]
    assert paper["topics"] == ["cnn", "deep-learning-models"]
    assert len(paper["note"].split("\n\n")) == 3  # one remark per list


def test_the_two_dropout_papers_are_two_records(seed: dict) -> None:
    coadaptation = by_arxiv(seed)["1207.0580"]
    assert coadaptation["title"] == (
        "Improving neural networks by preventing co-adaptation of feature detectors"
    )
    assert coadaptation["sources"] == [F0, F3]
    jmlr = by_title(seed, "Dropout: A Simple Way to Prevent Neural Networks from Overfitting")
    assert jmlr["arxiv_id"] is None
    assert jmlr["sources"] == [F3, F4]
    assert jmlr["url"].startswith("http://www.jmlr.org/papers/volume15/srivastava14a")
    assert jmlr["topics"] == ["deep-learning-models", "overfitting"]


def test_papers_named_in_several_lists_are_merged(seed: dict) -> None:
    papers = by_arxiv(seed)
    expected = {
        "1704.04861": [F0, F1],  # MobileNets
        "1602.01528": [F0, F1],  # EIE
        "1602.07360": [F1, F3],  # SqueezeNet
        "1607.06450": [F2, F3],  # Layer Normalization (002: a link inside BN's remark)
        "1412.6980": [F3, F4],  # Adam
    }
    for aid, sources in expected.items():
        assert papers[aid]["sources"] == sources, aid
    # Entries repeated inside 004 are one record carrying every heading's topic.
    assert papers["1211.5063"]["topics"] == ["exploding-gradients", "vanishing-gradients"]
    assert papers["1801.03744"]["topics"] == ["exploding-gradients", "vanishing-gradients"]
    assert papers["1706.02677"]["topics"] == ["classification", "sgd"]
    assert papers["1904.06963"]["topics"] == ["overfitting", "sgd"]
    assert papers["1706.02677"]["note"].endswith("\n\n证明了大批次下 SGD 不稳定；")


def test_non_arxiv_reading_items_are_present(seed: dict) -> None:
    gemm = by_title(seed, "Why GEMM is at the heart of deep learning")
    assert gemm["arxiv_id"] is None
    assert gemm["url"] == (
        "https://petewarden.com/2015/04/20/why-gemm-is-at-the-heart-of-deep-learning/"
    )
    assert gemm["topics"] == ["convolution"]
    nvdla = by_title(seed, "The NVIDIA Deep Learning Accelerator")
    assert (nvdla["arxiv_id"], nvdla["url"]) == (None, "http://nvdla.org/")
    assert nvdla["topics"] == ["hardware-accelerators"]
    dadiannao = by_title(seed, "DaDianNao: A Machine-Learning Supercomputer")
    assert dadiannao["url"] == "http://dl.acm.org/citation.cfm?id=2742217"


def test_arxiv_ids_for_papers_linked_elsewhere(seed: dict) -> None:
    papers = by_arxiv(seed)
    assert papers["1312.6184"]["title"] == "Do Deep Nets Really Need to be Deep?"
    assert papers["1311.2901"]["title"] == "Visualizing and Understanding Convolutional Networks"
    assert papers["1602.02830"]["title"].startswith("Binarized Neural Networks")
    assert papers["1602.02830"]["url"].startswith("https://pdfs.semanticscholar.org/")
    assert papers["cond-mat/9901212"]["title"] == (
        "Analysis of Natural Gradient Descent for Multilayer Neural Networks"
    )


def test_chinese_remarks_are_kept_intact(seed: dict) -> None:
    paper = by_arxiv(seed)["1506.02626"]
    assert paper["note"] == (
        "是`Dynamic Network Surgery for Efficient DNNs`的主要参考文献。\n\n"
        "提出了一种去掉某种阈值以下的参数，后用更小的learning rate来重新训练"
        "（训练耗时可能是原来训练的数倍）来补偿去掉参数的做法；"
        "可以将网络大小缩小10x左右（对于VGG或LeNet)。"
    )
    eie = by_arxiv(seed)["1602.01528"]
    assert eie["note"] == (
        "给出了另一种ASIC加速CNN的方案。\n"
        "其中有目前主流硬件的对比，包括Core i7, Titan X, Terga K1, DaDianNao等等。"
    )


# ---------------------------------------------------------------- against the seed lists


def test_seed_dir_holds_exactly_the_curated_files(seeds_dir: Path, seed: dict) -> None:
    on_disk = {p.name for p in seeds_dir.glob("*.txt")}
    assert on_disk == set(SEED_FILES)
    assert {s for p in seed["papers"] for s in p["sources"]} == set(SEED_FILES)


def test_find_arxiv_ids_sees_every_link_form_in_the_seeds(seeds_dir: Path) -> None:
    """The forms these lists use, and a blunt scan that nothing arXiv-like is missed."""
    texts = {name: read_seed(seeds_dir, name) for name in SEED_FILES}
    found = {name: {i.id for i in find_arxiv_ids(text)} for name, text in texts.items()}
    assert "cond-mat/9901212" in found[F4]  # http://cn.arxiv.org/abs/cond-mat/9901212
    assert "1404.7828" in found[F4]  # http://cn.arxiv.org/abs/...
    assert "1112.6209" in found[F3]  # https://arxiv.org/pdf/1112.6209.pdf&embed
    assert "1607.06450" in found[F2]  # <https://arxiv.org/pdf/1607.06450.pdf>
    assert "1502.03167" in found[F2]  # http://arxiv.org/pdf/1502.03167 (no .pdf)
    assert "1801.04381" in found[F1]  # https://arxiv.org/abs/1801.04381v2
    blunt = re.compile(r"arxiv\.org/(?:abs|pdf)/([a-z-]+/\d{7}|\d{4}\.\d{4,5})", re.IGNORECASE)
    for name, text in texts.items():
        assert set(blunt.findall(text)) <= found[name], name


def test_every_arxiv_id_in_the_seeds_is_one_record(seeds_dir: Path, seed: dict) -> None:
    counts = Counter(p["arxiv_id"] for p in seed["papers"] if p["arxiv_id"])
    papers = by_arxiv(seed)
    for name in SEED_FILES:
        for arxiv_id in find_arxiv_ids(read_seed(seeds_dir, name)):
            assert counts[arxiv_id.id] == 1, f"{arxiv_id.id} from {name}"
            assert name in papers[arxiv_id.id]["sources"], f"{arxiv_id.id} from {name}"


def test_arxiv_records_per_file_are_the_linked_ids_plus_known_ones(
    seeds_dir: Path, seed: dict
) -> None:
    for name in SEED_FILES:
        linked = {i.id for i in find_arxiv_ids(read_seed(seeds_dir, name))}
        assert not linked & ARXIV_WITHOUT_ARXIV_LINK[name]
        recorded = {p["arxiv_id"] for p in seed["papers"] if p["arxiv_id"] and name in p["sources"]}
        assert recorded == linked | ARXIV_WITHOUT_ARXIV_LINK[name], name


def test_notes_quote_the_lists_verbatim(seeds_dir: Path, seed: dict) -> None:
    # Lines are compared without trailing blanks (markdown hard-break spaces).
    texts = {
        name: "\n".join(line.rstrip() for line in read_seed(seeds_dir, name).split("\n"))
        for name in SEED_FILES
    }
    for paper in seed["papers"]:
        if paper["note"] is None:
            continue
        for paragraph in paper["note"].split("\n\n"):
            assert any(paragraph in texts[s] for s in paper["sources"]), (
                f"{paper['title']}: {paragraph[:60]!r}"
            )


def paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated paragraphs of rstripped lines."""
    out: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            out[-1].append(line.rstrip())
        elif out[-1]:
            out.append([])
    return ["\n".join(p) for p in out if p]


def record_for_link(seed: dict, url: str) -> dict:
    ids = find_arxiv_ids(url)
    if ids:
        return by_arxiv(seed)[ids[0].id]
    if url in OTHER_LINK_OF:
        return by_title(seed, OTHER_LINK_OF[url])
    (record,) = [p for p in seed["papers"] if p["url"] == url]
    return record


def record_for_heading(seed: dict, name: str, heading: str) -> dict:
    key = normalise_title(heading)
    matches = [
        p
        for p in seed["papers"]
        if name in p["sources"] and key.startswith(normalise_title(p["title"]))
    ]
    assert len(matches) == 1, (name, heading)
    return matches[0]


def remarks_in_list(name: str, text: str, seed: dict) -> list[tuple[dict, list[str]]]:
    """(record, remark paragraphs) for each entry of one list, read from its layout."""
    lines = text.split("\n")
    found: list[tuple[dict, list[str]]] = []
    if name in (F0, F2):  # "### paper" headings, the remark below until the next separator
        starts = [i for i, line in enumerate(lines) if line.startswith("### ")]
        for i in starts:
            end = i + 1
            while end < len(lines) and not re.match(r"^(#|\* \* \*)", lines[end]):
                end += 1
            heading = lines[i][4:].strip()
            link_text = re.match(r"^\[(.+)\]\(", heading)
            title = link_text.group(1) if link_text else heading
            found.append((record_for_heading(seed, name, title), paragraphs(lines[i + 1 : end])))
    elif name == F3:  # the paragraph just before each "[n] [url](url)" line
        for i, line in enumerate(lines):
            link = re.match(r"^\[\d+\] \[(https?://[^\]]+)\]", line)
            if link:
                end = i
                while not lines[end - 1].strip():
                    end -= 1
                start = end
                while lines[start - 1].strip():
                    start -= 1
                found.append((record_for_link(seed, link.group(1)), paragraphs(lines[start:end])))
    elif name == F4:  # "1. [title](url)", a date/links line, then the remark lines
        for i, line in enumerate(lines):
            item = re.match(r"^1\. (?:\[(.+?)\]\(|(.+))", line)
            if not item:
                continue
            title = (item.group(1) or item.group(2)).strip()
            end = i + 2 if lines[i + 1].strip() else i + 1  # an entry may lack the date line
            while (
                end < len(lines) and lines[end].strip() and not re.match(r"^(1\. |#)", lines[end])
            ):
                end += 1
            record = by_title(seed, title.replace("Dropout:A", "Dropout: A"))
            found.append((record, paragraphs(lines[i + 2 : end])))
    return found


def test_notes_are_all_the_remarks_of_all_lists(seeds_dir: Path, seed: dict) -> None:
    """Each note is exactly its lists' remarks, list by list, joined by blank lines."""
    expected: dict[int, list[str]] = {id(p): [] for p in seed["papers"]}
    for name in SEED_FILES:  # 001 has section descriptions but no remark on any entry
        for record, remark in remarks_in_list(name, read_seed(seeds_dir, name), seed):
            expected[id(record)].extend(remark)
    for paper in seed["papers"]:
        want = "\n\n".join(expected[id(paper)]) or None
        assert paper["note"] == want, paper["title"]


# Lines that mark one named item in each list (a paper heading, a bullet, a numbered
# reference); the adjustment turns marks into distinct records: 002 also names Layer
# Normalization by a bare link inside the BN remark (+1); 004 repeats 4 entries (-4).
ITEM_MARKS = {
    F0: (r"^### \[", 0),
    F1: (r"^(?:\* |\[)", 0),
    F2: (r"^### ", +1),
    F3: (r"^\[\d+\] \[", 0),
    F4: (r"^1\. ", -4),
}


def test_item_count_per_file(seeds_dir: Path, seed: dict) -> None:
    for name, (mark, adjust) in ITEM_MARKS.items():
        marks = len(re.findall(mark, read_seed(seeds_dir, name), re.MULTILINE))
        records = sum(1 for p in seed["papers"] if name in p["sources"])
        assert records == marks + adjust, name


# Links that are not reading items: code, the author's page, the blog/news site hosting a
# list, discussion threads, a "介绍" (introduction) page and a code page inside remarks.
SIDE_LINKS = re.compile(
    r"github\.com|novel\.ict\.ac\.cn|yosinski\.com|leiphone\.com|wikipedia\.org|csdn\.net"
    r"|openreview\.net|reddit\.com|ruder\.io|www\.zhihu\.com/question/"
)
LINK_RE = re.compile(r"(!?)\[[^\]]*\]\(\s*(https?://[^)\s]+)\s*\)|<(https?://[^>\s]+)>")
NON_ARXIV_LINKS = {F0: 5, F1: 2, F2: 2, F3: 6, F4: 14}
# A link whose paper's record keeps another list's link (record chosen by title).
OTHER_LINK_OF = {
    "https://pdfs.semanticscholar.org/5b6c/9dda1d88095fa4aac1507348e498a1f2e863.pdf": (
        "Deep Compression: Compressing Deep Neural Networks with Pruning, "
        "Trained Quantization and Huffman Coding"
    ),
    "http://jmlr.org/papers/volume15/srivastava14a/srivastava14a.pdf": (
        "Dropout: A Simple Way to Prevent Neural Networks from Overfitting"
    ),
}


def non_arxiv_links(text: str) -> set[str]:
    links = set()
    for image, target, auto in LINK_RE.findall(text):
        url = target or auto
        if image or find_arxiv_ids(url) or SIDE_LINKS.search(url):
            continue
        if urlparse(url).netloc.startswith("www.google.") and urlparse(url).path == "/url":
            url = parse_qs(urlparse(url).query)["url"][0]  # a search-result redirect
        links.add(url)
    return links


def test_non_arxiv_links_per_file_are_records(seeds_dir: Path, seed: dict) -> None:
    for name, expected in NON_ARXIV_LINKS.items():
        links = non_arxiv_links(read_seed(seeds_dir, name))
        assert len(links) == expected, (name, sorted(links))
        from_file = [p for p in seed["papers"] if name in p["sources"]]
        for url in links:
            if url in OTHER_LINK_OF:
                record = by_title(seed, OTHER_LINK_OF[url])
                assert name in record["sources"] and record["url"] != url
            else:
                assert any(p["url"] == url for p in from_file), (name, url)
        # and the other way: a record whose link came from this list is found in it
        for paper in from_file:
            url = paper["url"]
            if paper["sources"][0] == name and url and not find_arxiv_ids(url):
                assert url in links, (name, url)


def test_record_urls_come_from_the_lists(seeds_dir: Path, seed: dict) -> None:
    texts = {name: read_seed(seeds_dir, name) for name in SEED_FILES}
    for paper in seed["papers"]:
        url = paper["url"]
        if url is None:
            assert paper["arxiv_id"] is None  # arXiv papers always get a link
            continue
        first = texts[paper["sources"][0]]
        if url in first or url in non_arxiv_links(first):
            continue
        # no arXiv link in any list: the canonical abstract page
        assert paper["arxiv_id"] in set().union(*ARXIV_WITHOUT_ARXIV_LINK.values()), url
        assert url == abs_url(paper["arxiv_id"]), url


# Headings of each list.  Markdown headings (a numbering like "2.1.3" or "A" is not part
# of the name) and 003's bold numbered section lines.  A heading is a topic heading, "其他"
# (its papers sit under the parent topic), the title of the whole document, or a paper.
HEADING_RE = re.compile(r"^#{1,6}\s+(.+?)\s*$|^\*\*\d+\.\s*(.+?)\*\*\s*$", re.MULTILINE)
NUMBERING_RE = re.compile(r"^(?:\d+(?:\.\d+)*|[A-Z])\s+")
DOCUMENT_TITLES = {"Reading-List", "深度学习零基础进阶第二弹 - jiangjingxuan的博客 - CSDN博客"}


def headings(text: str) -> list[str]:
    found = []
    for markdown, bold in HEADING_RE.findall(text):
        found.append(NUMBERING_RE.sub("", markdown or bold))
    return found


def test_every_heading_is_accounted_for(seeds_dir: Path, seed: dict) -> None:
    topic_of = {h: t["slug"] for t in seed["topics"] for h in t["headings"]}
    used_headings: set[str] = set()
    for name in SEED_FILES:
        titles = [normalise_title(p["title"]) for p in seed["papers"] if name in p["sources"]]
        for heading in headings(read_seed(seeds_dir, name)):
            used_headings.add(heading)
            if heading in topic_of or heading == "其他" or heading in DOCUMENT_TITLES:
                continue
            link_text = re.match(r"^\[(.+)\]\(", heading)
            key = normalise_title(link_text.group(1) if link_text else heading)
            assert any(key.startswith(t) for t in titles), (name, heading)
    assert set(topic_of) <= used_headings  # no invented heading


def test_paper_topics_come_from_headings_of_their_lists(seeds_dir: Path, seed: dict) -> None:
    file_headings = {name: set(headings(read_seed(seeds_dir, name))) for name in SEED_FILES}
    topic_headings = {t["slug"]: set(t["headings"]) for t in seed["topics"]}
    for paper in seed["papers"]:
        present = set().union(*(file_headings[s] for s in paper["sources"]))
        for slug in paper["topics"]:
            if (paper["arxiv_id"], slug) == ("1510.00149", "pruning"):
                # Curated: no heading puts Deep Compression under pruning, but 002's own
                # remark describes its pruning step ("对网络进行剪枝"), and the paper is
                # as much a pruning paper as a quantization one.
                assert "剪枝" in paper["note"]
                continue
            assert topic_headings[slug] & present, (paper["title"], slug)
        if paper["sources"] == [F2]:  # 002 has paper headings but no section headings
            assert paper["topics"] == []

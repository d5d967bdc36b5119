"""papertrail's benchmark: whole-process timings of everyday commands on synthetic libraries.

    python benchmarks/bench.py [--quick] [--sizes 1000,10000,100000] [--runs N]
                               [--label NAME] [--append]
    python benchmarks/bench.py --importtime list --topic quantization

Builds deterministic synthetic libraries (cached under benchmarks/.work/), runs the
installed `papertrail` console script in fresh processes with output to a pipe, times each
command (median and min-max after a warm-up) against a stdlib-sqlite3 baseline
(benchmarks/baseline_topic.py), records each process's peak RSS, counts the requests
`papertrail fetch` sends to a local arXiv stand-in, checks the budgets, and writes
benchmarks/results.md. Standard library only, plus papertrail itself (to create the schema).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import accumulate, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from papertrail.store import Store

T = TypeVar("T")
BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
WORK_DIR = BENCH_DIR / ".work"
RESULTS_FILE = BENCH_DIR / "results.md"
PYCACHE_DIR = WORK_DIR / "pycache"
BASELINE_SCRIPT = BENCH_DIR / "baseline_topic.py"

# Bump when the generator changes: cached libraries are keyed by it.
GENERATOR_VERSION = 1
DEFAULT_SEED = 20261123
DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_RUNS = 7
IMPORT_ENTRIES = 10_000
FETCH_PAPERS = 1_000
FETCH_DELAY_S = 0.2
FETCH_BATCH = 100  # papertrail's default; the benchmark does not set PAPERTRAIL_ARXIV_BATCH
SPACING_TOLERANCE_S = 0.005  # clock and scheduling jitter between the client and the stub
PROCESS_TIMEOUT_S = 600.0

# What the commands are run with (chosen so that each exercises a realistic amount of data).
TOPIC = "quantization"  # mid-sized, with four sub-topics
SEARCH_WORD = "distillation"
TAG_TOPIC = "survey"
BUDGET_SIZE = 10_000
LARGE_SIZE = 100_000
NOW = datetime(2026, 11, 20, 12, 0, 0, tzinfo=UTC)


# ===================================================================== synthetic data


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    parent: str | None
    weight: int  # how often it is a paper's main topic
    phrases: tuple[str, ...]  # what titles about it say
    category: str  # arXiv primary category of its papers


# slug, parent ("-": a root), weight, arXiv category: the phrases titles use, "|"-separated.
_TOPIC_TABLE = """
deep-learning               -                      2 cs.LG: Deep Neural Networks|Deep Learning
cnn                         deep-learning          5 cs.CV: Convolutional Networks|ResNets|CNNs
transformers                deep-learning          4 cs.LG: Transformers|Vision Transformers
attention                   transformers           3 cs.LG: Sparse Attention|Linear Attention
large-language-models       transformers           6 cs.CL: Large Language Models|LLMs
generative-models           deep-learning          2 cs.LG: Generative Models|Density Estimation
diffusion-models            generative-models      4 cs.CV: Diffusion Models|Score Matching
gans                        generative-models      3 cs.CV: Adversarial Networks|GANs
graph-neural-networks       deep-learning          3 cs.LG: Graph Neural Networks|Message Passing
model-compression           -                      2 cs.LG: Model Compression|Efficient Inference
quantization                model-compression      3 cs.LG: Quantization|Low-Precision Training
binary-quantization         quantization           3 cs.CV: Binary Neural Networks|Binarized Weights
ternary-quantization        quantization           1 cs.CV: Ternary Weight Networks|Ternary Weights
mixed-precision             quantization           2 cs.LG: Mixed-Precision Quantization|Bit-Widths
post-training-quantization  quantization           2 cs.LG: Post-Training Quantization|Calibration
pruning                     model-compression      4 cs.LG: Network Pruning|Structured Sparsity
distillation                model-compression      3 cs.LG: Knowledge Distillation|Teacher-Student
efficient-architectures     model-compression      3 cs.CV: Mobile Networks|Architecture Search
optimization                -                      2 math.OC: Stochastic Optimization|SGD
optimizers                  optimization           3 cs.LG: Adaptive Optimizers|Momentum Methods
learning-rate-schedules     optimization           1 cs.LG: Learning Rate Schedules|Warmup
initialization              optimization           1 cs.LG: Weight Initialization|Normalization
reinforcement-learning      -                      2 cs.AI: Reinforcement Learning|Decision Making
policy-gradient             reinforcement-learning 3 cs.LG: Policy Gradients|Actor-Critic Methods
model-based-rl              reinforcement-learning 2 cs.AI: World Models|Model-Based Planning
computer-vision             -                      2 cs.CV: Visual Recognition|Image Understanding
detection                   computer-vision        4 cs.CV: Object Detection|Dense Prediction
segmentation                computer-vision        3 cs.CV: Semantic Segmentation|Instance Masks
nlp                         -                      2 cs.CL: Language Understanding|Text Encoders
machine-translation         nlp                    3 cs.CL: Machine Translation|Multilingual Models
survey                      -                      1 cs.LG: Deep Learning|Efficient Deep Learning
"""


def _topic_tree(table: str) -> tuple[TopicSpec, ...]:
    specs = []
    for line in table.strip().splitlines():
        head, phrases = line.split(":", 1)
        slug, parent, weight, category = head.split()
        specs.append(
            TopicSpec(
                slug=slug,
                parent=None if parent == "-" else parent,
                weight=int(weight),
                phrases=tuple(p.strip() for p in phrases.split("|")),
                category=category,
            )
        )
    return tuple(specs)


TOPIC_TREE = _topic_tree(_TOPIC_TABLE)
TOPICS_BY_SLUG = {t.slug: t for t in TOPIC_TREE}

ADJECTIVES = (
    "Efficient", "Robust", "Scalable", "Accurate", "Differentiable", "Adaptive", "Hierarchical",
    "Sparse", "Lightweight", "Provable", "Self-Supervised", "Contrastive", "Unified", "Simple",
    "Fast", "Memory-Efficient", "Data-Free", "Hardware-Aware", "Stable", "Generalizable",
)  # fmt: skip
TASKS = (
    "Image Classification", "Object Detection", "Language Modeling", "Speech Recognition",
    "Edge Devices", "Mobile Inference", "Video Understanding", "Few-Shot Learning",
    "Continual Learning", "Recommendation", "Question Answering", "Protein Structure Prediction",
    "Autonomous Driving", "Point Clouds", "Time Series Forecasting",
)  # fmt: skip
TECHNIQUES = (
    "Gradient Matching", "Low-Rank Factorization", "Meta-Learning", "Contrastive Pretraining",
    "Stochastic Rounding", "Reparameterization", "Curriculum Learning", "Bayesian Optimization",
    "Random Features", "Token Merging", "Weight Sharing", "Hessian Trace Estimation",
    "Straight-Through Estimators", "Optimal Transport",
)  # fmt: skip
PROPERTIES = (
    "Generalization", "Expressivity", "Robustness", "Convergence", "Calibration",
    "Sample Complexity", "Implicit Bias", "Loss Landscape", "Stability", "Scaling Behavior",
)  # fmt: skip
DATA_KINDS = ("Noisy Labels", "Unlabeled Data", "Synthetic Data", "Few Examples", "Web-Scale Data")
SCALES = ("Billions of Parameters", "Thousands of GPUs", "Long Sequences", "High Resolution")
CLAIMS = ("Secretly Linear", "Stronger Than You Think", "All You Need", "Surprisingly Effective")
METHOD_HEADS = (
    "Quant", "Bi", "Tern", "Sparse", "Deep", "Fast", "Mobile", "Eff", "Trans", "Graph", "Diff",
    "Prune", "Distil", "Hyper", "Meta", "Omni", "Lite", "Flex", "Ada", "Turbo",
)  # fmt: skip
METHOD_TAILS = ("Net", "Former", "BERT", "GAN", "Mix", "Flow", "Q", "NAS", "Det", "Seg", "Fusion")
TITLE_TEMPLATES = (
    "{method}: {adj} {kw} for {task}",
    "{adj} {kw} via {technique}",
    "Towards {adj} {kw}",
    "On the {prop} of {kw}",
    "{kw} with {technique}",
    "Learning {adj} {kw} from {data}",
    "Rethinking {kw} for {task}",
    "{method}: Scaling {kw} to {scale}",
    "When Do {kw} Help {task}?",
    "{adj} and {adj2} {kw}",
    "Understanding {kw} through {technique}",
    "{kw} Are {claim}",
)  # fmt: skip
FIRST_NAMES = (
    "Wei", "Yann", "Geoffrey", "Fei-Fei", "Andrej", "Jürgen", "Sepp", "Ilya", "Oriol", "Quoc",
    "Kaiming", "Ross", "Jian", "Xiangyu", "Song", "Huizi", "Mohammad", "Itay", "Matthieu",
    "Yoshua", "Ian", "Diederik", "Jimmy", "Sergey", "Christian", "Alex", "Karen", "Andrew",
    "Ming", "Yuxin", "Zhuang", "Tim", "Noam", "Ashish", "Niki", "Jakob", "Llion", "Aidan",
    "Łukasz", "Illia", "Emma", "Sofia", "Priya", "Amir", "Yuki", "Hiroshi", "Olga", "Nadia",
    "Carlos", "Ana", "Mei", "Jin", "Dmitry", "Elena", "Chiara", "Lars", "Ingrid", "Kwame",
    "Fatima", "Raj",
)  # fmt: skip
LAST_NAMES = (
    "Zhang", "Wang", "Li", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
    "Ma", "Han", "Dally", "Hubara", "Courbariaux", "Bengio", "Hinton", "LeCun", "Rastegari",
    "He", "Girshick", "Sutskever", "Vinyals", "Le", "Kingma", "Ba", "Ioffe", "Szegedy",
    "Krizhevsky", "Simonyan", "Zisserman", "Howard", "Müller", "Schmidhuber", "Hochreiter",
    "Vaswani", "Shazeer", "Parmar", "Uszkoreit", "Jones", "Gomez", "Kaiser", "Polosukhin",
    "Smith", "García", "Rossi", "Kowalski", "Novák", "Dvořák", "Tanaka", "Suzuki", "Kim",
    "Park", "Nguyen", "Singh", "Patel", "Khan", "Ivanova", "Petrov", "Silva", "Santos",
    "Okafor", "Mensah", "Johansson", "Nielsen", "O'Brien", "Fischer", "Schneider",
)  # fmt: skip
DATASETS = ("ImageNet", "CIFAR-10", "COCO", "GLUE", "WMT'14 En-De", "LibriSpeech", "ADE20K")
METRICS = ("top-1 accuracy", "mAP", "BLEU", "perplexity", "mIoU", "latency", "energy use")
NOTES = (
    "Good baseline for {kw}; compare with {method}.",
    "Read section 3 again: the ablation on {kw} is the interesting part.",
    "Cited by {n}K. Classic.",
    "Code released; reproduces on {dataset}.",
    "提出了{method}，值得精读。",
    "Related to our {kw} project — ask {first} about it.",
    "Skimmed only. {adj} idea, weak experiments.",
)  # fmt: skip
OLD_ARCHIVES = ("cs", "cond-mat", "physics", "math", "quant-ph")
PAPER_COLUMNS = (
    "id", "arxiv_id", "version", "title", "authors", "abstract", "published", "updated",
    "year", "primary_category", "categories", "doi", "journal_ref", "comment", "url",
    "pdf_url", "status", "note", "added_at", "started_at", "read_at", "fetched_at",
)  # fmt: skip


@dataclass
class SyntheticPaper:
    arxiv_id: str | None
    version: int | None
    title: str | None
    authors: list[str]
    abstract: str | None
    published: str | None
    year: int | None
    primary_category: str | None
    categories: list[str]
    doi: str | None
    journal_ref: str | None
    comment: str | None
    url: str | None
    status: str
    note: str | None
    added_at: str
    started_at: str | None
    read_at: str | None
    fetched_at: str | None
    topics: list[str]

    def row(self, paper_id: int) -> tuple[object, ...]:
        """The paper as a row of the `paper` table (columns in PAPER_COLUMNS order)."""
        pdf = (
            f"https://arxiv.org/pdf/{self.arxiv_id}" if self.arxiv_id and self.fetched_at else None
        )
        return (
            paper_id, self.arxiv_id, self.version, self.title,
            "\n".join(self.authors) or None, self.abstract, self.published, self.published,
            self.year, self.primary_category, " ".join(self.categories) or None, self.doi,
            self.journal_ref, self.comment, self.url, pdf, self.status, self.note,
            self.added_at, self.started_at, self.read_at, self.fetched_at,
        )  # fmt: skip


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Generator:
    """Deterministic synthetic papers: the same seed gives the same library, byte for byte."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._random = self.rng.random
        self.topic_slugs = [t.slug for t in TOPIC_TREE]
        self.topic_weights = list(accumulate(t.weight for t in TOPIC_TREE))
        self.family = {t.slug: self._family(t.slug) for t in TOPIC_TREE}
        years = list(range(1990, 2027))
        self.years = years
        self.year_weights = list(
            accumulate(1.18 ** (y - 1990) * (0.85 if y == 2026 else 1.0) for y in years)
        )
        self.sentences = [self._sentence() for _ in range(1500)]
        self._next_number: dict[str, int] = {}

    def pick(self, items: Sequence[str]) -> str:
        """random.choice, faster (this runs millions of times for a 100,000-paper library)."""
        return items[int(self._random() * len(items))]

    def weighted(self, items: Sequence[T], cum_weights: Sequence[float]) -> T:
        return items[bisect(cum_weights, self._random() * cum_weights[-1])]

    def _family(self, slug: str) -> list[str]:
        """The topic's parent, siblings and children: where its papers' other topics come from."""
        parent = TOPICS_BY_SLUG[slug].parent
        near = [t.slug for t in TOPIC_TREE if t.parent == slug or (parent and t.parent == parent)]
        near += [parent] if parent else []
        return [s for s in near if s != slug] or [slug]

    def method(self) -> str:
        name = self.pick(METHOD_HEADS) + self.pick(METHOD_TAILS)
        return name + self.pick(("", "", "", "-v2", "++", "-XL"))

    def _sentence(self) -> str:
        rng = self.rng
        kw = self.pick(self.pick(TOPIC_TREE).phrases).lower()
        templates = (
            f"We propose {self.method()}, a {self.pick(ADJECTIVES).lower()} approach to {kw} "
            f"that targets {self.pick(TASKS).lower()}.",
            f"Existing methods for {kw} suffer from poor {self.pick(PROPERTIES).lower()} "
            f"and high cost at {self.pick(SCALES).lower()}.",
            f"Experiments on {self.pick(DATASETS)} show that our method improves "
            f"{self.pick(METRICS)} by {rng.randint(1, 40)}.{rng.randint(0, 9)}% over strong "
            "baselines.",
            f"We analyze the {self.pick(PROPERTIES).lower()} of {kw} and show that "
            f"{self.pick(TECHNIQUES).lower()} is {self.pick(CLAIMS).lower()}.",
            f"Our analysis relies on {self.pick(TECHNIQUES).lower()} and requires no "
            f"{self.pick(DATA_KINDS).lower()}.",
            f"The code is available at https://github.com/{self.pick(LAST_NAMES).lower()}"
            f"/{self.method().lower()}.",
        )
        return self.pick(templates)

    def _title(self, topic: TopicSpec) -> str:
        rng = self.rng
        if topic.slug == "survey":
            other = self.pick(TOPIC_TREE)
            return f"{self.pick(other.phrases)}: A {self.pick(('Survey', 'Review'))}"
        adj, adj2 = rng.sample(ADJECTIVES, 2)
        return self.pick(TITLE_TEMPLATES).format(
            method=self.method(), adj=adj, adj2=adj2, kw=self.pick(topic.phrases),
            task=self.pick(TASKS), technique=self.pick(TECHNIQUES),
            prop=self.pick(PROPERTIES), data=self.pick(DATA_KINDS),
            scale=self.pick(SCALES), claim=self.pick(CLAIMS),
        )  # fmt: skip

    def _topics(self) -> list[str]:
        rng = self.rng
        main = self.weighted(self.topic_slugs, self.topic_weights)
        chosen = [main]
        for _ in range(self.weighted((0, 1, 2), (55, 90, 100))):
            pool = self.family[main] if rng.random() < 0.6 else self.topic_slugs
            extra = self.pick(pool)
            if extra not in chosen:
                chosen.append(extra)
        return chosen

    def _arxiv_id(self, year: int, month: int) -> str | None:
        if year < 1991 or (year == 1991 and month < 8):
            return None
        new_style = year > 2007 or (year == 2007 and month >= 4)
        prefix = f"{year % 100:02d}{month:02d}"
        if not new_style:
            prefix = f"{self.pick(OLD_ARCHIVES)}/{prefix}"
        number = self._next_number.get(prefix, 0) + self.rng.randint(1, 3 if new_style else 2)
        self._next_number[prefix] = number
        if not new_style:
            return f"{prefix}{number:03d}"
        return f"{prefix}.{number:05d}" if year >= 2015 else f"{prefix}.{number:04d}"

    def paper(self) -> SyntheticPaper:
        rng = self.rng
        year = self.weighted(self.years, self.year_weights)
        month = rng.randint(1, 10 if year == 2026 else 12)
        published_on = datetime(year, month, rng.randint(1, 28), tzinfo=UTC)
        topics = self._topics()
        title = self._title(TOPICS_BY_SLUG[topics[0]])
        authors = [
            f"{self.pick(FIRST_NAMES)} {self.pick(LAST_NAMES)}"
            for _ in range(self.weighted((1, 2, 3, 4, 5), (10, 35, 65, 85, 100)))
        ]
        kind = rng.random()
        arxiv_id = None if kind < 0.10 else self._arxiv_id(year, month)
        pending = arxiv_id is not None and kind < 0.13

        # Dates: added after publication (and not before 2016), read after started.
        start = max(published_on, datetime(2016, 1, 1, tzinfo=UTC))
        added = start + (NOW - start) * rng.random()
        status = self.weighted(("unread", "reading", "read"), (57, 65, 100))
        started = added + (NOW - added) * rng.random() * 0.5 if status != "unread" else None
        read = started + (NOW - started) * rng.random() if started and status == "read" else None
        note = None
        if rng.random() < 0.12:
            note = self.pick(NOTES).format(
                kw=self.pick(TOPICS_BY_SLUG[topics[0]].phrases).lower(), method=self.method(),
                n=rng.randint(1, 40), dataset=self.pick(DATASETS),
                first=self.pick(FIRST_NAMES), adj=self.pick(ADJECTIVES),
            )  # fmt: skip
        common = {
            "status": status, "note": note, "added_at": _iso(added),
            "started_at": _iso(started) if started else None,
            "read_at": _iso(read) if read else None, "topics": topics,
        }  # fmt: skip
        if arxiv_id is None:  # a conference or journal paper that is not on arXiv
            return SyntheticPaper(
                arxiv_id=None, version=None, title=title, authors=authors, abstract=None,
                published=None, year=year, primary_category=None, categories=[], doi=None,
                journal_ref=None, comment=None, fetched_at=None,
                url=f"https://proceedings.example.org/{year}/paper/{rng.getrandbits(40):010x}.pdf",
                **common,
            )  # fmt: skip
        url = f"https://arxiv.org/abs/{arxiv_id}"
        if pending:  # added from a reading list, metadata not fetched yet
            return SyntheticPaper(
                arxiv_id=arxiv_id, version=None, title=title if rng.random() < 0.7 else None,
                authors=[], abstract=None, published=None, year=None, primary_category=None,
                categories=[], doi=None, journal_ref=None, comment=None, url=url,
                fetched_at=None, **common,
            )  # fmt: skip
        category = TOPICS_BY_SLUG[topics[0]].category
        extra = rng.sample(("cs.LG", "cs.AI", "stat.ML", "cs.NE", "cs.CV", "cs.CL"), 2)
        categories = list(dict.fromkeys([category, *extra[: rng.randint(0, 2)]]))
        abstract = " ".join(
            [
                f"This paper studies {self.pick(TOPICS_BY_SLUG[topics[0]].phrases).lower()}.",
                *rng.sample(self.sentences, rng.randint(5, 11)),
            ]
        )
        fetched = added + (NOW - added) * rng.random() * 0.1
        return SyntheticPaper(
            arxiv_id=arxiv_id, version=self.weighted((1, 2, 3, 4), (50, 80, 95, 100)),
            title=title, authors=authors, abstract=abstract,
            published=published_on.strftime("%Y-%m-%d"), year=year,
            primary_category=category, categories=categories,
            doi=f"10.1109/CVPR.{year}.{rng.randint(1000, 99999)}" if rng.random() < 0.05 else None,
            journal_ref=f"{self.pick(('NeurIPS', 'ICML', 'ICLR', 'CVPR', 'ACL'))} {year}"
            if rng.random() < 0.10 else None,
            comment=f"{rng.randint(6, 40)} pages, {rng.randint(1, 12)} figures"
            if rng.random() < 0.4 else None,
            url=url, fetched_at=_iso(fetched), **common,
        )  # fmt: skip

    def papers(self, count: int) -> list[SyntheticPaper]:
        """`count` papers in the order they were added (ids follow that order, as in real use)."""
        papers = [self.paper() for _ in range(count)]
        papers.sort(key=lambda p: p.added_at)
        return papers


# ===================================================================== building libraries


def schema_head() -> str:
    from papertrail.migrations import HEAD

    return HEAD


def create_empty_library(path: Path) -> None:
    """A new library with papertrail's real schema (papertrail runs its own migrations)."""
    from papertrail.schema import open_store

    path.unlink(missing_ok=True)
    open_store(str(path)).close()


def _topic_tree_rows(store: Store) -> None:
    # Store methods, so that topic rows are exactly what papertrail writes.
    with store.transaction():
        store.topic_ids(t.slug for t in TOPIC_TREE)
        for topic in TOPIC_TREE:
            if topic.parent:
                store.set_topic_parent(topic.slug, topic.parent)


def fill_library(path: Path, papers: Sequence[SyntheticPaper]) -> None:
    """Bulk-insert papers into a library papertrail created, fast.

    Topics go through Store methods; papers and their topics through executemany into the
    real tables. The FTS triggers are set aside during the bulk insert and paper_fts is
    rebuilt in one pass (twice as fast as row by row), then the triggers are re-created
    from their own stored SQL: the schema ends exactly as papertrail made it.
    """
    from papertrail.schema import open_store

    store = open_store(str(path))
    try:
        _topic_tree_rows(store)
        connection = store.connection
        for pragma in ("synchronous = OFF", "journal_mode = OFF", "cache_size = -262144"):
            connection.execute(f"PRAGMA {pragma}")  # this connection only, while building
        triggers = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'paper'"
        ).fetchall()
        topic_ids = dict(connection.execute("SELECT slug, id FROM topic"))
        marks = ", ".join("?" * len(PAPER_COLUMNS))
        with store.transaction():
            for name, _sql in triggers:
                connection.execute(f"DROP TRIGGER {name}")
            connection.executemany(
                f"INSERT INTO paper ({', '.join(PAPER_COLUMNS)}) VALUES ({marks})",
                (paper.row(index) for index, paper in enumerate(papers, start=1)),
            )
            connection.executemany(
                "INSERT INTO paper_topic (paper_id, topic_id) VALUES (?, ?)",
                (
                    (index, topic_ids[slug])
                    for index, paper in enumerate(papers, start=1)
                    for slug in paper.topics
                ),
            )
            connection.execute("INSERT INTO paper_fts(paper_fts) VALUES ('rebuild')")
            for _name, sql in triggers:
                connection.execute(sql)
        connection.execute("PRAGMA journal_mode = WAL")  # as papertrail left it
    finally:
        store.close()


def cached(name: str, build: Callable[[Path], None]) -> tuple[Path, float | None]:
    """A file under benchmarks/.work/, built once; (path, build seconds or None if cached)."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    path = WORK_DIR / name
    if path.exists():
        return path, None
    partial = path.with_name(path.name + ".partial")
    for leftover in WORK_DIR.glob(partial.name + "*"):
        leftover.unlink()
    started = time.perf_counter()
    build(partial)
    os.replace(partial, path)
    return path, time.perf_counter() - started


def library_file(size: int, seed: int) -> tuple[Path, float | None]:
    def build(path: Path) -> None:
        papers = Generator(seed).papers(size)
        create_empty_library(path)
        fill_library(path, papers)

    return cached(
        f"library-{size}-seed{seed}-schema{schema_head()}-gen{GENERATOR_VERSION}.db", build
    )


def pending_library_file(seed: int) -> Path:
    """FETCH_PAPERS arXiv papers whose metadata was never fetched (as after an import)."""

    def build(path: Path) -> None:
        generator = Generator(seed + 7)
        papers: list[SyntheticPaper] = []
        while len(papers) < FETCH_PAPERS:
            paper = generator.paper()
            if paper.arxiv_id and "/" not in paper.arxiv_id:
                paper.title = paper.abstract = paper.published = paper.fetched_at = None
                paper.authors, paper.categories, paper.year, paper.version = [], [], None, None
                paper.primary_category = paper.doi = paper.journal_ref = paper.comment = None
                papers.append(paper)
        create_empty_library(path)
        fill_library(path, papers)

    return cached(
        f"pending-{FETCH_PAPERS}-seed{seed}-schema{schema_head()}-gen{GENERATOR_VERSION}.db", build
    )[0]


def empty_library_file() -> Path:
    return cached(f"empty-schema{schema_head()}.db", create_empty_library)[0]


# ===================================================================== files to import


def _title_case(slug: str) -> str:
    return slug.replace("-", " ").title()


def markdown_list(papers: Sequence[SyntheticPaper]) -> str:
    """A reading list as people keep them: a heading per topic (nested), one link per paper."""
    by_topic: dict[str, list[SyntheticPaper]] = {}
    for paper in papers:
        by_topic.setdefault(paper.topics[0], []).append(paper)
    lines = ["# Reading list", ""]

    def section(topic: TopicSpec, depth: int) -> None:
        lines.extend([f"{'#' * depth} {_title_case(topic.slug)}", ""])
        for paper in by_topic.get(topic.slug, []):
            lines.append(f"- [{paper.title}](https://arxiv.org/abs/{paper.arxiv_id})")
        lines.append("")
        for child in TOPIC_TREE:
            if child.parent == topic.slug:
                section(child, min(depth + 1, 6))

    for root in TOPIC_TREE:
        if root.parent is None:
            section(root, 2)
    return "\n".join(lines)


def _bibtex_name(name: str, rng: random.Random) -> str:
    first, last = name.split(" ", 1)
    if rng.random() < 0.03:  # some exporters write accents as LaTeX
        last = last.replace("ü", '{\\"u}').replace("á", "{\\'a}").replace("ř", "{\\v{r}}")
    return f"{last}, {first}"


def bibtex_list(papers: Sequence[SyntheticPaper], seed: int) -> str:
    rng = random.Random(seed)
    entries = []
    for index, paper in enumerate(papers):
        key = f"{paper.authors[0].split()[-1].lower()}{paper.year}_{index}"
        key = re.sub(r"[^a-z0-9_]", "", key)
        authors = " and ".join(_bibtex_name(a, rng) for a in paper.authors)
        entries.append(
            f"@misc{{{key},\n"
            f"  title = {{{paper.title}}},\n"
            f"  author = {{{authors}}},\n"
            f"  year = {{{paper.year}}},\n"
            f"  eprint = {{{paper.arxiv_id}}},\n"
            f"  archivePrefix = {{arXiv}},\n"
            f"  primaryClass = {{{paper.primary_category}}},\n"
            f"  keywords = {{{', '.join(paper.topics)}}},\n"
            "}\n"
        )
    return "\n".join(entries)


def json_export(papers: Sequence[SyntheticPaper]) -> str:
    """papertrail's own export format (what `papertrail export` writes)."""
    items = []
    for paper in papers:
        item = {
            "arxiv_id": paper.arxiv_id, "version": paper.version, "title": paper.title,
            "authors": paper.authors, "abstract": paper.abstract, "published": paper.published,
            "year": paper.year, "primary_category": paper.primary_category,
            "categories": paper.categories, "url": paper.url, "topics": paper.topics,
            "status": paper.status, "note": paper.note, "added_at": paper.added_at,
            "started_at": paper.started_at, "read_at": paper.read_at,
            "fetched_at": paper.fetched_at,
        }  # fmt: skip
        items.append({k: v for k, v in item.items() if v not in (None, [])})
    topics = [{"slug": t.slug, "parent": t.parent} for t in TOPIC_TREE]
    return json.dumps({"format": "papertrail", "version": 1, "topics": topics, "papers": items})


def import_files(seed: int) -> dict[str, Path]:
    """The 10,000-entry markdown, BibTeX and JSON files, generated once."""
    papers: list[SyntheticPaper] = []

    def arxiv_papers() -> list[SyntheticPaper]:
        if not papers:
            generator = Generator(seed + 1)
            while len(papers) < IMPORT_ENTRIES:
                paper = generator.paper()
                if paper.arxiv_id and paper.title and paper.year and paper.primary_category:
                    papers.append(paper)
        return papers

    stem = f"import-{IMPORT_ENTRIES}-seed{seed}-gen{GENERATOR_VERSION}"
    writers: dict[str, tuple[str, Callable[[], str]]] = {
        "markdown": ("md", lambda: markdown_list(arxiv_papers())),
        "bibtex": ("bib", lambda: bibtex_list(arxiv_papers(), seed)),
        "json": ("json", lambda: json_export(Generator(seed + 2).papers(IMPORT_ENTRIES))),
    }
    files = {}
    for fmt, (extension, text) in writers.items():
        files[fmt] = cached(
            f"{stem}.{extension}", lambda path, text=text: path.write_text(text(), "utf-8")
        )[0]
    return files


# ===================================================================== running processes


@dataclass
class Sample:
    seconds: float  # wall time
    max_rss_kb: int
    returncode: int
    stdout: bytes
    stderr: bytes
    cpu_seconds: float = 0.0  # user + system time of the command


# Runs one command and reports its wall time, peak RSS, exit status and CPU time on file
# descriptor argv[1]. It exists because a child's ru_maxrss starts from the RSS of the process that
# forked it (Linux keeps the pre-exec high-water mark): measured straight from this
# script, which holds generated libraries in memory, every command would look as large
# as the benchmark itself. This launcher is a bare interpreter (-I -S, ~10 MB) that only
# imports os, sys and time, so what it reports is the command's own peak.
LAUNCHER = """
import os, sys, time
report, argv = int(sys.argv[1]), sys.argv[2:]
started = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - started
cpu = usage.ru_utime + usage.ru_stime
code = os.waitstatus_to_exitcode(status)
os.write(report, f"{elapsed!r} {usage.ru_maxrss} {code} {cpu!r}".encode())
"""


def run_process(argv: Sequence[str], env: dict[str, str]) -> Sample:
    """Run one command in a fresh process, stdout and stderr to pipes; its time and peak RSS.

    The time runs from just before the process is spawned until it has been reaped.
    """
    read_end, write_end = os.pipe()
    try:
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", LAUNCHER, str(write_end), *argv],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env, pass_fds=(write_end,),
        )  # fmt: skip
    finally:
        os.close(write_end)
    try:
        out, err = process.communicate(timeout=PROCESS_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    with os.fdopen(read_end, "rb") as report:
        fields = report.read().split()
    if process.returncode != 0 or len(fields) != 4:
        # The launcher itself failed (or the command timed out): no measurement.
        message = err or b"launcher failed"
        return Sample(0.0, 0, process.returncode or 1, out, message)
    seconds, rss_kb, code, cpu = float(fields[0]), int(fields[1]), int(fields[2]), float(fields[3])
    return Sample(seconds, rss_kb, code, out, err, cpu)


def rss_floor_mb(env: dict[str, str]) -> float:
    """What the launcher itself contributes to a measured peak RSS (a command doing nothing)."""
    true = shutil.which("true") or "/bin/true"
    return run_process([true], env).max_rss_kb / 1024


def papertrail_command() -> list[str]:
    """The console script installed next to this interpreter (as a user's shell runs it)."""
    script = Path(sys.executable).parent / "papertrail"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "papertrail"]


def process_env(
    home: Path, *, offline: bool = True, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment of every timed process: a private HOME, offline unless told.

    Bytecode is cached (as after any user's first run) under benchmarks/.work/pycache, so
    that a PYTHONDONTWRITEBYTECODE in the caller's environment does not make every run
    compile papertrail from source, and nothing is written outside benchmarks/.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERTRAIL_")}
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME", "PYTHONUNBUFFERED"):
        env.pop(name, None)
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        PYTHONPYCACHEPREFIX=str(PYCACHE_DIR),
    )
    if offline:
        env["PAPERTRAIL_OFFLINE"] = "1"
    env.update(extra or {})
    return env


@dataclass
class Case:
    """One row of a table: a command and how to run it the i-th time (i = 0 is the warm-up)."""

    name: str
    argv: Callable[[int], list[str]]
    runs: int
    warmup: bool = True
    prepare: Callable[[int], None] | None = None  # before run i, not timed


def _number(value: float) -> str:
    if value == int(value) or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"


@dataclass
class Check:
    """A budget: `measured` must be at most `limit` ("max"), below it ("below") or at least
    it ("min")."""

    text: str  # "≤ 5× baseline"
    measured: float
    limit: float
    unit: str  # "ms", "MB", "requests"...
    kind: str = "max"

    @property
    def passed(self) -> bool:
        if self.kind == "min":
            return self.measured >= self.limit
        return self.measured < self.limit if self.kind == "below" else self.measured <= self.limit

    def cell(self) -> str:
        if "×" not in self.text:  # an absolute budget says its limit itself
            return self.text
        sign = {"max": "≤", "below": "<", "min": "≥"}[self.kind]
        return f"{self.text} ({sign} {_number(self.limit)} {self.unit})"

    def verdict(self) -> str:
        if self.passed:
            return "PASS"
        if self.kind == "min" or self.limit <= 0:
            return f"FAIL ({_number(self.measured)} {self.unit})"
        return f"FAIL ({self.measured / self.limit:.2f}× the limit)"

    def shortfall(self) -> str:
        """How far from the budget, for the summary."""
        over = self.measured - self.limit
        text = f"{_number(self.measured)} {self.unit} vs {self.cell()}: {over:+,.3g} {self.unit}"
        if self.kind != "min" and self.limit > 0:
            text += f", {self.measured / self.limit:.2f}× the limit"
        return text


@dataclass
class Measurement:
    name: str
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None
    checks: list[Check] = field(default_factory=list)
    ratio: float | None = None  # median / baseline median
    note: str = ""

    @property
    def times_ms(self) -> list[float]:
        return [s.seconds * 1000 for s in self.samples]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def cpu_ms(self) -> float:
        """Median CPU time (user + system): less sensitive than wall time to a busy machine."""
        return statistics.median(s.cpu_seconds * 1000 for s in self.samples)

    @property
    def peak_rss_mb(self) -> float:
        return max(s.max_rss_kb for s in self.samples) / 1024

    @property
    def out_lines(self) -> int:
        return self.samples[-1].stdout.count(b"\n") if self.samples else 0


def measure(cases: Sequence[Case], env: dict[str, str]) -> list[Measurement]:
    """Run the cases round-robin: warm-ups first, then timed run 1 of every case, run 2...

    Interleaving spreads whatever else the machine does over all the commands alike, so
    their ratios stay meaningful on a busy machine. A case that fails stops being run.
    """
    results = [Measurement(case.name) for case in cases]
    first = 0 if any(case.warmup for case in cases) else 1
    for index in range(first, max(case.runs for case in cases) + 1):
        for case, result in zip(cases, results, strict=True):
            if result.error or index > case.runs or (index == 0 and not case.warmup):
                continue
            if case.prepare is not None:
                case.prepare(index)
            sample = run_process(case.argv(index), env)
            if sample.returncode != 0:
                message = sample.stderr.decode(errors="replace").strip().splitlines()
                last = message[-1] if message else "(no message)"
                result.error = f"exit {sample.returncode}: {last[:160]}"
                result.samples = [sample]
            elif index > 0:
                result.samples.append(sample)
    for result in results:
        status = (
            f"ERROR {result.error}"
            if result.error
            else (
                f"median {result.median_ms:7.1f} ms  min {min(result.times_ms):7.1f}  "
                f"max {max(result.times_ms):7.1f}  cpu {result.cpu_ms:7.1f}  "
                f"rss {result.peak_rss_mb:5.1f} MB"
            )
        )
        print(f"  {result.name[:44]:<44} {status}", flush=True)
    return results


# ===================================================================== the benchmark


@dataclass
class LibraryReport:
    size: int
    built_s: float | None
    topic_papers: int
    search_papers: int
    rows: list[Measurement]
    baseline_matches: bool | None


@dataclass
class FetchReport:
    papers: int
    requests: int
    expected_requests: int
    largest_batch: int
    gaps_s: list[float]  # between consecutive request arrivals at the stand-in
    fetched: int
    measurement: Measurement
    checks: list[Check]


@dataclass
class RunReport:
    label: str
    started: datetime
    runs: int
    libraries: list[LibraryReport] = field(default_factory=list)
    imports: list[Measurement] = field(default_factory=list)
    fetch: FetchReport | None = None
    rss_floor_mb: float = 0.0
    load: str = ""  # load averages at the start and the end: other work skews timings
    machine: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def query_one(db: Path, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def fresh_arxiv_ids(db: Path, count: int) -> list[str]:
    """New-style ids that are not in the library (December 2026, numbers from 90000 up)."""
    known = {
        row[0] for row in query_one(db, "SELECT arxiv_id FROM paper WHERE arxiv_id LIKE '2612.%'")
    }
    ids = [f"2612.{n:05d}" for n in range(90000, 99999)]
    return [i for i in ids if i not in known][:count]


def pick_refs(db: Path, count: int) -> tuple[str, list[str], list[str]]:
    """(show REF, unread papers to mark read, papers to tag): distinct papers for each run."""
    total = query_one(db, "SELECT count(*) FROM paper")[0][0]
    show = query_one(
        db,
        "SELECT arxiv_id FROM paper WHERE arxiv_id IS NOT NULL AND fetched_at IS NOT NULL "
        "AND id >= ? ORDER BY id LIMIT 1",
        (total // 2,),
    )[0][0]
    unread = query_one(
        db,
        "SELECT arxiv_id FROM paper WHERE status = 'unread' AND arxiv_id IS NOT NULL "
        "AND id >= ? ORDER BY id LIMIT ?",
        (total // 3, count),
    )
    untagged = query_one(
        db,
        "SELECT id FROM paper WHERE id >= ? AND id NOT IN (SELECT paper_id FROM paper_topic "
        "WHERE topic_id = (SELECT id FROM topic WHERE slug = ?)) ORDER BY id LIMIT ?",
        (total // 4, TAG_TOPIC, count),
    )
    return str(show), [str(r[0]) for r in unread], [str(r[0]) for r in untagged]


def topic_paper_count(db: Path, topic: str) -> int:
    sql = (
        "WITH RECURSIVE sub(id) AS (SELECT id FROM topic WHERE slug = ? UNION "
        "SELECT t.id FROM topic t JOIN sub s ON t.parent_id = s.id) "
        "SELECT count(DISTINCT paper_id) FROM paper_topic WHERE topic_id IN (SELECT id FROM sub)"
    )
    return int(query_one(db, sql, (topic,))[0][0])


def bench_library(size: int, seed: int, runs: int, scratch: Path, home: Path) -> LibraryReport:
    print(f"\n== library of {size:,} papers", flush=True)
    cached_db, built_s = library_file(size, seed)
    print(f"  library: {cached_db.name} ({f'built in {built_s:.1f} s' if built_s else 'cached'})")
    db = scratch / f"library-{size}.db"
    shutil.copyfile(cached_db, db)  # commands that write change this copy, never the cache
    show_ref, unread_refs, tag_refs = pick_refs(db, runs + 1)
    new_ids = fresh_arxiv_ids(db, runs + 1)
    topic_papers = topic_paper_count(db, TOPIC)
    env = process_env(home)
    pt = [*papertrail_command(), "--db", str(db)]

    def fixed(*args: str) -> Callable[[int], list[str]]:
        return lambda _index: [*pt, *args]

    baseline = Case(
        f"baseline: baseline_topic.py {TOPIC}",
        lambda _i: [sys.executable, str(BASELINE_SCRIPT), str(db), TOPIC],
        runs,
    )
    reads = [
        Case("--help", lambda _i: [*papertrail_command(), "--help"], runs),
        Case(f"list --topic {TOPIC}", fixed("list", "--topic", TOPIC), runs),
        Case("list --status unread", fixed("list", "--status", "unread"), runs),
        Case("list", fixed("list"), runs),
        Case(f"list --search {SEARCH_WORD}", fixed("list", "--search", SEARCH_WORD), runs),
        Case(f"show {show_ref}", fixed("show", show_ref), runs),
        Case("stats", fixed("stats"), runs),
    ]
    writes = [
        Case("mark-read REF (a different unread paper each run)",
             lambda i: [*pt, "mark-read", unread_refs[i]], runs),
        Case("add --no-fetch NEWID (a new id each run)",
             lambda i: [*pt, "add", "--no-fetch", new_ids[i]], runs),
        Case(f"tag REF {TAG_TOPIC} (a different paper each run)",
             lambda i: [*pt, "tag", tag_refs[i], TAG_TOPIC], runs),
    ]  # fmt: skip
    # Reads first, so that they all see the library as built; then the writes.
    rows = measure([baseline, *reads], env) + measure(writes, env)
    base = rows[0]
    if not base.error:
        for row in rows[1:]:
            if not row.error:
                row.ratio = row.median_ms / base.median_ms
    by_name = {row.name: row for row in rows}
    topic_row = by_name[f"list --topic {TOPIC}"]
    matches = None
    if not (base.error or topic_row.error):
        matches = base.samples[-1].stdout == topic_row.samples[-1].stdout
    search_row = by_name[f"list --search {SEARCH_WORD}"]
    return LibraryReport(size, built_s, topic_papers, search_row.out_lines, rows, matches)


def bench_imports(seed: int, runs: int, scratch: Path, home: Path) -> list[Measurement]:
    print(
        f"\n== imports of {IMPORT_ENTRIES:,} entries, each into a fresh empty library", flush=True
    )
    files = import_files(seed)
    empty = empty_library_file()
    env = process_env(home)
    target = scratch / "import-target.db"

    def fresh_target(_index: int) -> None:
        for leftover in scratch.glob("import-target.db*"):
            leftover.unlink()
        shutil.copyfile(empty, target)

    def no_target(_index: int) -> None:
        for leftover in scratch.glob("import-target.db*"):
            leftover.unlink()

    cases = [
        Case("create a library (first command, new file: stats)",
             lambda _i: [*papertrail_command(), "--db", str(target), "stats"], runs,
             prepare=no_target),
    ]  # fmt: skip
    labels = {
        "markdown": "markdown list",
        "bibtex": "BibTeX (@misc, eprint)",
        "json": "JSON export",
    }
    for fmt, path in files.items():
        cases.append(
            Case(
                f"import {IMPORT_ENTRIES:,}-entry {labels[fmt]}",
                lambda _i, path=path: [
                    *papertrail_command(),
                    "--db",
                    str(target),
                    "import",
                    str(path),
                ],
                runs,
                warmup=False,
                prepare=fresh_target,
            )
        )
    results = measure(cases, env)
    for row in results:
        found = re.search(rb"(\d+) added, (\d+) already present \(merged\), (\d+) skipped",
                          row.samples[-1].stdout if row.samples else b"")  # fmt: skip
        if found:
            added, merged, skipped = (int(n) for n in found.groups())
            row.note = f"{added:,} added, {merged:,} merged, {skipped:,} skipped"
    return results


def bench_fetch(seed: int, scratch: Path, home: Path) -> FetchReport:
    print(
        f"\n== fetch: {FETCH_PAPERS:,} pending papers against the local arXiv stand-in", flush=True
    )
    sys.path.insert(0, str(REPO_ROOT))
    from tests.support.arxiv_stub import ArxivStub, echo_papers

    db = scratch / "pending.db"
    shutil.copyfile(pending_library_file(seed), db)
    fetch_home = scratch / "fetch-home"  # a fresh spacing file: the first request need not wait
    fetch_home.mkdir()
    with ArxivStub() as stub:
        stub.respond_with(echo_papers)
        env = process_env(
            fetch_home,
            offline=False,
            extra={"PAPERTRAIL_ARXIV_API": stub.url, "PAPERTRAIL_ARXIV_DELAY": str(FETCH_DELAY_S)},
        )
        case = Case(
            "fetch (1,000 pending, delay 0.2 s)",
            lambda _i: [*papertrail_command(), "--db", str(db), "fetch"],
            1,
            warmup=False,
        )
        measurement = measure([case], env)[0]
        requests = list(stub.requests)
    starts = sorted(r.time for r in requests)
    gaps = [b - a for a, b in pairwise(starts)]
    spacing = min(gaps, default=None)
    expected = math.ceil(FETCH_PAPERS / FETCH_BATCH)
    largest = max((len(r.ids) for r in requests), default=0)
    fetched = int(query_one(db, "SELECT count(*) FROM paper WHERE fetched_at IS NOT NULL")[0][0])
    checks = [
        Check(f"requests ≤ ceil({FETCH_PAPERS}/{FETCH_BATCH})", len(requests), expected, "req"),
        Check(f"largest batch ≥ {FETCH_BATCH} ids", largest, FETCH_BATCH, "ids", "min"),
        Check(f"min spacing ≥ delay {FETCH_DELAY_S} s", spacing if spacing is not None else 0.0,
              FETCH_DELAY_S - SPACING_TOLERANCE_S, "s", "min"),
        Check(f"all {FETCH_PAPERS} papers fetched", fetched, FETCH_PAPERS, "papers", "min"),
    ]  # fmt: skip
    return FetchReport(
        FETCH_PAPERS, len(requests), expected, largest, gaps, fetched, measurement, checks
    )


# ===================================================================== budgets


def apply_budgets(report: RunReport) -> None:
    """Attach each budget to the row it judges (see benchmarks/README.md)."""
    libraries = {lib.size: lib for lib in report.libraries}
    small = libraries.get(BUDGET_SIZE)
    if small is not None:
        rows = {row.name.split(" (")[0]: row for row in small.rows}
        base = small.rows[0]
        for name in (
            f"list --topic {TOPIC}",
            "list --status unread",
            next(r for r in rows if r.startswith("show ")),
        ):
            row = rows[name]
            if not (row.error or base.error):
                row.checks.append(Check("≤ 5× baseline", row.median_ms, 5 * base.median_ms, "ms"))
        absolute = {
            "--help": 150,
            "list": 400,
            "mark-read REF": 300,
            "add --no-fetch NEWID": 300,
            f"tag REF {TAG_TOPIC}": 300,
        }
        for name, limit in absolute.items():
            row = rows[name]
            if not row.error:
                row.checks.append(Check(f"≤ {limit} ms", row.median_ms, limit, "ms"))
    large = libraries.get(LARGE_SIZE)
    if large is not None:
        row = next(r for r in large.rows if r.name == f"list --topic {TOPIC}")
        if not row.error:
            if small is not None:
                ref = next(r for r in small.rows if r.name == row.name)
                if not ref.error:
                    row.checks.append(
                        Check(
                            f"≤ 2× its {BUDGET_SIZE:,} time", row.median_ms, 2 * ref.median_ms, "ms"
                        )
                    )
            row.checks.append(Check("peak RSS < 100 MB", row.peak_rss_mb, 100, "MB", "below"))
    for row in report.imports:
        if row.name.startswith("import") and "JSON" not in row.name and not row.error:
            row.checks.append(Check("< 5 s", row.median_ms, 5000, "ms", "below"))


def all_checks(report: RunReport) -> Iterator[tuple[str, Measurement | None, Check]]:
    for lib in report.libraries:
        for row in lib.rows:
            for check in row.checks:
                yield f"{lib.size:,} papers: {row.name}", row, check
    for row in report.imports:
        for check in row.checks:
            yield row.name, row, check
    if report.fetch:
        for check in report.fetch.checks:
            yield "fetch", None, check


# ===================================================================== reporting


def source_digest() -> str:
    """A short hash of papertrail's source: tells runs of different code apart, even
    uncommitted changes."""
    digest = hashlib.sha256()
    source = REPO_ROOT / "src" / "papertrail"
    for path in sorted(source.rglob("*.py")):
        digest.update(str(path.relative_to(source)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:10]


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "describe", "--always", "--dirty"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    from importlib.metadata import PackageNotFoundError, version

    from papertrail import __version__

    libraries = []
    for name in ("typer", "rich", "SQLAlchemy"):
        with suppress(PackageNotFoundError):
            libraries.append(f"{name} {version(name)}")
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "papertrail": f"{__version__} (source digest {source_digest()})",
        "git": commit,
        "OS": f"{platform.system()} {platform.release()}",
        "with": ", ".join(libraries),
    }


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _row_cells(row: Measurement) -> list[str]:
    if row.error:
        return [row.name, "ERROR", "", "", "", "", "", "", f"ERROR: {row.error}"]
    times = row.times_ms
    ratio = "—"
    if row.ratio is not None:
        ratio = f"{row.ratio:.1f}×"
    elif row.name.startswith("baseline"):
        ratio = "1.0×"
    return [
        f"{row.name} ({row.note})" if row.note else row.name,
        _ms(row.median_ms),
        f"{_ms(min(times))}–{_ms(max(times))}",
        _ms(row.cpu_ms),
        ratio,
        f"{row.peak_rss_mb:.1f}",
        f"{row.out_lines:,}",
        "; ".join(c.cell() for c in row.checks) or "—",
        " / ".join(c.verdict() for c in row.checks) or "—",
    ]


def _table(rows: list[Measurement]) -> list[str]:
    header = [
        "command",
        "median ms",
        "min–max ms",
        "CPU ms",
        "× baseline",
        "peak RSS MB",
        "out lines",
        "budget",
        "result",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += [
        "| " + " | ".join(c.replace("|", "\\|") for c in _row_cells(row)) + " |" for row in rows
    ]
    return lines


def render(report: RunReport) -> str:
    out = [
        f"## {report.label} — {report.started:%Y-%m-%d %H:%M} UTC",
        "",
        "Machine: " + "; ".join(f"{k} {v}" for k, v in report.machine.items()) + ".",
        "",
        *(f"**Warning:** {warning}.\n" for warning in report.warnings),
        f"Each command: a fresh process of the installed `papertrail` console script, stdout "
        f"to a pipe, {report.runs} timed runs after one warm-up (imports: no warm-up), "
        "interleaved round-robin across the reading commands of a table (then the writing "
        "ones), "
        "median and min–max wall time, median CPU time (user + system); peak RSS is the "
        "largest `ru_maxrss` of the runs. "
        "`× baseline` divides by the median of `benchmarks/baseline_topic.py` on the same "
        "library. Writing commands touch a different paper (or a new id) on every run. "
        f"Bytecode is cached (PYTHONPYCACHEPREFIX=benchmarks/.work/pycache). RSS floor (the "
        f"launcher running `true`): {report.rss_floor_mb:.1f} MB. Load average: {report.load}.",
        "",
    ]
    for lib in report.libraries:
        built = f"built in {lib.built_s:.1f} s" if lib.built_s else "cached build"
        same = {True: "identical to", False: "DIFFERENT from", None: "not compared with"}[
            lib.baseline_matches
        ]
        out += [
            f"### {lib.size:,} papers",
            "",
            f"Library {built}. `--topic {TOPIC}` selects {lib.topic_papers:,} papers (with its "
            f"sub-topics); `--search {SEARCH_WORD}` matches {lib.search_papers:,}. The output "
            f"of `list --topic {TOPIC}` is {same} the baseline's.",
            "",
            *_table(lib.rows),
            "",
        ]
    if report.imports:
        out += [
            f"### Imports ({IMPORT_ENTRIES:,} entries, each into a fresh empty library)",
            "",
            *_table(report.imports),
            "",
        ]
    if report.fetch:
        f = report.fetch
        spacing = (
            f"{min(f.gaps_s):.3f} s (median {statistics.median(f.gaps_s):.3f}, "
            f"max {max(f.gaps_s):.3f})"
            if f.gaps_s
            else "n/a"
        )
        out += [
            f"### fetch: {f.papers:,} pending papers, local arXiv stand-in",
            "",
            f"PAPERTRAIL_ARXIV_DELAY={FETCH_DELAY_S} (instead of arXiv's 3 s, to keep the run "
            f"short); default batch size ({FETCH_BATCH}); `tests/support/arxiv_stub.py` "
            "answering every id. Spacing is measured where requests arrive, so it may read up "
            f"to {SPACING_TOLERANCE_S * 1000:.0f} ms short of the client's own (connection set-up, "
            "scheduling).",
            "",
            "| measure | value | budget | result |",
            "|---|---|---|---|",
            f"| HTTP requests | {f.requests} | ≤ ceil({f.papers}/{FETCH_BATCH}) = "
            f"{f.expected_requests} | {f.checks[0].verdict()} |",
            f"| largest batch (ids per request) | {f.largest_batch} | ≥ {FETCH_BATCH} | "
            f"{f.checks[1].verdict()} |",
            f"| min spacing between request starts | {spacing} | ≥ {FETCH_DELAY_S} s | "
            f"{f.checks[2].verdict()} |",
            f"| papers fetched | {f.fetched}/{f.papers} | all | {f.checks[3].verdict()} |",
            *(
                [f"| wall time | {_ms(f.measurement.median_ms)} ms | — | — |",
                 f"| peak RSS | {f.measurement.peak_rss_mb:.1f} MB | — | — |"]
                if not f.measurement.error else [f"| error | {f.measurement.error} | — | ERROR |"]
            ),
            "",
        ]  # fmt: skip
    failures = [(where, check) for where, _row, check in all_checks(report) if not check.passed]
    errors = [row for lib in report.libraries for row in lib.rows if row.error] + [
        row for row in report.imports if row.error
    ]
    out += ["### Budgets", ""]
    total = sum(1 for _ in all_checks(report))
    out.append(
        f"{total - len(failures)} of {total} budgets pass; {len(errors)} command(s) failed to run."
    )
    out.append("")
    for where, check in failures:
        out.append(f"- FAIL {where} — {check.shortfall()}")
    for row in errors:
        out.append(f"- ERROR {row.name} — {row.error}")
    return "\n".join(out) + "\n"


def write_results(text: str, append: bool) -> None:
    title = (
        "# papertrail benchmark results\n\n"
        "Written by `python benchmarks/bench.py`; see benchmarks/README.md.\n\n"
    )
    if append and RESULTS_FILE.exists():
        with RESULTS_FILE.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)
    else:
        RESULTS_FILE.write_text(title + text, encoding="utf-8")


# ===================================================================== -X importtime


def importtime(args: Sequence[str], seed: int, top: int = 15, runs: int = 5) -> None:
    """Where start-up time goes: `python -X importtime -m papertrail ARGS`, top cumulative.

    One warm-up, then the median over `runs` runs of each module's times (one run is noisy).
    """
    with scratch_dir() as scratch:
        argv = list(args)
        if "--db" not in argv:
            db = scratch / "library.db"
            shutil.copyfile(library_file(BUDGET_SIZE, seed)[0], db)
            argv = ["--db", str(db), *argv]
        command = [sys.executable, "-X", "importtime", "-m", "papertrail", *argv]
        env = process_env(scratch / "home")
        run_process(command, env)  # warm-up: bytecode cached, files in the page cache
        samples = [run_process(command, env) for _ in range(runs)]
    times: dict[str, tuple[list[int], list[int]]] = {}
    depth: dict[str, int] = {}
    for sample in samples:
        for line in sample.stderr.decode(errors="replace").splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S.*)$", line)
            if match:
                own, cumulative = times.setdefault(match[4], ([], []))
                own.append(int(match[1]))
                cumulative.append(int(match[2]))
                depth[match[4]] = len(match[3]) // 2
    rows = sorted(
        ((statistics.median(c), statistics.median(o), name) for name, (o, c) in times.items()),
        reverse=True,
    )
    walls = [s.seconds * 1000 for s in samples]
    print(f"$ python -X importtime -m papertrail {' '.join(args)}")
    print(
        f"exit {samples[-1].returncode}; wall median {statistics.median(walls):.0f} ms "
        f"(importtime itself adds overhead); {len(times)} modules imported; "
        f"peak RSS {max(s.max_rss_kb for s in samples) / 1024:.1f} MB; median of {runs} runs"
    )
    print(f"{'cumulative ms':>13} {'self ms':>8}  module (top {top} by cumulative time)")
    for cumulative, own, name in rows[:top]:
        print(f"{cumulative / 1000:13.1f} {own / 1000:8.1f}  {'  ' * depth[name]}{name}")


# ===================================================================== main


@contextmanager
def scratch_dir() -> Iterator[Path]:
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="run-", dir=WORK_DIR) as name:
        path = Path(name)
        (path / "home").mkdir()
        yield path


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--quick", action="store_true", help="sizes 1,000 and 10,000, 3 runs, one run per import"
    )
    parser.add_argument("--sizes", help="comma-separated library sizes (default 1000,10000,100000)")
    parser.add_argument("--runs", type=int, help=f"timed runs per command (default {DEFAULT_RUNS})")
    parser.add_argument(
        "--import-runs", type=int, help="timed runs per import (default min(runs, 3))"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--label", default="run", help='a name for this run ("before", "after")')
    parser.add_argument("--append", action="store_true", help="append to results.md")
    parser.add_argument("--no-imports", action="store_true", help="skip the import benchmarks")
    parser.add_argument("--no-fetch", action="store_true", help="skip the fetch benchmark")
    parser.add_argument(
        "--importtime",
        nargs=argparse.REMAINDER,
        metavar="CMD",
        help="print the top 15 imports of `papertrail CMD...` and exit",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.importtime is not None:
        importtime(args.importtime or ["--help"], args.seed)
        return 0
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else ([1_000, 10_000] if args.quick else list(DEFAULT_SIZES))
    )
    runs = args.runs or (3 if args.quick else DEFAULT_RUNS)
    import_runs = args.import_runs or (1 if args.quick else min(runs, 3))
    report = RunReport(args.label, datetime.now(UTC), runs)
    report.rss_floor_mb = rss_floor_mb(process_env(WORK_DIR))
    report.machine = machine_info()
    load_before = os.getloadavg()
    command = " ".join(papertrail_command())
    print(f"papertrail benchmark: sizes {sizes}, {runs} runs; command {command}")
    with scratch_dir() as scratch:
        home = scratch / "home"
        for size in sizes:
            report.libraries.append(bench_library(size, args.seed, runs, scratch, home))
        if not args.no_imports:
            report.imports = bench_imports(args.seed, import_runs, scratch, home)
        if not args.no_fetch:
            report.fetch = bench_fetch(args.seed, scratch, home)
    load_after = os.getloadavg()
    report.load = (
        f"{' '.join(f'{n:.2f}' for n in load_before)} at the start, "
        f"{' '.join(f'{n:.2f}' for n in load_after)} at the end"
    )
    # The code (digest) and the libraries matter; a commit of unchanged code does not.
    changed = {k: v for k, v in machine_info().items() if k != "git" and report.machine.get(k) != v}
    if changed:
        report.warnings.append(
            "the software changed during the run (now: "
            + "; ".join(f"{k} {v}" for k, v in changed.items())
            + "): compare with care"
        )
    apply_budgets(report)
    text = render(report)
    print("\n" + text)
    write_results(text, args.append)
    print(f"(written to {RESULTS_FILE.relative_to(REPO_ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

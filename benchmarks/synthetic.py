"""Deterministic synthetic papers: ML titles, authors, years, topics from a 31-topic tree,
statuses, notes, abstracts; ~90% on arXiv (new- and old-style ids)."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import accumulate

from common import NOW, T

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

"""The reading queue and what to read next.

The queue is an explicit order the user keeps (`queue`, `--top`, `--move`); `next` reads
it first and, when it runs short, suggests unread papers of the topics with the least
progress. Reading status feeds it: a paper being read goes to the top, a read one leaves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from papertrail.core.refs import ids_label, resolve_all
from papertrail.core.topics import check_topic
from papertrail.db.store import Store
from papertrail.errors import PapertrailError, UsageError
from papertrail.model.query import PaperQuery
from papertrail.model.records import PaperSummary, paper_label


@dataclass
class Suggestion:
    paper: PaperSummary
    reason: str  # "queued #1", "pruning: 1/5 read"


def summaries(store: Store, paper_ids: Sequence[int]) -> list[PaperSummary]:
    """The papers' summaries in the order of `paper_ids`."""
    return store.summaries_of(list(paper_ids))


def queue(store: Store) -> list[PaperSummary]:
    return summaries(store, store.queued_ids())


def _topic_ids(store: Store, topic: str) -> list[int]:
    slug = check_topic(store, topic)
    return [p.id for p in store.iter_summaries(PaperQuery(topic=slug))]


def enqueue(
    store: Store, refs: Sequence[str], *, top: bool = False, topic: str | None = None
) -> tuple[list[int], list[int]]:
    """Queue papers (REFs, and with `topic` its unread papers); return (added, already queued).

    At the end, or at the top with `top`; a queued paper keeps its place unless `top`.
    """
    wanted = resolve_all(store, refs)
    if topic is not None:
        unread = {p.id for p in store.iter_summaries(PaperQuery(status="unread"))}
        asked = set(wanted)
        wanted += [i for i in _topic_ids(store, topic) if i in unread and i not in asked]
    if not wanted:
        raise UsageError("give papers to queue (REF...), or a --topic with unread papers")
    with store.transaction():
        order = store.queue_to_change()
        queued, asked = set(order), set(wanted)  # sets: `queue -` may name every paper
        already = [i for i in wanted if i in queued]
        added = [i for i in wanted if i not in queued]
        order = wanted + [i for i in order if i not in asked] if top else order + added
        store.set_queue(order)
        store.summary = f"queued {ids_label(store, added or wanted)}"
    return added, already


def move(store: Store, ref: str, position: int) -> int:
    """Put a queued paper at `position` (1 is the top; beyond the end means last)."""
    paper_id = store.resolve(ref)
    with store.transaction():
        order = store.queue_to_change()
        if paper_id not in order:
            raise PapertrailError(f"paper {paper_id} is not in the queue")
        order.remove(paper_id)
        position = min(max(position, 1), len(order) + 1)
        order.insert(position - 1, paper_id)
        store.set_queue(order)
        store.summary = f"moved {paper_label(store.get(paper_id))} to place {position} in the queue"
    return position


def dequeue(store: Store, refs: Sequence[str]) -> list[int]:
    paper_ids = resolve_all(store, refs)
    with store.transaction():
        order = store.queue_to_change()
        queued, leaving = set(order), set(paper_ids)
        missing = [i for i in paper_ids if i not in queued]
        if missing:
            raise PapertrailError(f"not in the queue: {', '.join(map(str, missing))}")
        store.set_queue([i for i in order if i not in leaving])
        store.summary = f"took {ids_label(store, paper_ids)} off the queue"
    return paper_ids


def after_status_change(
    store: Store, order: list[int], paper_ids: Sequence[int], status: str
) -> None:
    """A paper being read goes to the top of the queue (`order`, from `order_to_change`);
    a read paper leaves it."""
    changed = set(paper_ids)
    if status == "reading":
        order = list(paper_ids) + [i for i in order if i not in changed]
    elif status == "read":
        order = [i for i in order if i not in changed]
    store.set_queue(order)


def suggest(store: Store, count: int, topic: str | None = None) -> list[Suggestion]:
    """The queue first, then unread papers of the topics with the least progress."""
    allowed = set(_topic_ids(store, topic)) if topic is not None else None
    chosen: list[Suggestion] = []
    seen: set[int] = set()
    for place, paper in enumerate(queue(store), 1):
        if paper.status != "read" and (allowed is None or paper.id in allowed):
            chosen.append(Suggestion(paper, f"queued #{place}"))
            seen.add(paper.id)
    by_topic: dict[str, list[int]] = {}
    for slug, paper_id in store.unread_by_topic():
        by_topic.setdefault(slug, []).append(paper_id)
    # Least progress first; among equals, the larger topic (more to gain).
    progress = sorted(
        (p for p in store.topic_progress() if p[0] in by_topic),
        key=lambda p: (p[2] / p[1], -p[1], p[0]),
    )
    picks: list[tuple[int, str]] = []
    for slug, papers, read in progress:
        if len(chosen) + len(picks) >= count:
            break
        fit = _by_fit(store, slug, by_topic[slug])
        for paper_id in sorted(by_topic[slug], key=lambda i: -fit.get(i, -1.0)):
            if len(chosen) + len(picks) >= count:
                break
            if paper_id not in seen and (allowed is None or paper_id in allowed):
                seen.add(paper_id)
                because = f"; fits {fit[paper_id]:.2f}" if paper_id in fit else ""
                picks.append((paper_id, f"{slug}: {read}/{papers} read{because}"))
    reasons = dict(picks)
    chosen += [Suggestion(p, reasons[p.id]) for p in summaries(store, [i for i, _ in picks])]
    return chosen[:count]


def _by_fit(store: Store, slug: str, paper_ids: list[int]) -> dict[int, float]:
    """How well each unread paper fits what the topic's papers say one reads (the reader
    model); nothing when it has nothing to learn from (the papers keep their order)."""
    from papertrail.core import ranking  # numpy: only when the queue runs short

    try:
        return ranking.library_scores(store, paper_ids, slug)
    except ranking.NothingToLearn:
        return {}


def parse_day(text: str) -> str:
    """`--on 2024-05-01` as a stored timestamp; impossible or future dates are refused."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--on needs a date as YYYY-MM-DD, not {text!r}") from None
    if day > datetime.now(UTC).date():
        raise UsageError(f"--on {day.isoformat()} is in the future")
    return f"{day.isoformat()}T00:00:00Z"

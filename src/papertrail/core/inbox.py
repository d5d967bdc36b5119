"""Following arXiv categories: feeds, the daily inbox, and newer versions of library papers.

`refresh` reads the announcements of every followed category in one request
(rss.arxiv.org/rss/cs.LG+stat.ML), keeps the new and cross-listed items that pass a
feed's filters, drops papers the library holds or a feed already showed, and files the
rest in the inbox. "replace" announcements of library papers mark them as having a
newer version. No terminal here: the CLI renders what these functions return.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from papertrail.config import Settings
from papertrail.core.papers import AddResult, add_records, arxiv_client
from papertrail.db.store import Store
from papertrail.errors import ArxivUnavailable, PapertrailError, UsageError
from papertrail.model.categories import canonical_category, in_category
from papertrail.model.records import FeedSpec, InboxEntry, Paper, PaperRecord, now_iso
from papertrail.model.slugs import topic_slug
from papertrail.model.text import fold

if TYPE_CHECKING:
    from papertrail.services.arxiv_rss import FeedItem

# What each announce type means, in "why it matched".
KINDS = {"new": "new", "cross": "cross-list", "replace": "new version",
         "replace-cross": "new version, cross-list"}  # fmt: skip
INBOX_TYPES = ("new", "cross")


# -- feeds ------------------------------------------------------------------------------------


def follow(
    store: Store,
    categories: Sequence[str],
    keywords: Sequence[str] = (),
    authors: Sequence[str] = (),
    topic: str | None = None,
) -> FeedSpec:
    """Follow arXiv categories (validated against arXiv's taxonomy) with optional filters."""
    if not categories:
        raise UsageError("give at least one arXiv category, e.g. cs.LG")
    feed = FeedSpec(
        categories=list(dict.fromkeys(canonical_category(c) for c in categories)),
        keywords=_clean_terms(keywords, "--keyword"),
        authors=_clean_terms(authors, "--author"),
        topic=topic_slug(topic) if topic else None,
    )
    with store.transaction():
        feed.id = store.add_feed(feed, now_iso())
        store.summary = f"followed feed {feed.id}: {' '.join(feed.categories)}"
    return feed


def _clean_terms(terms: Iterable[str], option: str) -> list[str]:
    cleaned = [" ".join(t.split()) for t in terms]
    if any(not t for t in cleaned):
        raise UsageError(f"{option} cannot be empty")
    return list(dict.fromkeys(cleaned))


def unfollow(store: Store, feed_ids: Sequence[int]) -> list[FeedSpec]:
    """Stop following feeds; items already in the inbox stay there."""
    known = {feed.id: feed for feed in store.feeds()}
    missing = [str(i) for i in feed_ids if i not in known]
    if missing:
        raise PapertrailError(f"no feed {', '.join(missing)}: `papertrail feed list` shows them")
    with store.transaction():
        for feed_id in dict.fromkeys(feed_ids):
            store.remove_feed(feed_id)
        store.summary = "removed feed " + ", ".join(map(str, dict.fromkeys(feed_ids)))
    return [known[i] for i in dict.fromkeys(feed_ids)]


# -- matching ---------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower-case, accents removed, whitespace collapsed: "Wübben" matches "wubben"."""
    return " ".join(fold(text).split())


def _mentions(text: str, term: str) -> bool:
    """`term` at the start of a word of `text` (both folded): "quantiz" finds quantization,
    "GAN" does not find "organ"."""
    return re.search(r"(?<!\w)" + re.escape(_fold(term)), _fold(text)) is not None


def why_matched(feed: FeedSpec, item: FeedItem, *, everything: bool = False) -> str | None:
    """Why `item` belongs in the inbox for `feed` ("cs.LG new; keyword 'pruning'"), or None.

    An item matches when it is in one of the feed's categories, is new or cross-listed,
    and (when the feed has filters) mentions a keyword in its title or abstract or has
    one of the authors. `everything` keeps every item of the categories.
    """
    followed = [c for c in feed.categories if in_category(item.categories, c)]
    if not followed:
        return None
    where = f"{followed[0]} {KINDS.get(item.announce_type, item.announce_type)}"
    text = f"{item.title or ''} {item.abstract or ''}"
    hits = [f"keyword '{k}'" for k in feed.keywords if _mentions(text, k)]
    hits += [f"author '{a}'" for a in feed.authors if any(_mentions(n, a) for n in item.authors)]
    filtered = bool(feed.keywords or feed.authors)
    if item.announce_type in INBOX_TYPES and (hits or not filtered):
        return "; ".join([where, *hits])
    return f"{where} (--all)" if everything else None


# -- refresh ----------------------------------------------------------------------------------


@dataclass
class Refresh:
    """What one `papertrail inbox` run found."""

    announced: str | None = None  # the day the feed announces
    in_feed: int = 0  # items in the feed
    filed: list[InboxEntry] = field(default_factory=list)  # new in the inbox
    in_library: int = 0
    already_seen: int = 0
    newer_versions: list[tuple[Paper, int]] = field(default_factory=list)  # (paper, version)


def refresh(store: Store, settings: Settings, *, everything: bool = False) -> Refresh:
    """Fetch the followed categories' announcements (one request) and file what matches."""
    feeds = store.feeds()
    if not feeds:
        raise PapertrailError("no feeds followed: `papertrail feed add CATEGORY...` first")
    if settings.offline:
        raise ArxivUnavailable(
            "offline (PAPERTRAIL_OFFLINE=1): not fetching the feeds; "
            "`papertrail inbox --no-fetch` shows the stored inbox"
        )
    categories = sorted({c for feed in feeds for c in feed.categories})
    with arxiv_client(settings) as client:
        announcements = client.announcements(categories)
    result = Refresh(announced=announcements.announced, in_feed=len(announcements.items))
    file_items(store, feeds, announcements.items, result, everything=everything)
    return result


def file_items(
    store: Store, feeds: list[FeedSpec], items: Sequence[FeedItem], result: Refresh,
    *, everything: bool = False,
) -> None:  # fmt: skip
    """File the announced items that match a feed, in one transaction; note newer versions
    of library papers. Each item costs the same, however many there are."""
    now = now_iso()
    with store.transaction():
        library = store.find_arxiv(item.arxiv_id for item in items)
        seen = store.seen(item.arxiv_id for item in items)
        numbers = store.free_inbox_numbers()
        for item in items:
            if item.arxiv_id in library:
                result.in_library += 1
                _note_version(store, library[item.arxiv_id], item, result)
            elif item.arxiv_id in seen:
                result.already_seen += 1
            else:
                _file(store, feeds, item, everything, now, numbers, result)


def _note_version(store: Store, paper_id: int, item: FeedItem, result: Refresh) -> None:
    if item.is_new_version and item.version and store.mark_newer_version(paper_id, item.version):
        result.newer_versions.append((store.get(paper_id), item.version))


def _file(
    store: Store, feeds: list[FeedSpec], item: FeedItem, everything: bool, now: str,
    numbers: Iterator[int], result: Refresh,
) -> None:  # fmt: skip
    asked = [(feed, why_matched(feed, item, everything=everything)) for feed in feeds]
    matched = [(feed, why) for feed, why in asked if why is not None]
    if not matched:
        return
    reason = " | ".join(dict.fromkeys(why for _, why in matched))
    topics = list(dict.fromkeys(feed.topic for feed, _ in matched if feed.topic))
    number = next(numbers)
    store.add_to_inbox(
        number, item.to_record(), item.announce_type, item.announced, reason, topics, now
    )
    result.filed.extend(store.inbox([number]))


def expire(store: Store, days: int, now: datetime | None = None) -> list[str]:
    """Drop the items that waited more than `days` days untouched; their arXiv ids."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    stale = store.inbox_numbers_before(cutoff.strftime("%Y-%m-%dT%H:%M:%SZ"))
    with store.transaction():
        return store.close_inbox_items(stale, "expired", recorded=False)


# -- triage -----------------------------------------------------------------------------------


def pending(store: Store, settings: Settings) -> tuple[list[InboxEntry], list[str]]:
    """The inbox as it stands (after expiry), and what just expired."""
    expired = expire(store, settings.inbox_days)
    return store.inbox(), expired


def _entries(store: Store, numbers: Sequence[int]) -> list[InboxEntry]:
    """The items numbered so, all or nothing: one unknown number stops the command."""
    entries = store.inbox(list(dict.fromkeys(numbers)))
    missing = sorted(set(numbers) - {e.number for e in entries})
    if missing:
        raise PapertrailError(
            f"no item {', '.join(map(str, missing))} in the inbox: `papertrail inbox` lists them"
        )
    return entries


@dataclass
class Taken:
    added: AddResult
    incomplete: str | None = None  # why some papers have only the feed's metadata


def take(
    store: Store, settings: Settings, numbers: Sequence[int], topics: Sequence[str] = ()
) -> Taken:
    """Move items into the library: the feed's metadata, completed by one API request."""
    entries = _entries(store, numbers)
    slugs = [topic_slug(t) for t in topics]
    complete, why = _complete(settings, [e.record.arxiv_id or "" for e in entries])
    records: list[PaperRecord] = []
    for entry in entries:
        base = complete.get(entry.record.arxiv_id or "") or entry.record
        records.append(replace(base, topics=list(dict.fromkeys([*entry.topics, *slugs]))))
    with store.transaction():
        result = add_records(store, records, fetched=complete)
        store.close_inbox_items([e.number for e in entries], "added")
    if result.pending and why is None:
        why = "arXiv's API did not return " + ", ".join(p.arxiv_id or "" for p in result.pending)
    return Taken(result, why if result.pending else None)


def _complete(
    settings: Settings, arxiv_ids: list[str]
) -> tuple[dict[str, PaperRecord], str | None]:
    """arXiv's full metadata for the ids (one batch request), or why there is none."""
    if settings.offline:
        return {}, "offline (PAPERTRAIL_OFFLINE)"
    try:
        with arxiv_client(settings) as client:
            return client.fetch(arxiv_ids).papers, None
    except ArxivUnavailable as error:
        return {}, str(error)


def dismiss(store: Store, numbers: Sequence[int] | None) -> list[InboxEntry]:
    """Drop items (all of them with None); they are never shown again."""
    entries = store.inbox() if numbers is None else _entries(store, numbers)
    with store.transaction():
        store.summary = "dismissed inbox item(s) " + ", ".join(str(e.number) for e in entries)
        store.close_inbox_items([e.number for e in entries], "dismissed")
    return entries


def item(store: Store, number: int) -> InboxEntry:
    """The item numbered so (an unknown number is an error)."""
    return _entries(store, [number])[0]


def item_of_arxiv_id(store: Store, arxiv_id: str) -> InboxEntry | None:
    """The waiting item of an arXiv id, if the inbox has one."""
    return next((e for e in store.inbox() if e.record.arxiv_id == arxiv_id), None)

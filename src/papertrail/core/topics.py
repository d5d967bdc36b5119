"""Topics: tag and untag papers (one or many), the topic tree, rename, merge, delete, and
the `--topic` filter's check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from papertrail.core.refs import ids_label, resolve_all
from papertrail.db.store import Store
from papertrail.errors import PapertrailError, TopicError
from papertrail.model.records import Paper, TopicSummary, paper_label
from papertrail.model.slugs import new_topic_slug, topic_slug


@dataclass
class TopicChange:
    slug: str
    papers: list[int]  # the papers that changed
    unchanged: int = 0  # papers named that had it already (or lacked it, for untag)


def tag_many(store: Store, topic: str, refs: Sequence[str]) -> TopicChange:
    slug = new_topic_slug(topic)
    paper_ids = resolve_all(store, refs)
    with store.transaction():
        changed = [i for i in paper_ids if store.add_topics(i, [slug])]
        store.summary = f"tagged {ids_label(store, changed)}: {slug}"
    return TopicChange(slug, changed, len(paper_ids) - len(changed))


def untag_many(store: Store, topic: str, refs: Sequence[str]) -> TopicChange:
    slug = topic_slug(topic)
    paper_ids = resolve_all(store, refs)
    with store.transaction():
        store.topic_id(slug)  # an unknown topic is an error
        changed = [i for i in paper_ids if store.remove_topics(i, [slug])]
        store.summary = f"untagged {ids_label(store, changed)}: {slug}"
    return TopicChange(slug, changed)


def rename(store: Store, old: str, new: str) -> tuple[str, str]:
    old_slug, new_slug = topic_slug(old), new_topic_slug(new)
    with store.transaction():
        topic = store.topic_id(old_slug)
        if new_slug != old_slug and store.topic_exists(new_slug):
            raise TopicError(
                f"there is already a topic {new_slug!r}: `papertrail topic merge {old_slug} "
                f"{new_slug}` puts the papers of one into the other"
            )
        store.rename_topic(topic, new_slug)
        store.summary = f"renamed topic {old_slug} to {new_slug}"
    return old_slug, new_slug


def merge(store: Store, source: str, target: str) -> TopicChange:
    """Move SOURCE's papers and sub-topics into TARGET, then delete SOURCE."""
    source_slug, target_slug = topic_slug(source), topic_slug(target)
    if source_slug == target_slug:
        raise TopicError("a topic cannot be merged into itself")
    with store.transaction():
        source_id = store.topic_id(source_slug)
        target_id = store.topic_id(target_slug)
        papers = store.topic_paper_ids(source_id)
        moved = [i for i in papers if store.link_topics(i, {target_slug: target_id})]
        if store.topic_parent_id(target_id) == source_id:  # merging into its own child
            store.set_topic_parent_id(target_id, store.topic_parent_id(source_id))
        for child, parent in store.topic_parents().items():
            if parent == source_slug and child != target_slug:
                store.set_topic_parent(child, target_slug)  # refuses a cycle
        store.follow_merged_topic(source_id, target_id)  # linked bibliographies follow
        store.delete_topic(source_id)
        store.summary = f"merged topic {source_slug} into {target_slug} ({len(papers)} papers)"
    return TopicChange(target_slug, moved)


def papers_of(store: Store, topic: str) -> tuple[str, list[int]]:
    slug = topic_slug(topic)
    return slug, store.topic_paper_ids(store.topic_id(slug))


def delete(store: Store, topic: str) -> TopicChange:
    """Delete a topic: its papers keep their other topics, its sub-topics move up."""
    slug = topic_slug(topic)
    with store.transaction():
        topic_id = store.topic_id(slug)
        papers = store.topic_paper_ids(topic_id)
        store.delete_topic(topic_id)
        store.summary = f"deleted topic {slug} ({len(papers)} papers)"
    return TopicChange(slug, papers)


def tag(store: Store, ref: str, topics: Sequence[str]) -> tuple[Paper, list[str]]:
    slugs = [new_topic_slug(t) for t in topics]
    paper_id = store.resolve(ref)
    with store.transaction():
        added = store.add_topics(paper_id, slugs)
        paper = store.get(paper_id)
        store.summary = f"tagged {paper_label(paper)}: {', '.join(added)}"
    return paper, added


def untag(store: Store, ref: str, topics: Sequence[str]) -> tuple[Paper, list[str]]:
    slugs = [topic_slug(t) for t in topics]
    paper_id = store.resolve(ref)
    with store.transaction():
        removed = store.remove_topics(paper_id, slugs)
        paper = store.get(paper_id)
        store.summary = f"untagged {paper_label(paper)}: {', '.join(removed)}"
    return paper, removed


def set_topic_parent(store: Store, child: str, parent: str | None) -> tuple[str, str | None]:
    """Put CHILD under PARENT (or at the root); return the two slugs."""
    child_slug = topic_slug(child)
    parent_slug = topic_slug(parent) if parent else None
    with store.transaction():
        store.set_topic_parent(child_slug, parent_slug)
        store.summary = f"put {child_slug} under {parent_slug or 'the root'}"
    return child_slug, parent_slug


def check_topic(store: Store, topic: str | None) -> str | None:
    """The slug of a `--topic` filter; an unknown topic is an error, not an empty list."""
    if topic is None:
        return None
    slug = topic_slug(topic)
    if not store.topic_exists(slug):
        known = sorted(store.topic_parents())
        close = [k for k in known if slug in k or k in slug][:5]
        hint = f" (did you mean: {', '.join(close)}?)" if close else ""
        raise PapertrailError(f"no topic {slug!r} in the library{hint}")
    return slug


def topic_summaries(store: Store, *, include_unused: bool = False) -> list[TopicSummary]:
    """Topics with their counts; those no paper uses (sub-topics included) only on request."""
    summaries = store.topic_summaries()
    return summaries if include_unused else [topic for topic in summaries if topic.papers]


@dataclass
class Pruned:
    topics: list[TopicSummary]  # the topics deleted (or that would be, on a dry run)
    papers: int  # papers that lost one of them


def prune(store: Store, patterns: Sequence[str], *, unused: bool, dry_run: bool = False) -> Pruned:
    """Delete topics in bulk: those whose slug matches a glob (`05*`, `*-secondary`), or with
    no glob the unused ones; `unused` keeps to topics no paper has (sub-topics included).
    Sub-topics of a deleted topic move up, as `topic delete` does. One history entry."""
    if not patterns and not unused:
        raise PapertrailError("give topic names or globs to prune, or --unused")
    summaries = store.topic_summaries()
    chosen = [
        topic
        for topic in summaries
        if (not patterns or any(fnmatchcase(topic.slug, topic_glob(p)) for p in patterns))
        and (not unused or topic.papers == 0)
    ]
    papers = 0
    with store.transaction(commit=not dry_run):
        for topic in chosen:
            topic_id = store.topic_id(topic.slug)
            papers += len(store.topic_paper_ids(topic_id))
            store.delete_topic(topic_id)
        store.summary = f"pruned {len(chosen)} topic(s)"
    return Pruned(chosen, papers)


def topic_glob(pattern: str) -> str:
    """A glob as slugs are written: lower case, spaces as dashes; `*?[]` kept."""
    return "-".join(pattern.strip().lower().split())

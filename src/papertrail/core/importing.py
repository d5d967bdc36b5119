"""`papertrail import`: read a reading list in any known format and merge it into the library.

Parsing touches no database; the merge is one transaction. Large BibTeX files are
read in batches while the merge runs, so memory stays flat (a bad entry then still
rolls back everything when --strict is given).
Merging never overwrites what the user set: an existing paper gains topics and fills
fields it lacks, its status, note and dates stay as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from papertrail.db.store import Store
from papertrail.errors import TopicError
from papertrail.importers import seed_path
from papertrail.model.ids import arxiv_from_doi, normal_doi
from papertrail.model.records import STATUSES, PaperRecord, ParsedList
from papertrail.model.same_paper import (
    Known,
    PaperIndex,
    describe,
    family_name,
    known,
    normal_title,
    normal_url,
)
from papertrail.model.slugs import topic_slug


@dataclass
class ImportReport:
    source: str
    added: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False


# -- merging --------------------------------------------------------------------------------


def source_key(path: Path) -> str:
    """How the import log names a reading list: the bundled seed, or the file's full path."""
    return "seed" if path == seed_path() else str(path.resolve())


def item_key(record: PaperRecord) -> str | None:
    """How the import log names a paper; its topics are logged as `<key> topic:<slug>`.

    `paper:` marks keys whose topics are logged too; an older papertrail logged the same
    key without it (and no topics).
    """
    if record.arxiv_id:
        return f"{PAPER}arxiv:{record.arxiv_id}"
    if not record.title:  # known by its DOI or its address until `fetch` titles it
        if record.doi:
            return f"{PAPER}doi:{normal_doi(record.doi)}"
        return f"{PAPER}address:{normal_url(record.url)}" if record.url else None
    return f"{PAPER}title:{normal_title(record.title)} {record.url or ''}".rstrip()


PAPER = "paper:"


def merge(
    store: Store,
    parsed: ParsedList,
    *,
    source: str,
    source_key: str,
    now: str,
    extra_topics: Sequence[str] = (),
    dry_run: bool = False,
    match: bool = True,
) -> ImportReport:
    """Merge parsed records into the library in one transaction (rolled back on a dry run).

    The import log remembers what lists brought in -- each paper, each topic given to it,
    each parent given to a topic -- whichever file or folder they came from: importing a
    list again (moved, renamed, or another list naming the same papers) brings only what
    is new, and never undoes what the user removed since. A record that is a paper already
    there (see papertrail.model.same_paper) fills what that paper lacks and adds its topics.
    `match=False` takes every record as a paper of its own.
    """
    report = ImportReport(source=source, dry_run=dry_run)
    with store.transaction(commit=not dry_run):
        seen = store.imported_keys()
        extra = [topic_slug(t) for t in extra_topics]
        tree = under_topic(parsed.topic_parents, extra[0] if extra else None)
        parents_given = _merge_topic_tree(store, tree, report, seen)
        store.log_imported(source_key, parents_given, now)
        merger = _Merger(store, report, seen, now, extra)
        if match:
            merger.load_index()
        for batch in parsed.record_batches():
            merged = merger.merge_batch(batch, distinct=parsed.distinct or not match)
            keys = [k for k in dict.fromkeys(merged) if k not in seen]
            store.log_imported(source_key, keys, now)
            seen.update(keys)
            store.summary = (
                f"imported {source}: {len(report.added)} added, {len(report.merged)} merged"
            )
            store.flush_history()  # memory stays flat, however long the file
    report.skipped[:0] = parsed.skipped
    report.warnings += parsed.warnings
    return report


def under_topic(parents: dict[str, str | None], topic: str | None) -> dict[str, str | None]:
    """A list's heading tree placed under the topic given to the import (`-t`): its
    top-level headings become sub-topics of it, not top-level topics of the library."""
    if topic is None:
        return parents
    placed: dict[str, str | None] = {
        child: parent if parent is not None else topic for child, parent in parents.items()
    }
    placed.pop(topic, None)  # a heading that is the topic itself stays where it is
    return placed


class _Merger:
    def __init__(
        self, store: Store, report: ImportReport, seen: set[str], now: str, extra: list[str]
    ) -> None:
        self.store = store
        self.report = report
        self.seen = seen
        # What imports before this one logged: a key this import logged itself is another
        # paper with the same title (LeCun's "Deep learning", Goodfellow's "Deep Learning"),
        # never one the user removed since.
        self.earlier = frozenset(seen)
        self.now = now
        self.extra = extra
        self.index = PaperIndex()
        self.topic_ids: dict[str, int] = {}
        self.tag_ids: dict[str, int] = {}

    def load_index(self) -> None:
        stored: dict[int, Known] = {}
        for paper_id, arxiv_id, doi, title, year, first in self.store.match_rows():
            family = family_name(first) or None
            paper = known(int(paper_id), arxiv_id, doi, title, year, family)
            stored[int(paper_id)] = self.index.add(paper)
        for paper_id, url in self.store.address_rows():
            if paper_id in stored:  # (a paper added by another client meanwhile: not yet)
                self.index.add_address(stored[paper_id], url)

    def merge_batch(self, batch: list[PaperRecord], *, distinct: bool) -> list[str]:
        """Merge one batch; return the import-log keys of what it brought in.

        `distinct`: the records are distinct papers; only an arXiv id (unique in a library)
        joins two of them.
        """
        new: list[tuple[PaperRecord, Known]] = []
        keys: list[str] = []
        for record in batch:
            key = item_key(record)
            if key is not None and (key in self.earlier or key.removeprefix(PAPER) in self.earlier):
                keys += self._merge_again(record, key)
                continue
            problem = _problem(record)
            if problem:
                where = f" ({record.sources[0]})" if record.sources else ""
                self.report.skipped.append((record.label + where, problem))
                continue
            record.arxiv_id = record.arxiv_id or arxiv_from_doi(record.doi)
            record.topics = list(dict.fromkeys([*record.topics, *self.extra]))
            probe = describe(record, record)
            known = self.index.find(probe)
            if known is None:
                self._warn_doi_conflict(record, probe)
                new.append((record, self.index.add(probe, only_arxiv=distinct)))
                self.report.added.append(record.label)
            else:
                self._merge_into(known, record, probe)
                self.report.merged.append(record.label)
            if key is not None:
                keys += [key, *(f"{key} topic:{slug}" for slug in record.topics)]
        inserted = self.store.insert_papers([record for record, _ in new], self.now)
        for (record, known), (paper_id, is_new) in zip(new, inserted, strict=True):
            known.ref = paper_id
            if not is_new:  # another client added this arXiv paper a moment ago
                self.store.fill_missing(paper_id, record)
                self.store.link_topics(paper_id, self._topic_ids(record.topics))
                self.store.link_tags(paper_id, self._tag_ids(record.tags))
                self.report.added.remove(record.label)
                self.report.merged.append(record.label)
        ids = [paper_id for paper_id, is_new in inserted if is_new]
        new = [pair for pair, (_, is_new) in zip(new, inserted, strict=True) if is_new]
        self.store.link_new([
            (paper_id, topic_id)
            for (record, _), paper_id in zip(new, ids, strict=True)
            for topic_id in self._topic_ids(record.topics).values()
        ])  # fmt: skip
        self.store.link_new_tags([
            (paper_id, tag_id)
            for (record, _), paper_id in zip(new, ids, strict=True)
            for tag_id in self._tag_ids(record.tags).values()
        ])  # fmt: skip
        return keys

    def _warn_doi_conflict(self, record: PaperRecord, probe: Known) -> None:
        other = self.index.doi_conflict(probe)
        if other is not None:
            self.report.warnings.append(
                f"{record.label}: shares DOI {probe.doi} with another paper whose title "
                "differs; both kept (`papertrail duplicates` shows the pair)"
            )

    def _merge_again(self, record: PaperRecord, key: str) -> list[str]:
        """A paper some list brought in before: only topics no list gave it before are added;
        a paper the user removed stays removed. Returns the new log keys."""
        record.arxiv_id = record.arxiv_id or arxiv_from_doi(record.doi)
        known = self.index.find(describe(record, record))
        if known is None or known.ref is None:
            self.report.skipped.append(
                (record.label, "removed from the library after an earlier import")
            )
            return []
        self.report.merged.append(record.label)
        if key not in self.seen or isinstance(known.ref, PaperRecord):
            return []  # logged by an older papertrail, which did not log topics: leave them
        wanted = list(dict.fromkeys([*record.topics, *self.extra]))
        new = [slug for slug in wanted if f"{key} topic:{slug}" not in self.seen]
        self.store.link_topics(known.ref, self._topic_ids(new))
        self.store.link_tags(known.ref, self._tag_ids(record.tags))
        return [f"{key} topic:{slug}" for slug in new]

    def _merge_into(self, known: Known, record: PaperRecord, probe: Known) -> None:
        if isinstance(known.ref, PaperRecord):  # a paper of this batch, not stored yet
            fill_record(known.ref, record)
        elif known.ref is not None:
            self.store.fill_missing(known.ref, record)
            self.store.link_topics(known.ref, self._topic_ids(record.topics))
            self.store.link_tags(known.ref, self._tag_ids(record.tags))
        self.index.learn(known, probe)

    def _topic_ids(self, slugs: list[str]) -> dict[str, int]:
        """slug -> topic id, looked up (or created) once per import."""
        wanted = [slug for slug in slugs if slug not in self.topic_ids]
        if wanted:
            self.topic_ids.update(self.store.topic_ids(wanted))
        return {slug: self.topic_ids[slug] for slug in slugs}

    def _tag_ids(self, names: list[str]) -> dict[str, int]:
        """tag -> tag id, looked up (or created) once per import."""
        wanted = [name for name in names if name not in self.tag_ids]
        if wanted:
            self.tag_ids.update(self.store.tag_ids(wanted))
        return {name: self.tag_ids[name] for name in names}


def _problem(record: PaperRecord) -> str | None:
    # A DOI names the paper as an arXiv id does (`fetch` gives it its title from Crossref);
    # an address is the paper at it (an importer passes only a paper's page or PDF).
    if record.arxiv_id is None and not (record.title or record.doi or record.url):
        return "no arXiv id, title or address"
    if record.status is not None and record.status not in STATUSES:
        return f"unknown status {record.status!r}"
    return None


def fill_record(target: PaperRecord, other: PaperRecord) -> None:
    """Merge two records of one file: `target` keeps its values, gains what it lacks."""
    for name in _FILLABLE:
        if getattr(target, name) in (None, []) and getattr(other, name) not in (None, []):
            setattr(target, name, getattr(other, name))
    target.topics += [t for t in other.topics if t not in target.topics]
    target.tags += [t for t in other.tags if t not in target.tags]
    target.sources += other.sources


_FILLABLE = [f.name for f in fields(PaperRecord) if f.name not in ("topics", "tags", "sources")]


def _merge_topic_tree(
    store: Store, parents: dict[str, str | None], report: ImportReport, seen: set[str]
) -> list[str]:
    """Give parentless topics the parent the file says, unless a list gave that parent
    before (the user may have moved it since); a parent the user chose stays. Returns the
    log keys of the parents given."""
    if not parents:
        return []
    store.topic_ids(parents)
    edges = {c: p for c, p in parents.items() if p is not None and f"parent:{c}>{p}" not in seen}
    current = store.topic_parents()
    for child, parent in edges.items():
        if current.get(child) is not None:
            continue
        try:
            store.set_topic_parent(child, parent)
        except TopicError as error:
            report.skipped.append((f"topic {child} under {parent}", str(error)))
    return [f"parent:{child}>{parent}" for child, parent in edges.items()]

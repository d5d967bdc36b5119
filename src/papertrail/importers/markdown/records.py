"""Entries into records: one record per paper, however often the list names it.

The same paper twice (same arXiv id; same URL and title for the others) is one record:
topics are merged and `sources` lists every place it was seen. An entry that only points
inside the document (`[Title](#anchor)`) joins the record of the same title, if any.
"""

from __future__ import annotations

from papertrail.importers.markdown.entries import Entry
from papertrail.importers.markdown.links import id_year, url_kind
from papertrail.model.ids import doi_in_url
from papertrail.model.records import PaperRecord, ParsedList
from papertrail.model.same_paper import normal_title, normal_url


class Collector:
    def __init__(self, source: str, extras: list[str]) -> None:
        self.source, self.extras = source, extras
        self.out = ParsedList()
        self.by_key: dict[tuple[str, str], PaperRecord] = {}
        self.skipped: list[tuple[int, str, str]] = []
        self.anchors: list[tuple[Entry, list[str]]] = []
        self.exported = False  # papertrail's own export (the document says so)

    def topics(self, chain: list[str]) -> list[str]:
        """The record's topics for a heading chain (deepest first); the tree learns it."""
        parents = self.out.topic_parents
        for k in range(len(chain) - 1, -1, -1):
            if chain[k] not in parents:
                parents[chain[k]] = chain[k + 1] if k + 1 < len(chain) else None
        first = chain[:1]
        return first + [t for t in self.extras if t not in first]

    def add(
        self, entry: Entry, chain: list[str], heading_year: int | None, note: str | None = None
    ) -> None:
        if not entry.is_paper:
            if entry.anchor:
                self.anchors.append((entry, chain))
            elif entry.lookalike:
                self.skip(entry, entry.problem or "no link or arXiv id")
            return
        topics = self.topics(chain)
        source = [f"{self.source}:{entry.line}"]
        note = note or entry.note
        if entry.alias:  # the short name the list gives it, kept where the user sees it
            alias = f"Also known as {entry.alias}."
            note = f"{alias}\n\n{note}" if note else alias
        for k, found in enumerate(entry.ids):
            first = k == 0
            record = PaperRecord(
                arxiv_id=found.id,
                version=found.version,
                title=entry.title if first else entry.id_titles.get(found.id),
                authors=list(entry.authors) if first else [],
                year=((entry.year or heading_year) if first else None) or id_year(found.id),
                topics=list(topics),
                note=note if first else None,
                status=entry.status,
                sources=list(source),
            )
            self._add(("arxiv", found.id), record)
        if not entry.ids:
            self._add_page(entry, entry.url, topics, source, note, heading_year)
        for url in entry.more_urls:
            self._add_page(Entry(entry.line, snippet=entry.snippet), url, topics, source, None)

    def _add_page(
        self,
        entry: Entry,
        url: str | None,
        topics: list[str],
        source: list[str],
        note: str | None,
        heading_year: int | None = None,
    ) -> None:
        """The paper at a page that is not on arXiv, titled by the entry if it has a title."""
        # A link to a DOI names the paper: `fetch` completes it from Crossref, and the
        # library knows it again however else it is linked. papertrail's own export writes
        # the DOI nowhere: its addresses come back as they were.
        doi = None if self.exported else doi_in_url(url)
        if not (entry.title or doi or url_kind(url or "") == "paper"):
            # Without a title only a paper's own page or PDF says it is a paper: a site's
            # front page is a company's, a podcast's, a dataset's as often.
            self.skip(entry, f"no title, and {url} is no paper's page or PDF")
            return
        record = PaperRecord(
            title=entry.title,
            url=url,
            doi=doi,
            authors=list(entry.authors),
            year=entry.year or heading_year,
            topics=list(topics),
            note=note,
            status=entry.status,
            sources=list(source),
        )
        # Two titles on one URL is a slip in the list, not one paper: keep both.
        self._add(("url", normal_url(url or "") + " " + normal_title(entry.title or "")), record)

    def skip(self, entry: Entry, why: str) -> None:
        label = entry.snippet or "(empty item)"
        self.skipped.append((entry.line, label, f"{why} ({self.source}:{entry.line})"))

    def _add(self, key: tuple[str, str], record: PaperRecord) -> None:
        known = self.by_key.get(key)
        if known is None:
            self.by_key[key] = record
            self.out.records.append(record)
        else:
            _merge(known, record)

    def finish(self) -> ParsedList:
        by_title: dict[str, PaperRecord] = {}
        for record in self.out.records:
            if record.title:
                by_title.setdefault(normal_title(record.title), record)
        for entry, chain in self.anchors:
            known = by_title.get(normal_title(entry.title)) if entry.title else None
            if known is not None:
                topics = self.topics(chain)
                _merge(known, PaperRecord(topics=topics, sources=[f"{self.source}:{entry.line}"]))
            elif entry.lookalike:
                self.skip(entry, entry.problem or "no link or arXiv id")
        self.skipped.sort(key=lambda item: item[0])
        self.out.skipped = [(label, reason) for _, label, reason in self.skipped]
        return self.out


def _merge(known: PaperRecord, other: PaperRecord) -> None:
    known.topics += [t for t in other.topics if t not in known.topics]
    known.sources += [s for s in other.sources if s not in known.sources]
    for name in ("title", "status", "version", "year"):
        if getattr(known, name) is None:
            setattr(known, name, getattr(other, name))
    if not known.authors:
        known.authors = other.authors
    if known.url is None and known.arxiv_id is None:
        known.url = other.url
    if other.note and other.note != known.note:
        known.note = other.note if known.note is None else f"{known.note}\n\n{other.note}"

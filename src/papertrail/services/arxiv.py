"""Client for the arXiv export API (https://info.arxiv.org/help/api/), on the shared
HTTP shape (http.py: spacing across processes, retries, deadline, caps, redirects).

arXiv asks for no more than one request every three seconds on a single connection;
ids are fetched in batches of `batch_size`, each one request. Reading the Atom feed is
arxiv_atom.py's job.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import httpx

from papertrail.errors import ArxivUnavailable, InvalidArxivId, UsageError
from papertrail.model.ids import parse_arxiv_id
from papertrail.model.records import PaperRecord
from papertrail.services.arxiv_atom import SearchPage, UnreadableFeed, parse_feed, parse_search
from papertrail.services.arxiv_rss import Announcements, UnreadableRss, parse_rss
from papertrail.services.http import BadAnswer, HttpClient, Reply, Service

DEFAULT_API_URL = "https://export.arxiv.org/api/query"
DEFAULT_RSS_URL = "https://rss.arxiv.org/rss"
DEFAULT_BATCH_SIZE = 100
# arXiv serves at most 2000 results per call; a larger id_list would be truncated.
MAX_BATCH_SIZE = 2000
# A full batch of 100 entries is about 250 kB. A response may hold 64 kB per id asked
# for (1 MB at least) and never more than MAX_BODY_BYTES: a gzip bomb stops there.
MAX_BODY_BYTES = 50_000_000
BODY_BYTES_PER_ID = 64_000
MIN_BODY_BYTES = 1_000_000
# A day of the busiest categories together is a few MB; the cap stops a runaway body.
MAX_RSS_BYTES = 50_000_000

__all__ = ["ArxivClient", "BatchResult", "UnreadableFeed", "parse_feed"]


@dataclass
class BatchResult:
    """What arXiv said about some ids: found papers, unknown ids, rejected ids."""

    # canonical id (no version) -> metadata, for the ids arXiv returned
    papers: dict[str, PaperRecord] = field(default_factory=dict)
    # well-formed ids arXiv does not hold (no entry came back)
    missing: list[str] = field(default_factory=list)
    # id -> one-line message (not an arXiv id, or arXiv rejected its format)
    errors: dict[str, str] = field(default_factory=dict)

    def merge(self, other: BatchResult) -> None:
        self.papers.update(other.papers)
        self.missing.extend(i for i in other.missing if i not in self.missing)
        self.errors.update(other.errors)


class ArxivClient:
    """Fetch paper metadata from the arXiv API in polite, sequential batches.

    `delay` is the least time between the starts of two requests, and also the base of
    the retry backoff: retry k waits delay * 2**(k-1) seconds (at most 60 s) unless
    arXiv sends Retry-After. `max_retries` counts attempts in all, the first included.
    `timeout` bounds each attempt as a whole, from connecting to the last byte.
    """

    def __init__(
        self,
        api_url: str = DEFAULT_API_URL,
        delay: float = 3.0,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        timeout: float = 30.0,
        max_retries: int = 4,
        max_retry_after: float = 120.0,
        transport: httpx.BaseTransport | None = None,
        spacing_file: Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
        offline: bool = False,
        rss_url: str = DEFAULT_RSS_URL,
    ) -> None:
        if not 1 <= batch_size <= MAX_BATCH_SIZE:
            raise ValueError(f"batch_size must be between 1 and {MAX_BATCH_SIZE}")
        self.api_url = api_url
        self.rss_url = rss_url.rstrip("/")
        self.batch_size = batch_size
        service = Service(
            "arXiv",
            delay=delay,
            timeout=timeout,
            attempts=max(1, max_retries),
            max_retry_after=max_retry_after,
            spacing_file=spacing_file,
            # The API answers Atom, the announcement feeds RSS: one client, one spacing.
            headers={"Accept": "application/atom+xml, application/rss+xml;q=0.9"},
            offline=offline,
            error=ArxivUnavailable,
            url_setting="PAPERTRAIL_ARXIV_API",
        )
        self.http = HttpClient(service, transport=transport, sleep=sleep)

    def __enter__(self) -> ArxivClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    # ---------------------------------------------------------------- public

    def fetch(self, ids: Sequence[str]) -> BatchResult:
        """Every batch merged into one result."""
        result = BatchResult()
        for batch in self.fetch_batches(ids):
            result.merge(batch)
        return result

    def fetch_batches(self, ids: Sequence[str]) -> Iterator[BatchResult]:
        """One result per batch of `batch_size` ids, as each arrives.

        Ids that are not arXiv ids are reported in the first result and never sent.
        A network failure raises ArxivUnavailable; batches yielded before it stand.
        """
        wanted, invalid = _canonical_ids(ids)
        batches = [wanted[i : i + self.batch_size] for i in range(0, len(wanted), self.batch_size)]
        if not batches:
            if invalid:
                yield BatchResult(errors=invalid)
            return
        for index, batch in enumerate(batches):
            result = self._fetch_batch(batch)
            if index == 0:
                result.errors = {**invalid, **result.errors}
            yield result

    def search(self, params: dict[str, str]) -> SearchPage:
        """One page of a search (`search_query`, `start`, `max_results`, sorting).

        A query arXiv rejects raises UsageError with arXiv's reason.
        """
        count = int(params.get("max_results", "10"))
        limit = min(MAX_BODY_BYTES, max(MIN_BODY_BYTES, BODY_BYTES_PER_ID * count))
        page = self.http.get(self.api_url, self._read_search, params=params, max_bytes=limit)
        if page.errors:
            reason = "; ".join(dict.fromkeys(page.errors.values()))
            raise UsageError(
                f"arXiv rejected the query {params.get('search_query', '')!r}: "
                f"{reason.removeprefix('arXiv says: ')}"
            )
        return page

    def announcements(self, categories: Sequence[str]) -> Announcements:
        """Today's announcements of the categories, in one request (cs.LG+stat.ML)."""
        url = f"{self.rss_url}/{'+'.join(categories)}"
        return self.http.get(url, self._read_rss, max_bytes=MAX_RSS_BYTES)

    # ---------------------------------------------------------------- batches

    def _fetch_batch(self, sent: list[str]) -> BatchResult:
        papers, arxiv_errors = self._request_feed(sent)
        result = BatchResult()
        if not arxiv_errors:
            wanted = set(sent)
            found = {p.arxiv_id: p for p in papers if p.arxiv_id in wanted}
            # Keyed by canonical id: arXiv answers with the latest version (…v7).
            result.papers = {i: found[i] for i in sent if i in found}
            result.missing = [i for i in sent if i not in found]
            return result
        # arXiv refused the whole request because of some ids: note them, ask for the rest.
        pinned, unpinned = _pin_errors(arxiv_errors, sent)
        result.errors.update(pinned)
        rest = [i for i in sent if i not in pinned]
        if unpinned and len(rest) == 1:
            result.errors[rest[0]] = next(iter(unpinned.values()))
            rest = []
        if unpinned and not pinned and rest:
            # An error we cannot tie to one id: halve the batch until we can.
            half = len(rest) // 2
            result.merge(self._fetch_batch(rest[:half]))
            result.merge(self._fetch_batch(rest[half:]))
        elif rest:
            result.merge(self._fetch_batch(rest))
        return result

    def _request_feed(self, sent: list[str]) -> tuple[list[PaperRecord], dict[str, str]]:
        """Ask arXiv about `sent` (retrying transient failures); the parsed feed."""
        # max_results must cover the batch: the API default of 10 silently truncates.
        params = {"id_list": ",".join(sent), "start": "0", "max_results": str(len(sent))}
        limit = min(MAX_BODY_BYTES, max(MIN_BODY_BYTES, BODY_BYTES_PER_ID * len(sent)))
        return self.http.get(self.api_url, self._read_feed, params=params, max_bytes=limit)

    def _read_feed(self, reply: Reply) -> tuple[list[PaperRecord], dict[str, str]]:
        """arXiv answers 200 with a feed, or 400 with a feed of error entries."""
        if reply.status != 400 and not 200 <= reply.status < 300:
            raise self.http.refused(reply)
        try:
            papers, errors = parse_feed(reply.body)
        except UnreadableFeed as exc:
            if reply.status == 400:
                raise self.http.refused(reply) from None
            raise BadAnswer(str(exc)) from None
        if reply.status == 400 and not errors:
            raise self.http.refused(reply)
        return papers, errors

    def _read_search(self, reply: Reply) -> SearchPage:
        if reply.status != 400 and not 200 <= reply.status < 300:
            raise self.http.refused(reply)
        try:
            page = parse_search(reply.body)
        except UnreadableFeed as exc:
            if reply.status == 400:
                raise self.http.refused(reply) from None
            raise BadAnswer(str(exc)) from None
        if reply.status == 400 and not page.errors:
            raise self.http.refused(reply)
        return page

    def _read_rss(self, reply: Reply) -> Announcements:
        if not 200 <= reply.status < 300:
            raise self.http.refused(reply)
        try:
            return parse_rss(reply.body)
        except UnreadableRss as exc:
            raise BadAnswer(str(exc)) from None


# --------------------------------------------------------------------------- helpers


def _canonical_ids(ids: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """Canonical ids without version, deduplicated in order; and invalid ones with why."""
    wanted: list[str] = []
    invalid: dict[str, str] = {}
    for text in ids:
        try:
            canonical = parse_arxiv_id(text).id
        except InvalidArxivId as exc:
            invalid[text] = str(exc)
            continue
        if canonical not in wanted:
            wanted.append(canonical)
    return wanted, invalid


def _pin_errors(errors: dict[str, str], sent: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Split arXiv's errors into those naming one of the sent ids, and the rest."""
    pinned: dict[str, str] = {}
    unpinned: dict[str, str] = {}
    for named, message in errors.items():
        try:
            canonical = parse_arxiv_id(named).id
        except InvalidArxivId:
            canonical = named
        if canonical in sent:
            pinned[canonical] = message
        else:
            unpinned[named] = message
    return pinned, unpinned

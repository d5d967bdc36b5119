"""Client for the arXiv export API (https://info.arxiv.org/help/api/).

Only commands that fetch metadata import this module, so httpx and feedparser are
loaded at the top. The client is deliberately polite and sequential: arXiv asks for
no more than one request every three seconds on a single connection, and the
spacing is kept across processes when a spacing file is given.

Reading the Atom feed goes through feedparser, with checks around it, because
feedparser is forgiving where we must not be (see `parse_feed`).
"""

from __future__ import annotations

import email.utils
import fcntl
import io
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import feedparser
import httpx

from papertrail import __version__
from papertrail.errors import ArxivUnavailable, InvalidArxivId
from papertrail.ids import abs_url, parse_arxiv_id, pdf_url
from papertrail.output import one_line
from papertrail.records import PaperRecord

DEFAULT_API_URL = "https://export.arxiv.org/api/query"
DEFAULT_BATCH_SIZE = 100
# arXiv serves at most 2000 results per call; a larger id_list would be truncated.
MAX_BATCH_SIZE = 2000
# A full batch of 100 entries is about 250 kB. A response may hold 64 kB per id asked
# for (1 MB at least) and never more than MAX_BODY_BYTES: a gzip bomb stops there.
MAX_BODY_BYTES = 50_000_000
BODY_BYTES_PER_ID = 64_000
MIN_BODY_BYTES = 1_000_000
# Field lengths far beyond any real paper's (the longest arXiv abstract is under 2,000
# characters; collaborations list a few thousand authors).
MAX_TITLE = 2_000
MAX_ABSTRACT = 20_000
MAX_FIELD = 2_000
MAX_AUTHORS = 5_000
# The longest wait between retries when arXiv gives no Retry-After.
MAX_BACKOFF = 60.0

USER_AGENT = f"papertrail/{__version__} (+https://github.com/papertrail; reading tracker)"

# Error entries carry ids like https://arxiv.org/api/errors#incorrect_id_format_for_abc.
_ERROR_ENTRY_RE = re.compile(r"^https?://(?:[a-z0-9-]+\.)*arxiv\.org/api/errors#(?P<code>.*)$")
_BAD_ID_CODE_RE = re.compile(r"^incorrect_id_format_for_(?P<id>.+)$")
# arXiv taxonomy terms (cs.AI, astro-ph, cond-mat.mes-hall). The legacy API also listed
# MSC and ACM classes (53C, I.2.6) as <category>; those are not arXiv categories.
_CATEGORY_RE = re.compile(r"^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[A-Za-z]+)?)?$")
# Declarations arXiv never sends; refusing them blocks XXE and entity-expansion bombs.
_DECLARATION_RE = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


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


class UnreadableFeed(ValueError):
    """The body is not a usable arXiv Atom feed; `str()` says why, in one line."""


# --------------------------------------------------------------------------- parsing


def parse_feed(body: bytes) -> tuple[list[PaperRecord], dict[str, str]]:
    """Read an arXiv API response: (papers, errors). Pure; raises UnreadableFeed.

    `errors` maps the id arXiv complained about (or, for an error that names no id,
    arXiv's error code) to a one-line message. Error entries never become papers.
    """
    parsed = _parse_atom(body)
    papers: list[PaperRecord] = []
    errors: dict[str, str] = {}
    for entry in parsed.entries:
        error = _error_entry(entry)
        if error is not None:
            errors[error[0]] = error[1]
            continue
        record = _record(entry)
        if record is not None:
            papers.append(record)
    return papers, errors


def _parse_atom(body: bytes) -> Any:
    """feedparser's result for a body that is certainly a complete Atom feed."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFeed(f"not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise UnreadableFeed("empty body")
    if _DECLARATION_RE.search(text):
        raise UnreadableFeed("it contains a DOCTYPE or ENTITY declaration")
    # A file object, not bytes: feedparser.parse(bytes) first tries open(bytes) as a path.
    parsed = feedparser.parse(io.BytesIO(body))
    if parsed.get("bozo"):
        # feedparser falls back to a lenient parser and returns whatever entries it
        # could salvage from a cut-off document; none of them can be trusted.
        reason = one_line(str(parsed.get("bozo_exception", "")))
        raise UnreadableFeed(f"malformed XML: {reason}" if reason else "malformed XML")
    # An HTML error page or an empty document parses "fine" with no entries; only a
    # real Atom 1.0 feed may say that an id does not exist.
    if parsed.get("version") != "atom10":
        raise UnreadableFeed("not an Atom feed")
    return parsed


def _error_entry(entry: Any) -> tuple[str, str] | None:
    """(offending id or error code, message) for an arXiv error entry, else None."""
    match = _ERROR_ENTRY_RE.match(str(entry.get("id", "")).strip())
    if match is None:
        return None
    code = match["code"]
    bad_id = _BAD_ID_CODE_RE.match(code)
    summary = _text(entry.get("summary")) or code.replace("_", " ")
    return (bad_id["id"] if bad_id else code), f"arXiv says: {summary}"


def _record(entry: Any) -> PaperRecord | None:
    """The paper an entry describes, or None when its id is not an arXiv id."""
    try:
        ident = parse_arxiv_id(str(entry.get("id", "")))
    except InvalidArxivId:
        return None
    published = _date(entry, "published")
    return PaperRecord(
        arxiv_id=ident.id,
        version=ident.version,
        title=_text(entry.get("title"), MAX_TITLE),
        authors=_authors(entry),
        abstract=_text(entry.get("summary"), MAX_ABSTRACT),
        published=published,
        updated=_date(entry, "updated"),
        year=int(published[:4]) if published is not None else None,
        primary_category=_primary_category(entry),
        categories=_categories(entry),
        doi=_text(entry.get("arxiv_doi"), MAX_FIELD),
        journal_ref=_text(entry.get("arxiv_journal_ref"), MAX_FIELD),
        comment=_text(entry.get("arxiv_comment"), MAX_FIELD),
        url=abs_url(ident.id),
        pdf_url=pdf_url(ident.id),
    )


def _text(value: object, limit: int = MAX_FIELD) -> str | None:
    """Whitespace runs collapsed (the legacy API wraps lines); None when absent or blank.

    Compared with None, never by truthiness: a title can really be "0". Longer than any
    real field, `limit` keeps a hostile response from storing megabytes.
    """
    if value is None:
        return None
    collapsed = " ".join(str(value)[: limit * 4].split())[:limit]
    return collapsed if collapsed != "" else None


def _authors(entry: Any) -> list[str]:
    # entry.author is only the LAST author in feedparser; entry.authors has them all.
    names = (_text(author.get("name")) for author in entry.get("authors", [])[:MAX_AUTHORS])
    return [name for name in names if name is not None]


def _date(entry: Any, key: str) -> str | None:
    """YYYY-MM-DD in UTC (arXiv stamps are UTC already)."""
    stamp = entry.get(f"{key}_parsed")
    if stamp is not None:
        return time.strftime("%Y-%m-%d", stamp)
    match = _DATE_RE.match(str(entry.get(key) or ""))
    return "-".join(match.groups()) if match else None


def _primary_category(entry: Any) -> str | None:
    # Legacy feeds give {"term", "scheme"}, current ones only {"term"}.
    primary = entry.get("arxiv_primary_category") or {}
    return _text(primary.get("term"))


def _categories(entry: Any) -> list[str]:
    """arXiv categories, primary first, each once."""
    terms = [_primary_category(entry)]
    terms += [_text(tag.get("term")) for tag in entry.get("tags", [])]
    seen: list[str] = []
    for term in terms:
        if term is not None and _CATEGORY_RE.match(term) and term not in seen:
            seen.append(term)
    return seen


# --------------------------------------------------------------------------- the client


class _Retryable(Exception):
    """An attempt that failed in a way worth trying again; `final` is the give-up message."""

    def __init__(self, final: Callable[[int], str], retry_after: float | None = None) -> None:
        super().__init__(final(1))
        self.final = final
        self.retry_after = retry_after


class ArxivClient:
    """Fetch paper metadata from the arXiv API in polite, sequential batches.

    `delay` is the least time between the starts of two requests, and also the base of
    the retry backoff: retry k waits delay * 2**(k-1) seconds (at most 60 s) unless
    arXiv sends Retry-After. `max_retries` counts attempts in all, the first included.
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
    ) -> None:
        if not 1 <= batch_size <= MAX_BATCH_SIZE:
            raise ValueError(f"batch_size must be between 1 and {MAX_BATCH_SIZE}")
        self.api_url = api_url
        self.delay = max(0.0, delay)
        self.batch_size = batch_size
        self.timeout = timeout
        self.attempts = max(1, max_retries)
        self.max_retry_after = max_retry_after
        self.spacing_file = spacing_file
        self._sleep = sleep
        self._last_start: float | None = None
        # One connection at a time: arXiv asks clients not to make parallel requests.
        self._http = httpx.Client(
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/atom+xml"},
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            follow_redirects=True,
        )

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
        self._http.close()

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
        """Ask arXiv about `sent`, retrying transient failures; the parsed feed."""
        # max_results must cover the batch: the API default of 10 silently truncates.
        params = {"id_list": ",".join(sent), "start": "0", "max_results": str(len(sent))}
        for attempt in range(1, self.attempts + 1):
            try:
                return self._attempt(params)
            except _Retryable as failure:
                wait = failure.retry_after
                if wait is not None and wait > self.max_retry_after:
                    raise ArxivUnavailable(
                        f"arXiv asked to wait {wait:.0f} s before retrying; try again later"
                    ) from None
                if attempt == self.attempts:
                    raise ArxivUnavailable(failure.final(attempt)) from None
                self._sleep(wait if wait is not None else self._backoff(attempt))
        raise AssertionError("unreachable")  # the loop returns or raises

    def _backoff(self, attempt: int) -> float:
        return min(self.delay * 2 ** (attempt - 1), MAX_BACKOFF)

    # ---------------------------------------------------------------- one attempt

    def _attempt(self, params: dict[str, str]) -> tuple[list[PaperRecord], dict[str, str]]:
        asked = params["id_list"].count(",") + 1
        limit = min(MAX_BODY_BYTES, max(MIN_BODY_BYTES, BODY_BYTES_PER_ID * asked))
        with self._turn():
            status, headers, body = self._send(params, limit)
        if status == 429 or status >= 500:
            retry_after = _retry_after(headers.get("retry-after"))
            raise _Retryable(
                lambda n: f"arXiv is busy (HTTP {status}) after {_attempts(n)}; try again later",
                retry_after,
            )
        if status != 400 and not 200 <= status < 300:
            raise ArxivUnavailable(f"arXiv refused the request (HTTP {status})")
        try:
            papers, errors = parse_feed(body)
        except UnreadableFeed as exc:
            if status == 400:
                raise ArxivUnavailable("arXiv refused the request (HTTP 400)") from None
            reason = str(exc)
            raise _Retryable(
                lambda n: f"arXiv sent an unreadable response ({reason}) after {_attempts(n)}"
            ) from None
        if status == 400 and not errors:
            raise ArxivUnavailable("arXiv refused the request (HTTP 400)")
        return papers, errors

    def _send(self, params: dict[str, str], limit: int) -> tuple[int, httpx.Headers, bytes]:
        """One GET; transport trouble becomes _Retryable or ArxivUnavailable."""
        try:
            with self._http.stream("GET", self.api_url, params=params) as response:
                body = _read_capped(response, limit)
                return response.status_code, response.headers, body
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise ArxivUnavailable(f"bad arXiv API URL {self.api_url!r}: {exc}") from None
        except httpx.TooManyRedirects:
            raise ArxivUnavailable("arXiv redirected too many times") from None
        except httpx.DecodingError:
            raise _Retryable(
                lambda n: f"arXiv sent an unreadable response (bad encoding) after {_attempts(n)}"
            ) from None
        except httpx.TransportError as exc:
            reason = self._describe(exc)
            raise _Retryable(lambda n: f"arXiv did not answer: {reason} ({_attempts(n)})") from None

    def _describe(self, exc: httpx.TransportError) -> str:
        """A short, human reason for a transport failure."""
        text = str(exc).lower()
        host = httpx.URL(self.api_url).host
        if isinstance(exc, httpx.ConnectTimeout):
            return f"connecting to {host} timed out"
        if isinstance(exc, httpx.TimeoutException):
            return f"no response within {self.timeout:g} s"
        dns_signs = ("name or service not known", "nodename nor servname", "name resolution")
        if any(sign in text for sign in dns_signs) or "getaddrinfo" in text:
            return f"could not resolve {host}"
        if "connection refused" in text:
            return "connection refused"
        if isinstance(exc, httpx.RemoteProtocolError):
            return "the connection closed before the response was complete"
        detail = one_line(str(exc))[:120]
        return f"network error ({detail})" if detail else f"network error ({type(exc).__name__})"

    # ---------------------------------------------------------------- spacing

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """Wait until `delay` has passed since the last request began, then hold the turn.

        With a spacing file, the turn is an exclusive flock on it and the start time of
        the last request lives in it, so separate processes keep the spacing too.
        Wall-clock time, because monotonic clocks are not comparable across processes.
        """
        handle = self._lock_spacing_file()
        try:
            last = max(self._last_start or 0.0, _read_stamp(handle))
            if last:
                # min(): a clock that jumped backwards must not stall us for long.
                wait = min(last + self.delay - time.time(), self.delay)
                if wait > 0:
                    self._sleep(wait)
            self._last_start = time.time()
            _write_stamp(handle, self._last_start)
            yield
        finally:
            if handle is not None:
                handle.close()  # closing releases the flock

    def _lock_spacing_file(self) -> IO[str] | None:
        """The spacing file, opened and exclusively locked; None if it cannot be used."""
        if self.spacing_file is None:
            return None
        try:
            self.spacing_file.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.spacing_file, os.O_RDWR | os.O_CREAT, 0o644)
            handle = os.fdopen(fd, "r+", encoding="ascii")
        except OSError:
            return None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:
            handle.close()
            return None
        return handle


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


def _read_capped(response: httpx.Response, limit: int) -> bytes:
    """The body, refusing it as soon as it is known to exceed `limit` bytes.

    Counted after decompression, so a gzip bomb is caught too; not retried, since a
    second try would only download it again.
    """
    too_large = f"arXiv sent a response larger than {limit / 1e6:g} MB"
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ArxivUnavailable(too_large)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise ArxivUnavailable(too_large)
        chunks.append(chunk)
    return b"".join(chunks)


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _read_stamp(handle: IO[str] | None) -> float:
    if handle is None:
        return 0.0
    try:
        handle.seek(0)
        return float(handle.read().strip() or 0.0)
    except (OSError, ValueError):
        return 0.0


def _write_stamp(handle: IO[str] | None, stamp: float) -> None:
    if handle is None:
        return
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"{stamp:.6f}\n")
        handle.flush()
    except OSError:
        pass  # the in-process spacing still holds


def _attempts(count: int) -> str:
    return "1 attempt" if count == 1 else f"{count} attempts"

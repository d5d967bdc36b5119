"""The one HTTP shape every client of an outside service uses.

    service = Service("Crossref", delay=1.0, timeout=30.0, spacing_file=..., offline=...)
    with HttpClient(service) as http:
        work = http.get(url, params={...}, read=read_work)   # read(Reply) -> your result

What it does for every service, so that no client has to:
- spacing: request starts at least `delay` apart, across processes (spacing.py); no lock
  is held while waiting on the network;
- a hard deadline per attempt, connect to last byte (deadline.py), so a server dripping
  one byte at a time is timed out;
- retries of transient trouble (connection errors, timeouts, HTTP 429 and 5xx, bodies
  `read` calls unreadable by raising BadAnswer) with exponential backoff from `delay`,
  honouring Retry-After, giving up at once when asked to wait longer than
  `max_retry_after`;
- bodies capped at `max_bytes` after decompression (a gzip bomb stops there);
- redirects followed only on the same scheme and host; any other is reported as a
  redirect, never followed;
- one User-Agent; PAPERTRAIL_OFFLINE; every failure a one-line `service.error`
  (ServiceUnavailable, exit code 3).

Other statuses (2xx, 3xx without Location, 4xx but 429) go to `read`, which knows what
they mean for its service (404: no such DOI); `HttpClient.refused(reply)` is the error
for a status it does not expect.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from papertrail import __version__
from papertrail.config import MAX_SECONDS
from papertrail.errors import PapertrailError, ServiceUnavailable
from papertrail.model.numbers import seconds, whole_number
from papertrail.model.text import one_line
from papertrail.services.deadline import Deadline
from papertrail.services.spacing import Spacing

USER_AGENT = f"papertrail/{__version__} (+https://github.com/papertrail; reading tracker)"
DEFAULT_MAX_BYTES = 10_000_000
MAX_REDIRECTS = 5

T = TypeVar("T")


@dataclass(frozen=True)
class Service:
    """How to talk to one service. `name` is what messages call it."""

    name: str
    delay: float = 1.0  # least seconds between two request starts; also the backoff base
    timeout: float = 30.0  # hard limit for one attempt, connecting to last byte
    attempts: int = 4  # in all, the first included
    max_retry_after: float = 120.0
    max_backoff: float = 60.0
    spacing_file: Path | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    offline: bool = False
    error: type[ServiceUnavailable] = ServiceUnavailable
    # The setting holding the service's address, named when that address is unusable.
    url_setting: str | None = None
    # The error for an answer over the size cap (default: `error`): a PDF too large for
    # the file store is one paper's failure, not the service's.
    too_large: type[PapertrailError] | None = None


@dataclass
class Reply:
    status: int
    headers: httpx.Headers
    body: bytes
    url: str

    def json(self) -> Any:
        """The body as JSON; BadAnswer (retried) when it is not."""
        try:
            return json.loads(self.body)
        except (ValueError, RecursionError) as exc:
            raise BadAnswer(f"not JSON: {one_line(str(exc))[:80]}") from None


class BadAnswer(Exception):
    """Raised by a `read` function: the body is not what the service sends. Retried,
    then reported as "NAME sent an unreadable response (REASON)"."""


class _Retryable(Exception):
    """An attempt worth trying again; `final(n)` is the message after n attempts."""

    def __init__(self, final: Callable[[int], str], retry_after: float | None = None) -> None:
        super().__init__(final(1))
        self.final = final
        self.retry_after = retry_after


class HttpClient:
    def __init__(
        self,
        service: Service,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.service = service
        self._sleep = sleep
        self._spacing = Spacing(service.delay, service.spacing_file, sleep)
        # No keep-alive: each attempt opens its own connection, so the deadline knows
        # which socket to shut (deadline.py). One connection at a time, as arXiv asks.
        self._http = httpx.Client(
            transport=transport,
            timeout=service.timeout,
            headers={"User-Agent": USER_AGENT, **service.headers},
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=0),
            follow_redirects=False,
        )

    def __enter__(self) -> HttpClient:
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

    def get(self, url: str, read: Callable[[Reply], T], **options: Any) -> T:
        return self.request("GET", url, read, **options)

    def post(self, url: str, read: Callable[[Reply], T], **options: Any) -> T:
        return self.request("POST", url, read, **options)

    def request(
        self,
        method: str,
        url: str,
        read: Callable[[Reply], T],
        *,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> T:
        """Send, retrying transient trouble; `read(reply)`'s result, or service.error."""
        service = self.service
        if service.offline:
            raise service.error(f"offline (PAPERTRAIL_OFFLINE=1): not contacting {service.name}")
        request = self._http.build_request(method, url, params=params, json=json_body)
        for attempt in range(1, service.attempts + 1):
            try:
                return self._attempt(request, read, max_bytes)
            except _Retryable as failure:
                wait = failure.retry_after
                if wait is not None and wait > service.max_retry_after:
                    raise service.error(
                        f"{service.name} asked to wait {wait:.0f} s before retrying; "
                        "try again later"
                    ) from None
                if attempt == service.attempts:
                    raise service.error(failure.final(attempt)) from None
                self._sleep(wait if wait is not None else self._backoff(attempt))
        raise AssertionError("unreachable")  # the loop returns or raises

    def refused(self, reply: Reply) -> ServiceUnavailable:
        """The error for a status the caller does not expect."""
        return self.service.error(f"{self.service.name} refused the request (HTTP {reply.status})")

    def _backoff(self, attempt: int) -> float:
        return min(self.service.delay * 2 ** (attempt - 1), self.service.max_backoff)

    # ---------------------------------------------------------------- one attempt

    def _attempt(self, request: httpx.Request, read: Callable[[Reply], T], max_bytes: int) -> T:
        name = self.service.name
        self._spacing.wait_turn()
        reply = self._send(request, max_bytes)
        if reply.status == 429 or reply.status >= 500:
            status = reply.status
            raise _Retryable(
                lambda n: f"{name} is busy (HTTP {status}) after {_attempts(n)}; try again later",
                _retry_after(reply.headers.get("retry-after")),
            )
        try:
            return read(reply)
        except BadAnswer as exc:
            reason = str(exc)
            raise _Retryable(
                lambda n: f"{name} sent an unreadable response ({reason}) after {_attempts(n)}"
            ) from None

    def _send(self, request: httpx.Request, max_bytes: int) -> Reply:
        """One attempt under one deadline, following same-origin redirects."""
        with Deadline(self.service.timeout) as deadline:
            request.extensions = {**request.extensions, "trace": deadline.trace}
            started: list[bool] = []  # whether response headers arrived
            try:
                for _ in range(MAX_REDIRECTS + 1):
                    reply = self._exchange(request, max_bytes, started)
                    target = self._redirect_target(reply)
                    if target is None:
                        return reply
                    request = self._redirected(request, target, reply.status)
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                raise self._bad_url(request.url, exc) from None
            except httpx.DecodingError:
                raise _Retryable(
                    lambda n: (
                        f"{self.service.name} sent an unreadable response "
                        f"(bad encoding) after {_attempts(n)}"
                    )
                ) from None
            except httpx.RemoteProtocolError as exc:
                if "location header" in str(exc).lower():  # httpx checks it even unfollowed
                    raise self.service.error(
                        f"{self.service.name} redirected the request to an unusable "
                        f"address ({one_line(str(exc))[:120]}); not followed"
                    ) from None
                reason = self._describe(exc, deadline.expired, bool(started))
                raise _Retryable(
                    lambda n: f"{self.service.name} did not answer: {reason} ({_attempts(n)})"
                ) from None
            except httpx.TransportError as exc:
                reason = self._describe(exc, deadline.expired, bool(started))
                raise _Retryable(
                    lambda n: f"{self.service.name} did not answer: {reason} ({_attempts(n)})"
                ) from None
        raise self.service.error(f"{self.service.name} redirected too many times")

    def _exchange(self, request: httpx.Request, max_bytes: int, started: list[bool]) -> Reply:
        response = self._http.send(request, stream=True)
        try:
            started.append(True)
            body = self._read_capped(response, max_bytes)
            return Reply(response.status_code, response.headers, body, str(request.url))
        finally:
            response.close()

    def _redirected(self, request: httpx.Request, target: httpx.URL, status: int) -> httpx.Request:
        """The request to send to `target`: 307/308 repeat it, the others become a GET."""
        same = status in (307, 308)
        return self._http.build_request(
            request.method if same else "GET", target,
            content=request.content if same else None,
            headers={k: v for k, v in request.headers.items() if same or k.lower() not in
                     ("content-length", "content-type")},
            extensions=request.extensions,
        )  # fmt: skip

    def _read_capped(self, response: httpx.Response, limit: int) -> bytes:
        """The body, refused as soon as it is known to exceed `limit` bytes.

        Counted after decompression, so a gzip bomb is caught too; not retried, since a
        second try would only download it again.
        """
        too_large = (self.service.too_large or self.service.error)(
            f"{self.service.name} sent a response larger than {limit / 1e6:g} MB"
        )
        declared = whole_number(response.headers.get("content-length"), 0, 2**63)
        if declared is not None and declared > limit:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise too_large
            chunks.append(chunk)
        return b"".join(chunks)

    def _redirect_target(self, reply: Reply) -> httpx.URL | None:
        """Where a redirect on the same scheme and host leads; None if `reply` is not a
        redirect. A redirect elsewhere is an error saying where it led."""
        location = reply.headers.get("location")
        if not 300 <= reply.status < 400 or location is None:
            return None
        here = httpx.URL(reply.url)
        try:
            there = here.join(location.strip())
        except httpx.InvalidURL:
            there = None
        if there is not None and (there.scheme, there.host, there.port) == (
            here.scheme,
            here.host,
            here.port,
        ):
            return there
        shown = one_line(location)[:120]
        raise self.service.error(
            f"{self.service.name} redirected the request (HTTP {reply.status}) to "
            f"another address, {shown!r}; not followed"
        )

    def _bad_url(self, url: httpx.URL, exc: Exception) -> ServiceUnavailable:
        setting = f" (set by {self.service.url_setting})" if self.service.url_setting else ""
        return self.service.error(
            f"bad {self.service.name} API URL {str(url)!r}{setting}: {one_line(str(exc))}"
        )

    def _describe(self, exc: httpx.TransportError, expired: bool, started: bool) -> str:
        """A short, human reason for a transport failure."""
        text = str(exc).lower()
        host = exc.request.url.host if _has_request(exc) else "the server"
        seconds = f"{self.service.timeout:g} s"
        if isinstance(exc, httpx.ConnectTimeout):
            return f"connecting to {host} timed out"
        if expired or isinstance(exc, httpx.TimeoutException):
            if started:
                return f"the response did not complete within {seconds}"
            return f"no response within {seconds}"
        dns_signs = ("name or service not known", "nodename nor servname", "name resolution")
        if any(sign in text for sign in dns_signs) or "getaddrinfo" in text:
            return f"could not resolve {host}"
        if "connection refused" in text:
            return "connection refused"
        if isinstance(exc, httpx.RemoteProtocolError):
            return "the connection closed before the response was complete"
        detail = one_line(str(exc))[:120]
        return f"network error ({detail})" if detail else f"network error ({type(exc).__name__})"


def _has_request(exc: httpx.TransportError) -> bool:
    try:
        exc.request  # noqa: B018 - raises RuntimeError when the error carries no request
    except RuntimeError:
        return False
    return True


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if value is None:
        return None
    value = value.strip()
    if value[:1].isdigit():  # delta-seconds, ASCII or not: bounded, or None
        return seconds(value, MAX_SECONDS)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _attempts(count: int) -> str:
    return "1 attempt" if count == 1 else f"{count} attempts"


class ServiceClient:
    """The base of a service's client: owns one HttpClient; use it in a `with` block."""

    def __init__(self, service: Service, transport: httpx.BaseTransport | None = None) -> None:
        self.http = HttpClient(service, transport=transport)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.http.close()

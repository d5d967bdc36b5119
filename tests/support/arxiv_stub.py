"""A real local HTTP server standing in for the arXiv export API, for tests and benchmarks.

    with ArxivStub() as stub:
        stub.queue(503, headers={"Retry-After": "2"})
        stub.respond_with(echo_papers)          # afterwards: a paper for every requested id
        client = ArxivClient(stub.url, delay=0)
        ...
        stub.requests[0].params["id_list"]

Scripted replies are served first, in order; then the handler given to `respond_with`;
with neither, the stub answers 500 so that a test that forgot to script a reply fails.
Fault modes: "cut" (close the connection mid-body), "drop" (close without answering),
"hang" (accept and never answer, for read timeouts; bounded by `hang_seconds` and by
closing the stub), "drip" (send the whole response, status line included, one byte every
`drip_seconds`; `dripped` counts the bytes that got out before the client hung up).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

Mode = Literal["normal", "cut", "drop", "hang", "drip"]
Handler = Callable[["RecordedRequest"], tuple[int, Mapping[str, str], bytes]]

ATOM_TYPE = "application/atom+xml; charset=utf-8"
RSS_TYPE = "application/rss+xml; charset=utf-8"


@dataclass
class RecordedRequest:
    method: str
    path: str
    params: dict[str, str]  # query parameters, last value of each
    headers: dict[str, str]  # header names lower-cased
    time: float  # time.monotonic() when the request arrived
    body: bytes = b""  # what a POST sent

    @property
    def ids(self) -> list[str]:
        """The id_list sent, split."""
        raw = self.params.get("id_list", "")
        return [i for i in raw.split(",") if i]


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    mode: Mode = "normal"


class ArxivStub:
    def __init__(self, *, hang_seconds: float = 5.0, drip_seconds: float = 0.02) -> None:
        self.requests: list[RecordedRequest] = []
        self.hang_seconds = hang_seconds
        self.drip_seconds = drip_seconds
        self.dripped = 0
        self._replies: deque[Reply] = deque()
        self._handler: Handler | None = None
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = _QuietServer(("127.0.0.1", 0), _make_handler(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/query"

    @property
    def rss_url(self) -> str:
        """The base of the announcement feeds: requests arrive as /rss/cs.LG+stat.ML."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/rss"

    def queue(
        self,
        status: int = 200,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
        *,
        mode: Mode = "normal",
        times: int = 1,
    ) -> None:
        """Script the next reply (`times` copies of it)."""
        reply = Reply(status, body, dict(headers or {}), mode)
        with self._lock:
            self._replies.extend([reply] * times)

    def respond_with(self, handler: Handler | None) -> None:
        """Answer with handler(request) -> (status, headers, body) once the queue is empty."""
        self._handler = handler

    def close(self) -> None:
        self._closing.set()  # releases hanging handlers
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ArxivStub:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ---------------------------------------------------------------- internals

    def _record(self, request: BaseHTTPRequestHandler) -> RecordedRequest:
        parts = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        recorded = RecordedRequest(
            method=request.command,
            path=parts.path,
            params=params,
            headers={k.lower(): v for k, v in request.headers.items()},
            time=time.monotonic(),
            body=body,
        )
        with self._lock:
            self.requests.append(recorded)
        return recorded

    def _reply_for(self, recorded: RecordedRequest) -> Reply:
        with self._lock:
            if self._replies:
                return self._replies.popleft()
        if self._handler is not None:
            status, headers, body = self._handler(recorded)
            return Reply(status, body, dict(headers))
        return Reply(500, b"arxiv stub: no reply scripted", {"Content-Type": "text/plain"})


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up early (timeouts, size caps) are expected here.
        pass


def _make_handler(stub: ArxivStub) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            reply = stub._reply_for(stub._record(self))
            if reply.mode == "hang":
                stub._closing.wait(stub.hang_seconds)
                self.close_connection = True
                return
            if reply.mode == "drop":
                self.close_connection = True
                return
            if reply.mode == "drip":
                self._drip(reply)
                return
            self.send_response(reply.status)
            headers = {"Content-Type": ATOM_TYPE, **reply.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.mode == "cut":
                # Promise the whole body, send half, hang up.
                self.wfile.write(reply.body[: len(reply.body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(reply.body)

        def do_POST(self) -> None:
            self.do_GET()

        def _drip(self, reply: Reply) -> None:
            head = f"HTTP/1.1 {reply.status} OK\r\nContent-Type: {ATOM_TYPE}\r\n"
            head += f"Content-Length: {len(reply.body)}\r\n\r\n"
            self.close_connection = True
            for byte in head.encode() + reply.body:
                if stub._closing.wait(stub.drip_seconds):
                    return
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return  # the client hung up
                stub.dripped += 1

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return _Handler


# --------------------------------------------------------------------------- feeds


def atom_feed(entries: Iterable[Mapping[str, Any]], total: int | None = None) -> bytes:
    """A current-format arXiv API feed. Each entry needs "id" (version defaults to v1);
    optional: title, authors, summary, published, updated, primary_category,
    categories, comment, doi, journal_ref. `total`: the totalResults announced
    (default: the number of entries)."""
    items = [_entry_xml(entry) for entry in entries]
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
        "  <id>https://arxiv.org/api/stub</id>\n"
        "  <title>arXiv Query: stub</title>\n"
        "  <updated>2026-01-01T00:00:00Z</updated>\n"
        f"  <opensearch:totalResults>{len(items) if total is None else total}"
        "</opensearch:totalResults>\n"
        "  <opensearch:startIndex>0</opensearch:startIndex>\n"
        f"{''.join(items)}</feed>\n"
    ).encode()


def _entry_xml(entry: Mapping[str, Any]) -> str:
    ident = str(entry["id"])
    versioned = ident if _has_version(ident) else f"{ident}v1"
    published = entry.get("published", "2020-01-02T03:04:05Z")
    primary = entry.get("primary_category", "cs.LG")
    categories = entry.get("categories", [primary])
    lines = [
        f"    <id>http://arxiv.org/abs/{versioned}</id>",
        f"    <title>{escape(str(entry.get('title', f'Paper {ident}')))}</title>",
        f"    <updated>{entry.get('updated', published)}</updated>",
        f"    <summary>{escape(str(entry.get('summary', 'An abstract.')))}</summary>",
        *(
            f'    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>'
            for c in categories
        ),
        f"    <published>{published}</published>",
    ]
    for key in ("comment", "doi", "journal_ref"):
        if entry.get(key) is not None:
            lines.append(f"    <arxiv:{key}>{escape(str(entry[key]))}</arxiv:{key}>")
    lines.append(f"    <arxiv:primary_category term={quoteattr(primary)}/>")
    for name in entry.get("authors", ["A. Author"]):
        lines.append(f"    <author>\n      <name>{escape(name)}</name>\n    </author>")
    return "  <entry>\n" + "\n".join(lines) + "\n  </entry>\n"


def _has_version(ident: str) -> bool:
    tail = ident.rsplit("v", 1)
    return len(tail) == 2 and tail[1].isdigit() and tail[0][-1:].isdigit()


def error_feed(bad_id: str) -> bytes:
    """The feed arXiv sends with HTTP 400 when an id in id_list is malformed."""
    where = escape(f"https://arxiv.org/api/errors#incorrect_id_format_for_{bad_id}")
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
        "  <id>https://arxiv.org/</id>\n  <title>arXiv Search Results</title>\n"
        "  <updated>2026-01-01T00:00:00Z</updated>\n"
        f"  <entry>\n    <id>{where}</id>\n    <title>Error</title>\n"
        "    <updated>2026-01-01T00:00:00Z</updated>\n"
        f"    <summary>incorrect id format for {escape(bad_id)}</summary>\n"
        "    <author>\n      <name>arXiv api core</name>\n    </author>\n  </entry>\n</feed>\n"
    ).encode()


def echo_papers(request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
    """A handler answering every requested id with a paper titled "Paper <id>"."""
    return 200, {}, atom_feed({"id": ident} for ident in request.ids)


def search_results(total: int) -> Handler:
    """A handler playing a search that matches `total` papers (2101.00000, 2101.00001, ...):
    each page holds the entries its `start` and `max_results` ask for."""

    def answer(request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        start = int(request.params.get("start", "0"))
        count = int(request.params.get("max_results", "10"))
        numbers = range(start, min(start + count, total))
        entries = ({"id": f"2101.{n:05d}", "title": f"Result {n}"} for n in numbers)
        return 200, {}, atom_feed(entries, total=total)

    return answer

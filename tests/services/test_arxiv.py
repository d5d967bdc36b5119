"""The arXiv client: parsing real recorded feeds, and behaviour against a local stub server."""

from __future__ import annotations

import email.utils
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from papertrail import __version__
from papertrail.errors import ArxivUnavailable
from papertrail.services import arxiv
from papertrail.services.arxiv import ArxivClient, BatchResult, UnreadableFeed, parse_feed
from tests.support.arxiv_stub import ArxivStub, RecordedRequest, atom_feed, echo_papers, error_feed
from tests.support.paths import DATA


@pytest.fixture
def stub() -> Iterator[ArxivStub]:
    with ArxivStub(hang_seconds=3.0) as server:
        yield server


class Sleeps:
    """An injected sleep: records waits instead of spending them."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def client_for(stub: ArxivStub, sleep: Sleeps | None = None, **options: object) -> ArxivClient:
    options.setdefault("delay", 0)
    return ArxivClient(stub.url, sleep=sleep or Sleeps(), **options)  # type: ignore[arg-type]


def fixture_bytes(folder: Path, name: str) -> bytes:
    return (folder / name).read_bytes()


# --------------------------------------------------------------------------- recorded feeds


def test_every_recorded_query_feed_parses(arxiv_fixtures: Path) -> None:
    files = sorted(arxiv_fixtures.glob("*query_*.xml"))
    assert len(files) >= 18
    for path in files:
        papers, errors = parse_feed(path.read_bytes())
        if "error" in path.name:
            assert papers == [] and len(errors) == 1, path.name
            continue
        assert errors == {}, path.name
        for paper in papers:
            assert paper.arxiv_id and paper.version and paper.version >= 1, path.name
            assert paper.title is not None and paper.authors, path.name
            assert paper.published and paper.year == int(paper.published[:4]), path.name
            assert paper.url == f"https://arxiv.org/abs/{paper.arxiv_id}"
            assert paper.categories[0] == paper.primary_category, path.name
            # Line-wrapped legacy titles and abstracts come out on one line.
            for text in (paper.title, paper.abstract, paper.comment or ""):
                assert "\n" not in text and "  " not in text and text == text.strip()


def test_current_format_paper_with_newer_version(arxiv_fixtures: Path) -> None:
    (paper,), errors = parse_feed(fixture_bytes(arxiv_fixtures, "query_1706.03762.xml"))
    assert errors == {}
    assert paper.arxiv_id == "1706.03762"
    assert paper.version == 7
    assert paper.title == "Attention Is All You Need"
    assert len(paper.authors) == 8
    assert paper.authors[0] == "Ashish Vaswani" and paper.authors[-1] == "Illia Polosukhin"
    assert (paper.published, paper.updated, paper.year) == ("2017-06-12", "2023-08-02", 2017)
    assert paper.primary_category == "cs.CL" and paper.categories == ["cs.CL", "cs.LG"]
    assert paper.comment == "15 pages, 5 figures"
    assert paper.doi is None and paper.journal_ref is None
    assert paper.abstract is not None and paper.abstract.startswith("The dominant sequence")
    assert paper.pdf_url == "https://arxiv.org/pdf/1706.03762"


def test_legacy_format_with_doi_and_journal_ref(arxiv_fixtures: Path) -> None:
    path = "legacy_query_1601.00001_doi_journalref.xml"
    (paper,), _ = parse_feed(fixture_bytes(arxiv_fixtures, path))
    assert paper.arxiv_id == "1601.00001" and paper.version == 1
    assert paper.title == (
        "Inelastic effects in molecular transport junctions: The probe technique at high bias"
    )
    assert paper.authors == ["Michael Kilgour", "Dvira Segal"]
    assert paper.doi == "10.1063/1.4944470"
    assert paper.journal_ref == "J. Chem. Phys. 144, 124107 (2016)"
    assert paper.primary_category == "cond-mat.mes-hall"
    assert paper.comment is None
    assert paper.abstract is not None
    assert paper.abstract.startswith("We extend the Landauer-B")
    assert paper.abstract.endswith("far-from-equilibrium.")


def test_34_authors_in_order_with_non_ascii(arxiv_fixtures: Path) -> None:
    (paper,), _ = parse_feed(fixture_bytes(arxiv_fixtures, "query_1707.08567_34authors.xml"))
    assert len(paper.authors) == 34
    assert paper.authors[0] == "Kees A. Schouhamer Immink"
    assert paper.authors[-1] == "Hirosuke Yamamoto"
    assert paper.authors[32] == "Dirk Wübben"


def test_title_that_is_zero(arxiv_fixtures: Path) -> None:
    (paper,), _ = parse_feed(fixture_bytes(arxiv_fixtures, "query_versioned_2104.12255v1.xml"))
    assert paper.title == "0"
    assert paper.comment is None


def test_old_style_ids(arxiv_fixtures: Path) -> None:
    (paper,), _ = parse_feed(fixture_bytes(arxiv_fixtures, "query_oldstyle_astro-ph_0601001.xml"))
    assert paper.arxiv_id == "astro-ph/0601001" and paper.version == 1
    assert paper.url == "https://arxiv.org/abs/astro-ph/0601001"
    assert paper.journal_ref == "ActaAstron.56:1-50,2006"
    assert paper.authors == ["Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski"]

    (perelman,), _ = parse_feed(
        fixture_bytes(arxiv_fixtures, "legacy_query_oldstyle_math_0211159.xml")
    )
    assert perelman.arxiv_id == "math/0211159"
    # The legacy API listed the MSC class 53C as a <category>; it is not an arXiv one.
    assert perelman.categories == ["math.DG"]


def test_error_feeds_are_errors_not_papers(arxiv_fixtures: Path) -> None:
    papers, errors = parse_feed(
        fixture_bytes(arxiv_fixtures, "query_error_malformed_id_http400.xml")
    )
    assert papers == []
    assert errors == {"abc": "arXiv says: incorrect id format for abc"}
    legacy = fixture_bytes(arxiv_fixtures, "legacy_query_error_malformed_id_http400.xml")
    assert parse_feed(legacy) == (
        [],
        {"INVALIDID": "arXiv says: incorrect id format for INVALIDID"},
    )


def test_empty_result_feed(arxiv_fixtures: Path) -> None:
    body = fixture_bytes(arxiv_fixtures, "query_nonexistent_0000.0000_empty.xml")
    assert parse_feed(body) == ([], {})


def test_hundred_entries(arxiv_fixtures: Path) -> None:
    papers, _ = parse_feed(fixture_bytes(arxiv_fixtures, "query_search_testing_100results.xml"))
    assert len(papers) == 100
    assert len({paper.arxiv_id for paper in papers}) == 100


# --------------------------------------------------------------------------- small feeds

# A legacy-format entry: title and abstract wrapped over lines, names with accents and extra
# spaces, a blank comment, the primary category listed late and an ACM class among them.
WRAPPED = (DATA / "arxiv" / "legacy_wrapped_entry.xml").read_bytes()


def test_inline_legacy_entry_is_normalised() -> None:
    (paper,), errors = parse_feed(WRAPPED)
    assert errors == {}
    assert paper.arxiv_id == "hep-th/9901001" and paper.version == 3
    assert paper.title == "A title wrapped over lines"
    assert paper.abstract == "Line one line two."
    assert paper.authors == ["Jürgen Müller", "Second Author"]
    assert paper.comment is None  # blank is absent
    assert paper.categories == ["hep-th", "gr-qc"]  # primary first, once; ACM class dropped
    assert (paper.published, paper.updated, paper.year) == ("1999-01-04", "1999-03-01", 1999)


def test_inline_zero_title_and_paper_really_named_error() -> None:
    body = atom_feed([{"id": "2104.12255", "title": "0"}, {"id": "2101.00001", "title": "Error"}])
    papers, errors = parse_feed(body)
    assert [p.title for p in papers] == ["0", "Error"]  # the id decides, not the title
    assert errors == {}


def test_inline_error_entry() -> None:
    assert parse_feed(error_feed("1501.0001")) == (
        [],
        {"1501.0001": "arXiv says: incorrect id format for 1501.0001"},
    )


def truncated_feed() -> bytes:
    body = atom_feed([{"id": f"2101.0000{i}"} for i in range(1, 4)])
    return body[: int(len(body) * 0.8)]


HTML_PAGE = b"<html><head><title>503</title></head><body><p>Service unavailable</p></body></html>"
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2101.00001v1</id>
<title>&c;</title></entry></feed>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2101.00001v1</id>
<title>&xxe;</title></entry></feed>"""


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (HTML_PAGE, "not an Atom feed"),
        (b'<rss version="2.0"><channel><title>x</title></channel></rss>', "not an Atom feed"),
        (truncated_feed(), "malformed XML"),
        (BOMB, "DOCTYPE"),
        (XXE, "DOCTYPE"),
        (b"\xff\xfe<\x00f\x00", "UTF-8"),
    ],
    ids=["empty", "blank", "html", "rss", "truncated", "bomb", "xxe", "utf16"],
)
def test_unusable_bodies_are_refused_whole(body: bytes, reason: str) -> None:
    with pytest.raises(UnreadableFeed, match=reason):
        parse_feed(body)


def test_a_path_is_never_opened(tmp_path: Path) -> None:
    # feedparser.parse(bytes) tries open(bytes) as a file name before parsing it as XML.
    decoy = tmp_path / "decoy.xml"
    decoy.write_bytes(atom_feed([{"id": "2101.00001"}]))
    with pytest.raises(UnreadableFeed):
        parse_feed(str(decoy).encode())


# --------------------------------------------------------------------------- requests


def test_one_request_for_several_ids(stub: ArxivStub, arxiv_fixtures: Path) -> None:
    stub.queue(200, fixture_bytes(arxiv_fixtures, "query_multi_2ids_one_missing.xml"))
    with client_for(stub) as client:
        result = client.fetch(["0808.05394", "1707.08567"])
    assert list(result.papers) == ["1707.08567"]
    assert len(result.papers["1707.08567"].authors) == 34
    assert result.missing == ["0808.05394"]
    assert result.errors == {}
    (request,) = stub.requests
    assert request.method == "GET" and request.path == "/api/query"
    assert request.params == {"id_list": "0808.05394,1707.08567", "start": "0", "max_results": "2"}
    assert request.headers["user-agent"].startswith(f"papertrail/{__version__} ")


def test_ids_are_deduplicated_and_sent_without_version(stub: ArxivStub) -> None:
    stub.queue(200, atom_feed([{"id": "1706.03762v7", "title": "Attention Is All You Need"}]))
    with client_for(stub) as client:
        result = client.fetch(["1706.03762v2", "1706.03762", "arXiv:1706.03762", "hep-th/9901001"])
    assert stub.requests[0].params["id_list"] == "1706.03762,hep-th/9901001"
    assert result.papers["1706.03762"].version == 7
    assert result.missing == ["hep-th/9901001"]


def test_unrequested_entries_are_ignored(stub: ArxivStub) -> None:
    stub.queue(200, atom_feed([{"id": "2101.99999v1"}, {"id": "2101.00001v3"}]))
    with client_for(stub) as client:
        result = client.fetch(["2101.00001"])
    assert list(result.papers) == ["2101.00001"]
    assert result.papers["2101.00001"].version == 3
    assert result.missing == []


def test_thousand_ids_take_ten_requests(stub: ArxivStub) -> None:
    ids = [f"2101.{n:05d}" for n in range(1, 1001)]
    stub.respond_with(echo_papers)
    with client_for(stub) as client:
        batches = list(client.fetch_batches(ids))
    assert len(batches) == 10 and len(stub.requests) == 10
    assert all(r.params["max_results"] == "100" and len(r.ids) == 100 for r in stub.requests)
    assert [i for r in stub.requests for i in r.ids] == ids
    assert sum(len(b.papers) for b in batches) == 1000


def test_invalid_id_is_reported_and_never_sent(stub: ArxivStub) -> None:
    stub.respond_with(echo_papers)
    with client_for(stub) as client:
        result = client.fetch(["not-an-id", "1706.03762", "2101.00001"])
    assert result.errors == {"not-an-id": "not an arXiv id or URL: 'not-an-id'"}
    assert [r.ids for r in stub.requests] == [["1706.03762", "2101.00001"]]
    assert set(result.papers) == {"1706.03762", "2101.00001"}


def test_only_invalid_ids_send_nothing(stub: ArxivStub) -> None:
    with client_for(stub) as client:
        result = client.fetch(["nope", "1234"])
    assert stub.requests == []
    assert set(result.errors) == {"nope", "1234"} and result.papers == {}


def test_http_400_error_entry_drops_the_id_and_retries_the_rest(stub: ArxivStub) -> None:
    stub.queue(400, error_feed("1501.0001"))
    stub.respond_with(echo_papers)
    with client_for(stub) as client:
        result = client.fetch(["1501.0001", "1706.03762", "2101.00001"])
    assert result.errors == {"1501.0001": "arXiv says: incorrect id format for 1501.0001"}
    assert set(result.papers) == {"1706.03762", "2101.00001"}
    assert all(p.title != "Error" for p in result.papers.values())
    assert result.missing == []
    assert [r.ids for r in stub.requests] == [
        ["1501.0001", "1706.03762", "2101.00001"],
        ["1706.03762", "2101.00001"],
    ]


def test_recorded_http_400_for_a_single_id(stub: ArxivStub, arxiv_fixtures: Path) -> None:
    # arXiv names "abc", which is not what we sent: with one id sent, it must be that one.
    stub.queue(400, fixture_bytes(arxiv_fixtures, "query_error_malformed_id_http400.xml"))
    with client_for(stub) as client:
        result = client.fetch(["2101.00001"])
    assert result.errors == {"2101.00001": "arXiv says: incorrect id format for abc"}
    assert result.papers == {} and result.missing == []
    assert len(stub.requests) == 1


def test_unattributable_error_is_narrowed_down(stub: ArxivStub) -> None:
    bad = "2101.00003"

    def answer(request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        if bad in request.ids:
            return 400, {}, error_feed("something_else")
        return echo_papers(request)

    stub.respond_with(answer)
    ids = [f"2101.0000{n}" for n in range(1, 7)]
    with client_for(stub) as client:
        result = client.fetch(ids)
    assert list(result.errors) == [bad]
    assert set(result.papers) == set(ids) - {bad}
    assert len(stub.requests) <= 2 * len(ids)


def test_other_4xx_is_not_retried(stub: ArxivStub) -> None:
    stub.queue(403, b"Forbidden", {"Content-Type": "text/plain"})
    with client_for(stub) as client, pytest.raises(ArxivUnavailable, match=r"HTTP 403"):
        client.fetch(["2101.00001"])
    assert len(stub.requests) == 1


# --------------------------------------------------------------------------- retries


def test_503_then_200_is_retried(stub: ArxivStub) -> None:
    stub.queue(503, b"busy", {"Content-Type": "text/plain"})
    stub.respond_with(echo_papers)
    with client_for(stub) as client:
        result = client.fetch(["2101.00001"])
    assert list(result.papers) == ["2101.00001"]
    assert len(stub.requests) == 2


def test_backoff_doubles_from_delay(stub: ArxivStub) -> None:
    stub.queue(503, b"busy", times=3)
    stub.respond_with(echo_papers)
    sleeps = Sleeps()
    with client_for(stub, sleeps, delay=1.0) as client:
        client.fetch(["2101.00001"])
    # Backoff waits 1, 2 and 4 s; before each retry the spacing wait (just under 1 s,
    # since the fake sleep lets no time pass) follows.
    assert [round(s) for s in sleeps.calls] == [1, 1, 2, 1, 4, 1]
    assert len(stub.requests) == 4


def test_busy_forever_gives_up_in_one_line(stub: ArxivStub) -> None:
    stub.queue(503, b"busy", times=10)
    with client_for(stub) as client, pytest.raises(ArxivUnavailable) as caught:
        client.fetch(["2101.00001"])
    assert str(caught.value) == "arXiv is busy (HTTP 503) after 4 attempts; try again later"
    assert len(stub.requests) == 4


def test_429_retry_after_seconds_is_honoured(stub: ArxivStub) -> None:
    stub.queue(429, b"slow down", {"Retry-After": "7"})
    stub.respond_with(echo_papers)
    sleeps = Sleeps()
    with client_for(stub, sleeps) as client:
        result = client.fetch(["2101.00001"])
    assert sleeps.calls == [7.0]
    assert list(result.papers) == ["2101.00001"]


def test_retry_after_http_date_is_honoured(stub: ArxivStub) -> None:
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    stub.queue(503, b"", {"Retry-After": when})
    stub.respond_with(echo_papers)
    sleeps = Sleeps()
    with client_for(stub, sleeps) as client:
        client.fetch(["2101.00001"])
    assert len(sleeps.calls) == 1 and 17 <= sleeps.calls[0] <= 20.5


def test_retry_after_that_is_no_number_is_ignored(stub: ArxivStub) -> None:
    stub.queue(429, b"", {"Retry-After": "\u00b2"})  # a Unicode digit: str.isdigit says yes
    stub.respond_with(echo_papers)
    sleeps = Sleeps()
    with client_for(stub, sleeps) as client:
        result = client.fetch(["2101.00001"])
    assert list(result.papers) == ["2101.00001"] and len(sleeps.calls) == 1


def test_retry_after_too_long_gives_up_at_once(stub: ArxivStub) -> None:
    stub.queue(429, b"", {"Retry-After": "3600"})
    sleeps = Sleeps()
    with client_for(stub, sleeps) as client, pytest.raises(ArxivUnavailable, match="3600 s"):
        client.fetch(["2101.00001"])
    assert sleeps.calls == [] and len(stub.requests) == 1


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/query"


def test_connection_refused() -> None:
    client = ArxivClient(closed_port_url(), delay=0, sleep=Sleeps())
    with client, pytest.raises(ArxivUnavailable) as caught:
        client.fetch(["2101.00001"])
    assert str(caught.value) == "arXiv did not answer: connection refused (4 attempts)"


def test_dns_failure() -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    transport = httpx.MockTransport(fail)
    client = ArxivClient(delay=0, transport=transport, sleep=Sleeps(), max_retries=2)
    with client, pytest.raises(ArxivUnavailable) as caught:
        client.fetch(["2101.00001"])
    assert str(caught.value) == (
        "arXiv did not answer: could not resolve export.arxiv.org (2 attempts)"
    )


def test_read_timeout(stub: ArxivStub) -> None:
    stub.queue(mode="hang", times=2)
    client = client_for(stub, timeout=0.3, max_retries=2)
    with client, pytest.raises(ArxivUnavailable) as caught:
        client.fetch(["2101.00001"])
    # The client gave up: the stub would hang up after 3 s with a different error.
    assert str(caught.value) == "arXiv did not answer: no response within 0.3 s (2 attempts)"


def test_connection_closed_mid_body(stub: ArxivStub) -> None:
    stub.queue(200, atom_feed([{"id": "2101.00001"}]), mode="cut", times=4)
    with client_for(stub) as client, pytest.raises(ArxivUnavailable) as caught:
        client.fetch(["2101.00001"])
    assert "closed before the response was complete (4 attempts)" in str(caught.value)


def test_connection_dropped_then_recovers(stub: ArxivStub) -> None:
    stub.queue(mode="drop")
    stub.respond_with(echo_papers)
    with client_for(stub) as client:
        assert list(client.fetch(["2101.00001"]).papers) == ["2101.00001"]


@pytest.mark.parametrize(
    "body",
    [truncated_feed(), HTML_PAGE, b"", BOMB, XXE],
    ids=["cut", "html", "empty", "bomb", "xxe"],
)
def test_unreadable_response_fails_without_partial_papers(stub: ArxivStub, body: bytes) -> None:
    stub.queue(200, body, times=10)
    results: list[BatchResult] = []
    with client_for(stub) as client, pytest.raises(ArxivUnavailable) as caught:
        results.extend(client.fetch_batches(["2101.00001", "2101.00002", "2101.00003"]))
    message = str(caught.value)
    assert message.startswith("arXiv sent an unreadable response (") and "\n" not in message
    assert message.endswith("after 4 attempts")
    assert results == [] and len(stub.requests) == 4


def test_unreadable_once_then_fine(stub: ArxivStub) -> None:
    stub.queue(200, truncated_feed())
    stub.respond_with(echo_papers)
    with client_for(stub) as client:
        result = client.fetch(["2101.00001"])
    assert list(result.papers) == ["2101.00001"] and len(stub.requests) == 2


def test_oversized_body_is_refused(stub: ArxivStub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(arxiv, "MAX_BODY_BYTES", 1000)
    stub.queue(200, atom_feed([{"id": f"2101.{n:05d}"} for n in range(1, 20)]))
    with client_for(stub) as client, pytest.raises(ArxivUnavailable, match="larger than"):
        client.fetch(["2101.00001"])


def test_oversized_stream_without_length_is_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(arxiv, "MAX_BODY_BYTES", 1000)
    sent: list[int] = []

    def endless() -> Iterator[bytes]:
        for _ in range(10_000):
            sent.append(1)
            yield b"x" * 100

    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=endless()))
    client = ArxivClient(delay=0, transport=transport, sleep=Sleeps())
    with client, pytest.raises(ArxivUnavailable, match=r"larger than 0\.001 MB"):
        client.fetch(["2101.00001"])
    assert len(sent) <= 11  # stopped reading, did not download it all (nor retry)


def test_earlier_batches_survive_a_later_failure(stub: ArxivStub) -> None:
    stub.queue(200, atom_feed([{"id": "2101.00001"}]))
    stub.queue(503, b"", times=10)
    results: list[BatchResult] = []
    client = client_for(stub, batch_size=1, max_retries=2)
    with client, pytest.raises(ArxivUnavailable):
        results.extend(client.fetch_batches(["2101.00001", "2101.00002", "2101.00003"]))
    assert [list(r.papers) for r in results] == [["2101.00001"]]
    assert len(stub.requests) == 3  # one ok, two attempts for the second batch, none for the third


# --------------------------------------------------------------------------- spacing


def gaps(requests: list[RecordedRequest]) -> list[float]:
    times = sorted(r.time for r in requests)
    return [b - a for a, b in itertools.pairwise(times)]


# Measured at the server, a gap can come out a little shorter than the client's spacing
# (measured from the start of each request) when the first request was slower to arrive
# (new connection, busy machine). Without spacing the gaps are about 1 ms, so a 50 ms
# allowance still tells the two apart.
JITTER = 0.05


def test_requests_are_spaced_by_delay(stub: ArxivStub) -> None:
    stub.respond_with(echo_papers)
    with ArxivClient(stub.url, delay=0.2, batch_size=1) as client:
        result = client.fetch(["2101.00001", "2101.00002", "2101.00003"])
    assert len(result.papers) == 3 and len(stub.requests) == 3
    assert all(gap >= 0.2 - JITTER for gap in gaps(stub.requests)), gaps(stub.requests)


def test_spacing_file_is_shared_between_clients(stub: ArxivStub, tmp_path: Path) -> None:
    stub.respond_with(echo_papers)
    spacing = tmp_path / "state" / "deeper" / "arxiv.last"
    for ident in ("2101.00001", "2101.00002"):
        # A new client each time: only the file carries the last request time.
        with ArxivClient(stub.url, delay=0.3, spacing_file=spacing) as client:
            client.fetch([ident])
    assert gaps(stub.requests)[0] >= 0.3 - JITTER
    assert float(spacing.read_text()) > 0


def test_spacing_file_serialises_concurrent_clients(stub: ArxivStub, tmp_path: Path) -> None:
    stub.respond_with(echo_papers)
    spacing = tmp_path / "arxiv.last"
    failures: list[BaseException] = []

    def run(ids: list[str]) -> None:
        try:
            with ArxivClient(stub.url, delay=0.2, batch_size=1, spacing_file=spacing) as client:
                client.fetch(ids)
        except BaseException as exc:
            failures.append(exc)

    threads = [
        threading.Thread(target=run, args=(["2101.00001", "2101.00002"],)),
        threading.Thread(target=run, args=(["2101.00003", "2101.00004"],)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert failures == [] and len(stub.requests) == 4
    assert all(gap >= 0.2 - JITTER for gap in gaps(stub.requests)), gaps(stub.requests)


def test_unusable_spacing_file_falls_back(stub: ArxivStub, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    stub.respond_with(echo_papers)
    with ArxivClient(stub.url, delay=0.2, batch_size=1, spacing_file=blocker / "x") as client:
        result = client.fetch(["2101.00001", "2101.00002"])
    assert len(result.papers) == 2
    assert gaps(stub.requests)[0] >= 0.2 - JITTER

"""The shared HTTP shape of services/: a hard deadline per attempt, the spacing lock never
held while waiting on the network, redirects, offline. Against real local servers."""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from papertrail.errors import ArxivUnavailable, ServiceUnavailable
from papertrail.services.arxiv import ArxivClient
from papertrail.services.http import HttpClient, Reply, Service
from tests.support.arxiv_stub import ArxivStub, RecordedRequest, atom_feed, echo_papers
from tests.support.cli import as_json, run

PAPER = "2101.00001"


@pytest.fixture
def stub() -> Iterator[ArxivStub]:
    with ArxivStub(hang_seconds=10.0) as server:
        yield server


@pytest.fixture
def other() -> Iterator[ArxivStub]:
    with ArxivStub() as server:
        server.respond_with(echo_papers)
        yield server


def client(url: str, **options: object) -> ArxivClient:
    options.setdefault("delay", 0)
    return ArxivClient(url, sleep=lambda seconds: None, **options)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- deadline


def padded_feed() -> bytes:
    return atom_feed([{"id": PAPER, "summary": "An abstract that takes a while. " * 200}])


@pytest.mark.parametrize("drip_seconds", [0.05, 0.002], ids=["headers", "body"])
def test_a_dripping_server_is_cut_off_by_the_deadline(drip_seconds: float) -> None:
    """Each byte arrives well within the read timeout; the whole answer would take
    minutes. Only a deadline for the whole attempt stops it."""
    body = padded_feed()
    with ArxivStub(drip_seconds=drip_seconds) as dripping:
        dripping.queue(200, body, mode="drip")
        arxiv = client(dripping.url, timeout=1.0, max_retries=1)
        with arxiv, pytest.raises(ArxivUnavailable) as caught:
            arxiv.fetch([PAPER])
        sent = dripping.dripped
    assert sent < len(body) / 2  # papertrail hung up long before the end
    message = str(caught.value)
    assert message.startswith("arXiv did not answer: ")
    assert message.endswith(" within 1 s (1 attempt)")
    assert ("no response" in message) or ("the response did not complete" in message)


def test_the_deadline_applies_to_every_attempt(stub: ArxivStub) -> None:
    stub.drip_seconds = 0.05
    stub.queue(200, padded_feed(), mode="drip", times=2)
    stub.respond_with(echo_papers)
    with client(stub.url, timeout=0.5, max_retries=3) as arxiv:
        result = arxiv.fetch([PAPER])
    assert list(result.papers) == [PAPER]
    assert len(stub.requests) == 3


# --------------------------------------------------------------------------- spacing lock


def lock_is_free(path: Path) -> bool:
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def test_the_spacing_lock_is_not_held_while_waiting_on_the_network(
    stub: ArxivStub, other: ArxivStub, tmp_path: Path
) -> None:
    spacing = tmp_path / "arxiv-last-request"
    stub.queue(mode="hang")
    failures: list[BaseException] = []

    def stuck_fetch() -> None:
        try:
            with ArxivClient(stub.url, delay=0.1, timeout=30, spacing_file=spacing) as arxiv:
                arxiv.fetch([PAPER])
        except ArxivUnavailable as exc:
            failures.append(exc)

    stuck = threading.Thread(target=stuck_fetch)
    stuck.start()
    try:
        while not stub.requests:  # the first client is now waiting on the server
            assert stuck.is_alive()
            threading.Event().wait(0.01)
        assert lock_is_free(spacing)
        # Another papertrail (same stamp file) is served while the first still waits.
        with ArxivClient(other.url, delay=0.1, spacing_file=spacing) as arxiv:
            assert list(arxiv.fetch(["2101.00002"]).papers) == ["2101.00002"]
        assert stuck.is_alive() and len(stub.requests) == 1
    finally:
        stub.close()  # releases the hanging handler
        stuck.join(timeout=30)
    assert not stuck.is_alive()


# --------------------------------------------------------------------------- redirects


def redirect_to(location: str) -> tuple[int, bytes, dict[str, str]]:
    return 302, b"", {"Location": location}


@pytest.mark.parametrize(
    "where",
    [
        "http://localhost:{port}/api/query",  # another host name for the same machine
        "https://127.0.0.1:{port}/api/query",  # another scheme
        "ftp://127.0.0.1/api/query",  # a scheme httpx cannot even speak
    ],
    ids=["host", "scheme", "ftp"],
)
def test_a_redirect_elsewhere_is_reported_not_followed(
    stub: ArxivStub, other: ArxivStub, where: str
) -> None:
    location = where.format(port=other.url.split(":")[2].split("/")[0])
    status, body, headers = redirect_to(location)
    stub.queue(status, body, headers, times=4)
    with client(stub.url) as arxiv, pytest.raises(ArxivUnavailable) as caught:
        arxiv.fetch([PAPER])
    assert str(caught.value) == (
        f"arXiv redirected the request (HTTP 302) to another address, {location!r}; not followed"
    )
    assert len(stub.requests) == 1 and other.requests == []


def test_a_redirect_to_no_address_at_all_is_reported(stub: ArxivStub) -> None:
    stub.queue(*redirect_to("http://[::1"), times=4)
    with client(stub.url) as arxiv, pytest.raises(ArxivUnavailable) as caught:
        arxiv.fetch([PAPER])
    assert str(caught.value).startswith("arXiv redirected the request to an unusable address (")
    assert str(caught.value).endswith("; not followed")
    assert len(stub.requests) == 1


def test_a_redirect_on_the_same_host_is_followed(stub: ArxivStub) -> None:
    def answer(request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        if request.path == "/api/query":
            return 301, {"Location": "/v2/query?" + urlencode(request.params)}, b""
        return echo_papers(request)

    stub.respond_with(answer)
    with client(stub.url) as arxiv:
        assert list(arxiv.fetch([PAPER]).papers) == [PAPER]
    assert [r.path for r in stub.requests] == ["/api/query", "/v2/query"]


def test_endless_same_host_redirects_stop(stub: ArxivStub) -> None:
    stub.respond_with(lambda request: (302, {"Location": "/api/query?again=1"}, b""))
    with client(stub.url) as arxiv, pytest.raises(ArxivUnavailable, match="too many times"):
        arxiv.fetch([PAPER])
    assert len(stub.requests) == 6


def test_fetch_reports_a_redirect_with_exit_code_3(
    stub: ArxivStub, other: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERTRAIL_ARXIV_API", stub.url)
    run("add", "--no-fetch", PAPER)
    monkeypatch.delenv("PAPERTRAIL_OFFLINE")
    stub.queue(*redirect_to(other.url), times=4)
    result = run("fetch")
    assert result.exit_code == 3
    assert result.stderr.strip() == (
        f"Error: arXiv redirected the request (HTTP 302) to another address, {other.url!r}; "
        "not followed; 1 paper(s) still pending: run `papertrail fetch` again"
    )
    assert "PAPERTRAIL_ARXIV_API" not in result.stderr
    assert as_json("show", PAPER)["title"] is None and other.requests == []


# --------------------------------------------------------------------------- offline


def test_offline_never_opens_a_connection(stub: ArxivStub) -> None:
    service = Service("Crossref", delay=0, offline=True)
    with HttpClient(service) as http, pytest.raises(ServiceUnavailable, match="offline"):
        http.get(stub.url, Reply.json)
    assert stub.requests == []

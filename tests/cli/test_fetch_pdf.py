"""`fetch --pdf` and `add ID --pdf`: arXiv's PDFs from a local server on 127.0.0.1 playing
arXiv's PDF service (PAPERTRAIL_ARXIV_PDF), its HTML "PDF for ID" answer and its refusals
included."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from papertrail.services.http import USER_AGENT
from tests.support.arxiv_stub import ArxivStub, RecordedRequest, echo_papers
from tests.support.cli import add_offline, as_json, ok, run
from tests.support.pdfs import fixtures, paper_pdf, stored_blobs

pytestmark = pytest.mark.usefixtures("backend")

STILL_MAKING = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html><html><head>'
    b"<title>PDF for 2101.00002v1</title></head><body>processing...</body></html>"
)
Served = dict[str, tuple[int, bytes]]


def serve(stub: ArxivStub, served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stub answers /pdf/ID from `served` (404 for the rest) and the API as arXiv."""
    monkeypatch.setenv("PAPERTRAIL_ARXIV_PDF", stub.url.replace("/api/query", "/pdf"))

    def answer(request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        if not request.path.startswith("/pdf/"):
            return echo_papers(request)
        wanted = request.path.removeprefix("/pdf/")  # `ID` served for `IDvN` too
        found = served.get(wanted) or served.get(wanted.rsplit("v", 1)[0])
        status, body = found or (404, b"not found")
        kind = "application/pdf" if body.startswith(b"%PDF") else "text/html"
        return status, {"Content-Type": kind}, body

    stub.respond_with(answer)


def pdf_requests(stub: ArxivStub) -> list[str]:
    return [r.path.removeprefix("/pdf/") for r in stub.requests if r.path.startswith("/pdf/")]


@pytest.mark.parametrize("files_in", ["dir", "s3"], indirect=True)
def test_fetch_pdf_downloads_stores_and_indexes_and_says_what_failed(
    files_in: str, isolated_env: str, arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_offline("2101.00001", "2101.00002", "2101.00003")
    ok("add", "--title", "A paper not on arXiv")
    serve(arxiv, {
        "2101.00001": (200, paper_pdf("Ladders", inner="The ladder decomposition works.")),
        "2101.00002": (200, STILL_MAKING),
    }, monkeypatch)  # fmt: skip
    result = run("fetch", "--pdf")  # the pending metadata first, then the PDFs
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "Fetched metadata for 3 of 3 paper(s)."
    assert "Downloaded 1 of 3 PDF(s)." in lines
    assert (
        "PDF: [1] 2101.00001 Paper 2101.00001: 2101.00001v1 - Paper 2101.00001.pdf (3 "
        "pages, " in result.stdout
    )
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        "Error: [2] 2101.00002 Paper 2101.00002: arXiv is still making the PDF of "
        "2101.00002v1; try again in a minute",
        "Error: [3] 2101.00003 Paper 2101.00003: arXiv has no PDF for it (HTTP 404)",
    ]
    assert "is not on arXiv: no PDF to download" not in result.stderr  # not asked for
    # The version the library holds: the PDF matches the metadata stored.
    assert pdf_requests(arxiv) == ["2101.00001v1", "2101.00002v1", "2101.00003v1"]
    agent = next(r for r in arxiv.requests if r.path.startswith("/pdf/")).headers["user-agent"]
    assert agent == USER_AGENT and agent.startswith("papertrail/")  # the API client's
    assert [h["id"] for h in as_json("find", "ladder")] == [1]
    assert as_json("list", "--no-pdf")[0]["id"] == 2  # the HTML page was never stored
    (kept,) = as_json("show", "1")["files"]
    assert stored_blobs(isolated_env) == [kept["sha256"]]  # nothing else, nothing half-written

    # Again: only the papers still without a PDF are asked for.
    arxiv.requests.clear()
    run("fetch", "--pdf")
    assert pdf_requests(arxiv) == ["2101.00002v1", "2101.00003v1"]


def test_a_refusal_stops_the_batch_and_the_next_run_resumes(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_offline("2101.00001", "2101.00002", "2101.00003")
    served: Served = {
        "2101.00001": (200, paper_pdf("One", inner="first paper")),
        "2101.00002": (403, b"<html><title>Access Denied</title></html>"),
        "2101.00003": (200, paper_pdf("Three", inner="third paper")),
    }
    serve(arxiv, served, monkeypatch)
    stopped = run("fetch", "--pdf")
    assert stopped.exit_code == 3
    assert (
        "Error: arXiv refused the download (HTTP 403); wait before trying again; 2 PDF(s) "
        "not downloaded: run `papertrail fetch --pdf` again later" in stopped.stderr
    )
    assert pdf_requests(arxiv) == ["2101.00001v1", "2101.00002v1"]
    served["2101.00002"] = (200, paper_pdf("Two", inner="second paper"))
    arxiv.requests.clear()
    assert "Downloaded 2 of 2 PDF(s)." in ok("fetch", "--pdf")
    assert pdf_requests(arxiv) == ["2101.00002v1", "2101.00003v1"]
    assert as_json("list", "--no-pdf") == []
    assert "Every arXiv paper has its PDF." in ok("fetch", "--pdf")


def test_add_pdf_and_the_real_arxiv_page_saved_as_pdf(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = fixtures()
    serve(arxiv, {
        "1510.00149": (200, (folder / "01-deep-compression-arxiv.pdf").read_bytes()),
        "1606.04934": (200, (folder / "11-arxiv-html-not-pdf.pdf").read_bytes()),
    }, monkeypatch)  # fmt: skip
    out = ok("add", "1510.00149", "--pdf")
    assert "Downloaded 1 of 1 PDF(s)." in out
    (hit,) = as_json("find", '"LeNet-5 is a convolutional network"')
    assert hit["arxiv_id"] == "1510.00149" and [p["page"] for p in hit["pages"]] == [6]
    result = run("add", "1606.04934", "--pdf")
    assert result.exit_code == 1
    assert "arXiv is still making the PDF of 1606.04934v2" in result.stderr


def test_offline_fetch_pdf_is_one_line() -> None:
    add_offline("2101.00001")
    result = run("fetch", "--pdf")
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: offline (PAPERTRAIL_OFFLINE=1): not ")
    assert result.stderr.count("\n") == 1
    out = run("add", "2101.00002", "--pdf")
    assert (
        "PDFs not downloaded (offline (PAPERTRAIL_OFFLINE)); run `papertrail fetch --pdf`"
        in out.stderr
    )


def test_a_pdf_over_the_size_cap_is_refused_and_the_batch_goes_on(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch, isolated_env: str
) -> None:
    small = paper_pdf("Small", inner="a small paper")
    large = paper_pdf("Large", inner="a large paper", pages=60)
    monkeypatch.setattr("papertrail.services.arxiv_pdf.MAX_PDF_BYTES", len(small) + 1000)
    add_offline("2101.00001", "2101.00002")
    serve(arxiv, {"2101.00001": (200, large), "2101.00002": (200, small)}, monkeypatch)
    result = run("fetch", "--pdf")
    assert result.exit_code == 1
    assert "Downloaded 1 of 2 PDF(s)." in result.stdout
    cap = (len(small) + 1000) / 1e6
    assert result.stderr.strip().splitlines() == [
        f"Error: [1] 2101.00001 Paper 2101.00001: arXiv sent a response larger than {cap:g} MB"
    ]
    assert [p["id"] for p in as_json("list", "--has-pdf")] == [2]
    assert len(stored_blobs(isolated_env)) == 1


def test_two_processes_downloading_at_once_keep_arxiv_s_spacing(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """arXiv's one request every 3 s holds across papertrail processes (the API's stamp file
    in the cache directory): two libraries fetching PDFs at once, 0.4 s apart here."""
    delay = 0.4
    pdfs = {f"2101.0000{n}": (200, paper_pdf(f"P{n}", inner=f"paper {n}")) for n in range(1, 5)}
    serve(arxiv, pdfs, monkeypatch)
    monkeypatch.setenv("PAPERTRAIL_ARXIV_DELAY", str(delay))
    libraries = [str(tmp_path / "a.db"), str(tmp_path / "b.db")]
    for db, ids in zip(
        libraries, (["2101.00001", "2101.00002"], ["2101.00003", "2101.00004"]), strict=True
    ):
        ok("--db", db, "add", "--no-fetch", *ids)
    arxiv.requests.clear()
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "papertrail", "--db", db, "fetch", "--pdf"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for db in libraries
    ]
    outputs = [child.communicate(timeout=120) for child in children]
    assert all("Downloaded 2 of 2 PDF(s)." in out for out, _ in outputs), outputs
    assert len(pdf_requests(arxiv)) == 4
    starts = sorted(r.time for r in arxiv.requests)  # the metadata requests count too
    assert len(starts) == 6
    assert all(b - a >= delay - 0.05 for a, b in itertools.pairwise(starts)), starts


def test_fetch_pdf_of_named_papers_says_which_are_not_on_arxiv(
    arxiv: ArxivStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_offline("2101.00001", "2101.00002")
    ok("add", "--title", "A paper not on arXiv")
    serve(arxiv, {"2101.00002": (200, paper_pdf("Two", inner="second paper"))}, monkeypatch)
    result = run("fetch", "--pdf", "2101.00002", "3")
    assert "Downloaded 1 of 1 PDF(s)." in result.stdout
    assert (
        "Warning: [3] A paper not on arXiv is not on arXiv: no PDF to download "
        "(`papertrail attach` one)"
    ) in result.stderr.splitlines()
    assert pdf_requests(arxiv) == ["2101.00002v1"]  # the paper named, not every one
    assert [p["id"] for p in as_json("list", "--has-pdf")] == [2]

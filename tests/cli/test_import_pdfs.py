"""`import FILE.pdf|DIR`: each PDF identified (arXiv stamp, DOI, title), its paper added or
found, the file attached; hostile files are one line each and the batch goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.arxiv_stub import ArxivStub, echo_papers
from tests.support.cli import add_offline, as_json, ok, run
from tests.support.paths import DATA
from tests.support.pdfs import (
    expected,
    fixtures,
    flate_bomb,
    hostile_files,
    paper_pdf,
    stored_blobs,
)
from tests.support.services_stub import ServicesWorld

pytestmark = pytest.mark.usefixtures("backend")

STAMP = "arXiv:2101.00001v2 [cs.LG] 3 Jan 2021"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A stamped arXiv preprint, a journal paper with a DOI, one with a title only, and a
    copy of the first under another name; hostile files in a sub-directory."""
    folder = tmp_path / "papers"
    (folder / "broken").mkdir(parents=True)
    stamped = paper_pdf("Sparse Ladders", stamp=STAMP, inner="ladders of sparse trees")
    (folder / "a-preprint.pdf").write_bytes(stamped)
    (folder / "b-journal.pdf").write_bytes(
        paper_pdf(
            "Level Ancestors Simplified", doi="10.1016/j.tcs.2003.05.002", inner="jump pointers"
        )
    )
    (folder / "c-title-only.pdf").write_bytes(
        paper_pdf("Understanding Deep Feedforward Networks", inner="the Jacobian matrix")
    )
    (folder / "d-copy.pdf").write_bytes(stamped)
    (folder / "notes.txt").write_text("not a PDF, not imported", encoding="utf-8")
    for name, data in hostile_files(paper_pdf("Base", pages=6)).items():
        (folder / "broken" / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("files_in", ["dir", "s3"], indirect=True)
def test_import_a_directory_identifies_adds_and_attaches(
    files_in: str, folder: Path, isolated_env: str
) -> None:
    result = run("import", str(folder), "-t", "to-read")
    assert result.exit_code == 1  # some files were skipped
    summary = result.stdout.strip().splitlines()[-2]
    # Damaged files PDFium can repair are read: a broken xref, a page count that lies.
    assert summary.startswith("Imported 13 PDF(s): 5 new paper(s), 0 attached to papers in the")
    assert "1 already there, 7 skipped." in summary
    assert (
        "Metadata pending (offline (PAPERTRAIL_OFFLINE)): run `papertrail fetch`" in result.stdout
    )
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 7 and all(line.startswith("Error: ") for line in errors)
    assert "Error: encrypted.pdf: encrypted: it needs a password to open" in errors
    assert (
        "Error: html-page.pdf: not a PDF: an HTML page (arXiv's 'PDF for 2101.00001v1'); "
        "the paper is `papertrail add 2101.00001 --pdf`" in errors
    )
    assert "Error: zero-bytes.pdf: not a PDF: an empty file" in errors
    papers = as_json("list")
    by_file = {f["name"]: p for p in papers for f in p["files"]}
    found = {
        name: (p["arxiv_id"], p["version"], p["doi"], p["title"]) for name, p in by_file.items()
    }
    assert found == {
        "a-preprint.pdf": ("2101.00001", 2, None, None),
        "b-journal.pdf": (None, None, "10.1016/j.tcs.2003.05.002", None),
        "c-title-only.pdf": (None, None, None, "Understanding Deep Feedforward Networks"),
        "broken-startxref.pdf": (None, None, None, "Base"),
        "lying-page-count.pdf": (None, None, None, "one real page " * 19 + "one real page"),
    }
    assert all(p["topics"] == ["to-read"] for p in papers)
    assert [h["id"] for h in as_json("find", "jacobian")] == [by_file["c-title-only.pdf"]["id"]]
    # Nothing half-written: the store holds the files of the papers, and no skipped one.
    assert stored_blobs(isolated_env) == sorted({f["sha256"] for p in papers for f in p["files"]})


@pytest.mark.parametrize("files_in", ["dir", "s3"], indirect=True)
def test_import_again_adds_nothing_and_dry_run_writes_nothing(
    files_in: str, folder: Path, isolated_env: str
) -> None:
    ok("add", "--no-fetch", "2101.00001")  # the preprint's paper, without its file
    dry = run(
        "import", str(folder / "a-preprint.pdf"), str(folder / "c-title-only.pdf"), "--dry-run"
    )
    assert dry.stdout.splitlines() == [
        "  = a-preprint.pdf (arXiv 2101.00001v2): to [1] 2101.00001 (metadata pending)",
        "  + c-title-only.pdf (title from the PDF): new a new paper",
        "Would import 2 PDF(s): 1 new paper(s), 1 attached to papers in the library, "
        "0 already there, 0 skipped.",
    ]
    assert as_json("list", "--has-pdf") == [] and len(as_json("list")) == 1
    assert stored_blobs(isolated_env) == []  # nothing stored by a dry run
    run("import", str(folder))
    before = as_json("list")
    again = run("import", str(folder))
    assert "0 new paper(s), 0 attached to papers in the library, 6 already there" in again.stdout
    assert as_json("list") == before
    assert [f["name"] for f in before[0]["files"]] == ["a-preprint.pdf"]  # attached to [1]


def test_import_fetches_the_papers_metadata_in_one_request(folder: Path, arxiv: ArxivStub) -> None:
    arxiv.respond_with(echo_papers)
    ok("import", str(folder / "a-preprint.pdf"), str(folder / "d-copy.pdf"))
    api = [r for r in arxiv.requests if r.path == "/api/query"]
    assert len(api) == 1 and api[0].ids == ["2101.00001"]
    (paper,) = as_json("list")
    assert paper["title"] == "Paper 2101.00001" and len(paper["files"]) == 1


def test_every_real_paper_that_prints_an_id_is_identified() -> None:
    folder = fixtures()
    add_offline("1510.00149")  # already in the library: the file is attached to it
    result = run("import", str(folder))
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert [line.split(":")[1].strip() for line in errors] == [
        "07-flajolet-counting-scan.pdf",
        "11-arxiv-html-not-pdf.pdf",
    ]
    by_file = {f["name"]: p for p in as_json("list") for f in p["files"]}
    for name, want in expected().items():
        if want["pages"] is None or (want["arxiv_id"] is None and want["doi"] is None):
            continue  # the HTML page; papers that print neither id
        paper = by_file[name]
        assert paper["arxiv_id"] == want["arxiv_id"], name
        assert (paper["doi"] or "").lower() == (want["doi"] or "").lower(), name
    assert by_file["01-deep-compression-arxiv.pdf"]["id"] == 1
    titled = by_file["08-glorot-aistats2010-proceedings.pdf"]
    assert titled["title"] == expected()["08-glorot-aistats2010-proceedings.pdf"]["title"]
    assert "1 attached to papers in the library" in result.stdout


def test_a_file_store_out_of_reach_adds_no_paper(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("s3fs")
    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"),
                        ("AWS_MAX_ATTEMPTS", "1")):  # fmt: skip
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PAPERTRAIL_FILES", "s3://papers/lab")
    monkeypatch.setenv("PAPERTRAIL_S3_ENDPOINT", "http://127.0.0.1:9")  # nothing listens
    result = run("import", str(folder / "a-preprint.pdf"), str(folder / "b-journal.pdf"))
    assert result.exit_code == 1 and result.stdout == ""
    (error,) = result.stderr.strip().splitlines()  # the store is tried before anything else
    assert error.startswith("Error: file store s3://papers/lab: "), error
    assert as_json("list") == []


def test_a_file_that_cannot_be_stored_adds_no_paper(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "tmp").write_text("", encoding="utf-8")  # where blobs are written: not a folder
    monkeypatch.setenv("PAPERTRAIL_FILES", str(store))
    result = run("import", str(folder / "a-preprint.pdf"), str(folder / "b-journal.pdf"))
    assert result.exit_code == 1
    assert "0 new paper(s)" in result.stdout and "2 skipped" in result.stdout
    errors = result.stderr.strip().splitlines()
    assert [line.split(":")[1].strip() for line in errors] == ["a-preprint.pdf", "b-journal.pdf"]
    assert all(f"cannot write to the file store {store}" in line for line in errors), errors
    assert as_json("list") == []  # no paper without the file it came from


def test_a_title_only_paper_from_a_pdf_is_completed_by_fetch(
    tmp_path: Path, world: ServicesWorld
) -> None:
    world.dblp_search(
        "deep sparse rectifier", (DATA / "services" / "dblp_glorot.json").read_bytes()
    )
    pdf = tmp_path / "glorot.pdf"
    pdf.write_bytes(paper_pdf("Deep Sparse Rectifier Neural Networks", inner="rectifier units"))
    assert "1 new paper(s)" in ok("import", str(pdf))
    (paper,) = as_json("list")
    assert (paper["title"], paper["authors"]) == ("Deep Sparse Rectifier Neural Networks", [])
    assert "Completed 1 of 1" in ok("fetch")
    paper = as_json("show", "1")
    assert paper["authors"] == ["Xavier Glorot", "Antoine Bordes", "Yoshua Bengio"]
    assert paper["venue"] == "AISTATS" and paper["files"][0]["name"] == "glorot.pdf"


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A PDF whose one page inflates to 1.1 GB: past the worker's 1 GB, PDFium aborts."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.pdf"
    path.write_bytes(flate_bomb(1100))
    return path


def test_a_pdf_that_brings_the_reader_down_is_one_line_and_the_batch_goes_on(
    bomb: Path, tmp_path: Path, isolated_env: str
) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "a-bomb.pdf").symlink_to(bomb)
    (folder / "b-good.pdf").write_bytes(paper_pdf("Sparse Ladders", inner="ladders of trees"))
    result = run("import", str(folder))
    assert result.exit_code == 1
    assert result.stdout.startswith("Imported 2 PDF(s): 1 new paper(s)")
    (error,) = result.stderr.strip().splitlines()
    assert error.startswith("Error: a-bomb.pdf: "), error
    assert "needed more than 1024 MB" in error or "more memory" in error, error
    assert [h["files"][0]["name"] for h in as_json("find", "ladders")] == ["b-good.pdf"]
    (sha,) = stored_blobs(isolated_env)  # the bomb was never stored
    assert as_json("list")[0]["files"][0]["sha256"] == sha

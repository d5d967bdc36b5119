"""Papers' files through the CLI: attach, show, list --has-pdf, find, detach, undo, remove,
prune, open, export, db copy; on SQLite and PostgreSQL, files in a directory and in an S3
bucket (moto's server on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.cli import add_offline, as_json, ok, run
from tests.support.pdfs import paper_pdf, stored_blobs, text_pdf
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.usefixtures("backend")

INNER = "The ladder decomposition of the tree answers every query in constant time."


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    path = tmp_path / "Ladders.pdf"
    path.write_bytes(paper_pdf("Ladders for Trees", inner=INNER))
    return path


@pytest.mark.parametrize("files_in", ["dir", "s3"], indirect=True)
def test_attach_show_find_detach_undo_and_prune(
    files_in: str, isolated_env: str, paper: Path
) -> None:
    add_offline("2101.00001")
    out = ok("attach", "2101.00001", str(paper))
    assert out.startswith("Attached Ladders.pdf (3 pages, ") and "searchable) to [1]" in out
    assert "File: Ladders.pdf (3 pages, " in ok("show", "1")
    (attached,) = as_json("show", "1")["files"]
    assert attached["name"] == "Ladders.pdf" and attached["searchable"] is True
    assert attached["pages"] == 3 and attached["size"] == paper.stat().st_size
    assert (attached["path"] is None) == (files_in == "s3")
    assert stored_blobs(isolated_env) == [attached["sha256"]]
    assert [p["id"] for p in as_json("list", "--has-pdf")] == [1]
    assert as_json("list", "--no-pdf") == []
    (row,) = [line.split("\t") for line in ok("files").splitlines()]
    assert row[:4] + row[5:] == [
        "1",
        "2101.00001",
        "Ladders.pdf",
        "3",
        "searchable",
        attached["sha256"],
    ]
    (listed,) = as_json("files", "2101.00001")
    assert listed["id"] == 1 and [f["name"] for f in listed["files"]] == ["Ladders.pdf"]

    (hit,) = as_json("find", '"ladder decomposition"')
    assert hit["id"] == 1 and hit["arxiv_id"] == "2101.00001" and hit["score"] > 0
    assert [page["page"] for page in hit["pages"]] == [2, 3]
    assert "ladder decomposition" in hit["pages"][0]["snippet"]
    assert ok("attach", "1", str(paper)).startswith("Already attached: Ladders.pdf")

    assert ok("detach", "1").startswith("Detached Ladders.pdf from [1]")
    assert as_json("find", "ladder") == []
    ok("undo")
    assert [h["id"] for h in as_json("find", "ladder")] == [1]

    ok("detach", "1", "Ladders.pdf")
    assert ok("files", "--prune", "--dry-run").startswith("Would delete 1 file(s)")
    assert stored_blobs(isolated_env) == [attached["sha256"]]
    assert ok("files", "--prune").startswith("Deleted 1 file(s) no paper has")
    assert stored_blobs(isolated_env) == []
    refused = run("undo")
    assert refused.exit_code == 1
    assert "was deleted by `files --prune` since" in refused.stderr
    assert as_json("show", "1")["files"] == []


def test_a_file_two_papers_share_is_stored_once_and_outlives_one_removal(paper: Path) -> None:
    add_offline("2101.00001", "2101.00002")
    ok("attach", "1", str(paper))
    ok("attach", "2", str(paper))
    assert as_json("show", "1")["files"][0]["sha256"] == as_json("show", "2")["files"][0]["sha256"]
    ok("remove", "1", "--yes")
    assert [h["id"] for h in as_json("find", "ladder")] == [2]
    assert ok("files", "--prune").startswith("Deleted 0 file(s)")
    ok("remove", "2", "--yes")
    ok("undo")  # the second removal: paper 2 and its file come back
    assert [h["id"] for h in as_json("find", "ladder")] == [2]
    assert [f["name"] for f in as_json("show", "2")["files"]] == ["Ladders.pdf"]


def test_other_files_are_attachments_and_a_page_named_pdf_is_refused(tmp_path: Path) -> None:
    add_offline("2101.00001")
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes", encoding="utf-8")
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"<!DOCTYPE html><html><title>PDF for 2101.00001v1</title></html>")
    result = run("attach", "1", str(notes), str(fake))
    assert result.exit_code == 1
    assert result.stdout.startswith("Attached notes.txt (8 bytes, attachment, no text)")
    assert result.stderr.strip().splitlines() == [
        f"Error: {fake}: not a PDF: an HTML page (arXiv's 'PDF for 2101.00001v1')"
    ]
    missing = run("attach", "1", str(tmp_path / "nope.pdf"), str(tmp_path))
    assert missing.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'nope.pdf'}: no such file",
        f"Error: {tmp_path}: is a directory",
    ]
    assert [f["name"] for f in as_json("show", "1")["files"]] == ["notes.txt"]
    assert as_json("list", "--has-pdf") == []


def test_a_scan_and_damaged_pdfs_are_kept_and_said_to_be_unsearchable(tmp_path: Path) -> None:
    add_offline("2101.00001")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(text_pdf(["", ""]))  # pages without text: what a scan is to a reader
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(paper_pdf("Broken")[:600])
    result = run("attach", "1", str(scan), str(broken))
    assert result.exit_code == 0, result.stderr
    warnings = result.stderr.strip().splitlines()
    assert warnings[0].startswith("Warning: scan.pdf: scan (no text layer): not searchable")
    assert warnings[1].startswith("Warning: broken.pdf: not searchable: not a PDF, or damaged")
    assert len(as_json("show", "1")["files"]) == 2


@pytest.mark.parametrize("files_in", ["dir", "s3"], indirect=True)
def test_export_names_the_files_bibtex_and_json(files_in: str, paper: Path) -> None:
    add_offline("2101.00001", "2101.00002")
    ok("attach", "1", str(paper))
    bibtex = ok("export", "--format", "bibtex")
    sha = as_json("show", "1")["files"][0]["sha256"]
    exported = json.loads(ok("export", "--format", "json"))
    files = {p["arxiv_id"]: p["files"] for p in exported["papers"]}
    assert [f["sha256"] for f in files["2101.00001"]] == [sha] and files["2101.00002"] == []
    assert files["2101.00001"][0]["name"] == "Ladders.pdf"
    if files_in == "s3":  # no path on this machine: JabRef's field would point nowhere
        assert "file = " not in bibtex and files["2101.00001"][0]["path"] is None
        return
    (line,) = [line for line in bibtex.splitlines() if line.startswith("  file = ")]
    assert line.startswith("  file = {Ladders.pdf:/") and line.endswith(f"{sha}.pdf:PDF}}")
    assert bibtex.count("file = ") == 1
    assert Path(files["2101.00001"][0]["path"]).read_bytes() == paper.read_bytes()


@pytest.fixture
def viewer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], Path]:
    """PAPERTRAIL_OPENER set to a program that writes down the path it was given; calling
    the fixture waits for that path (the viewer runs detached from papertrail)."""
    seen = tmp_path / "opened.txt"
    code = f"import sys; open({str(seen)!r}, 'w').write(sys.argv[1])"
    monkeypatch.setenv("PAPERTRAIL_OPENER", f"{sys.executable} -c {json.dumps(code)}")

    def shown() -> Path:
        for _ in range(400):
            if seen.exists() and seen.read_text():
                break
            time.sleep(0.05)
        path = Path(seen.read_text())
        seen.unlink()
        return path

    return shown


@pytest.mark.parametrize("files_in", ["dir", "s3"], indirect=True)
def test_open_shows_the_local_pdf_under_a_readable_name(
    files_in: str, paper: Path, monkeypatch: pytest.MonkeyPatch, viewer: Callable[[], Path]
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    add_offline("2101.00001")
    ok("open", "1")  # no PDF: the abstract page
    ok("attach", "1", str(paper))
    out = ok("open", "1")
    assert out.startswith("Opening ") and out.strip().endswith("/1/Ladders.pdf")
    shown = viewer()  # from a bucket: downloaded into the cache, its hash checked
    assert shown.name == "Ladders.pdf" and shown.read_bytes() == paper.read_bytes()
    assert ok("open", "1").strip().endswith("/1/Ladders.pdf")  # the cached copy, again
    assert viewer().read_bytes() == paper.read_bytes()
    assert ok("open", "1", "--pdf").strip().endswith("/1/Ladders.pdf")  # the local PDF first
    assert viewer().name == "Ladders.pdf"
    ok("open", "1", "--web")
    assert opened == ["https://arxiv.org/abs/2101.00001"] * 2


@pytest.fixture
def other_db(isolated_env: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """An empty library of the other kind: PostgreSQL when the test's library is a SQLite
    file, a SQLite file when it is PostgreSQL (so `db copy` goes both ways)."""
    if "://" in isolated_env:
        yield str(tmp_path / "other" / "lib.db")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.new_database()
    yield url
    server.drop_database(url)


@pytest.fixture
def neighbour(isolated_env: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """Another library of the same kind that uses the same file store by default: a SQLite
    file in the same folder (files/ beside both), another PostgreSQL database (the user
    data directory's files/)."""
    if "://" not in isolated_env:
        yield str(Path(isolated_env).parent / "backup.db")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.new_database()
    yield url
    server.drop_database(url)


@pytest.mark.parametrize("files_in", ["dir", "s3"], indirect=True)
def test_prune_keeps_the_files_another_library_of_the_store_has(
    files_in: str, paper: Path, isolated_env: str, neighbour: str, viewer: Callable[[], Path]
) -> None:
    add_offline("2101.00001")
    ok("attach", "1", str(paper))
    (sha,) = stored_blobs(isolated_env)
    ok("db", "copy", isolated_env, neighbour)  # a backup beside it: one store for both
    ok("--db", neighbour, "remove", "1", "--yes")
    pruned = run("--db", neighbour, "files", "--prune")
    assert pruned.stdout.startswith("Deleted 1 file(s) no paper has (0 bytes).")
    assert pruned.stderr.startswith(
        "Warning: 1 of them stay in the file store: another library keeping its files there "
        "has them ("
    )
    assert stored_blobs(isolated_env) == [sha]
    ok("open", "1")  # the library the backup was made from still has its PDF
    assert viewer().read_bytes() == paper.read_bytes()
    ok("remove", "1", "--yes")
    assert ok("files", "--prune").startswith("Deleted 1 file(s) no paper has (")
    assert stored_blobs(isolated_env) == []  # no library has it any more


def test_prune_deletes_no_blob_while_a_library_of_the_store_cannot_be_asked(
    paper: Path, isolated_env: str, neighbour: str, request: pytest.FixtureRequest
) -> None:
    add_offline("2101.00001")
    ok("attach", "1", str(paper))
    ok("db", "copy", isolated_env, neighbour)
    ok("remove", "1", "--yes")
    if "://" in neighbour:  # the PostgreSQL database is gone (or the server down)
        request.getfixturevalue("postgres_server").drop_database(neighbour)
        named = neighbour
    else:  # the SQLite file became something else
        Path(neighbour).write_bytes(b"not a database any more")
        named = str(Path(neighbour).resolve())
    refused = run("files", "--prune")
    assert refused.exit_code == 0
    assert refused.stdout.startswith("Deleted 0 file(s) no paper has")
    (warning,) = refused.stderr.strip().splitlines()
    assert warning.startswith(f"Warning: the file store is shared with {named}, which could ")
    assert warning.endswith(
        f"no file was deleted from the store (`files --prune --forget {named}` if it is gone)"
    )
    assert len(stored_blobs(isolated_env)) == 1
    assert ok("files", "--prune", "--forget", named).startswith("Deleted 1 file(s)")
    assert stored_blobs(isolated_env) == []


@pytest.mark.parametrize("files_in", ["dir", "s3"], indirect=True)
def test_db_copy_carries_files_and_their_text_to_the_other_kind_of_database(
    files_in: str, paper: Path, isolated_env: str, other_db: str, viewer: Callable[[], Path]
) -> None:
    ok("--db", other_db, "add", "--no-fetch", "2101.00001")
    ok("--db", other_db, "attach", "1", str(paper))
    (sha,) = stored_blobs(other_db)
    copied = ok("db", "copy", other_db, isolated_env)
    if files_in == "dir":  # SQLite's files/ beside it, PostgreSQL's in the data directory
        assert copied.startswith("Copied 1 paper(s) and 1 file(s) from ")
    else:  # one bucket for both: nothing to copy
        assert copied.startswith("Copied 1 paper(s) from ")
    assert stored_blobs(isolated_env) == [sha]
    (hit,) = as_json("find", '"ladder decomposition"')
    assert hit["id"] == 1 and hit["files"][0]["name"] == "Ladders.pdf"
    assert [p["page"] for p in hit["pages"]] == [2, 3]
    ok("open", "1")
    assert viewer().read_bytes() == paper.read_bytes()


@pytest.mark.parametrize("files_in", ["s3"], indirect=True)
def test_db_copy_moves_a_library_s_files_into_the_lab_s_bucket(
    files_in: str, paper: Path, isolated_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bucket = os.environ["PAPERTRAIL_FILES"]
    solo = str(tmp_path / "solo" / "lib.db")
    monkeypatch.delenv("PAPERTRAIL_FILES")  # one's own library, its files beside it
    ok("--db", solo, "add", "--no-fetch", "2101.00001")
    ok("--db", solo, "attach", "1", str(paper))
    (sha,) = stored_blobs(solo)
    monkeypatch.setenv("PAPERTRAIL_FILES", bucket)  # the lab's settings
    elsewhere = str(tmp_path / "elsewhere.db")
    unmoved = run("db", "copy", solo, elsewhere)  # the settings say the files are in the bucket
    assert unmoved.exit_code == 0
    assert unmoved.stderr.strip() == (
        f"Warning: 1 file(s) are not in the source's file store {bucket}: copied without "
        "their content (--source-files says where they are)"
    )
    moved = ok("db", "copy", solo, isolated_env, "--source-files", str(tmp_path / "solo" / "files"))
    assert moved.startswith("Copied 1 paper(s) and 1 file(s) from ")
    assert stored_blobs(isolated_env) == [sha]
    assert [h["id"] for h in as_json("find", "ladder")] == [1]


def test_merge_gives_keep_the_files_of_other_and_undo_takes_them_back(paper: Path) -> None:
    add_offline("2101.00001", "2101.00002")
    ok("attach", "2", str(paper))
    ok("merge", "1", "2")
    assert [f["name"] for f in as_json("show", "1")["files"]] == ["Ladders.pdf"]
    assert [h["id"] for h in as_json("find", "ladder")] == [1]
    ok("undo")
    assert as_json("show", "1")["files"] == []
    assert [h["id"] for h in as_json("find", "ladder")] == [2]

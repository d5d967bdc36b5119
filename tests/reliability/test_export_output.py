"""`export -o PATH` writes what the user pointed at: through links, into devices and FIFOs,
keeping the file's mode and hard links; never over the library itself; and never leaves a
partial file behind, whatever stops it."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.reliability.helpers import error_line, run_papertrail
from tests.support.cli import ok, run


@pytest.fixture(autouse=True)
def two_papers() -> None:
    ok("add", "--no-fetch", "1510.00149", "1706.03762", "-t", "quantization")


def exported(path: Path) -> list[str]:
    return [p["arxiv_id"] for p in json.loads(path.read_text())["papers"]]


def test_a_symlink_is_written_through_and_the_mode_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old\n")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    ok("export", "-o", str(link))
    assert link.is_symlink() and link.resolve() == real
    assert exported(real) == ["1510.00149", "1706.03762"]
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_a_hard_link_stays_one_file(tmp_path: Path) -> None:
    first = tmp_path / "a.json"
    first.write_text("old\n")
    second = tmp_path / "b.json"
    os.link(first, second)
    ok("export", "-o", str(first))
    assert first.stat().st_ino == second.stat().st_ino
    assert exported(second) == ["1510.00149", "1706.03762"]


def test_a_new_file_gets_the_usual_mode_not_0600(tmp_path: Path) -> None:
    target = tmp_path / "new.json"
    umask = os.umask(0o022)
    try:
        ok("export", "-o", str(target))
    finally:
        os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert list(tmp_path.glob("*.part")) == []


def test_a_character_device_is_written_not_replaced(tmp_path: Path) -> None:
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    except PermissionError:
        pytest.skip("creating a device node needs root")
    ok("export", "-o", str(null))
    assert stat.S_ISCHR(null.stat().st_mode)
    assert list(tmp_path.glob("*.part")) == []


def test_a_fifo_is_written_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    ok("export", "-o", str(fifo))
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    papers = json.loads(received[0])["papers"]
    assert [p["arxiv_id"] for p in papers] == ["1510.00149", "1706.03762"]


def test_dev_stdout_goes_to_standard_output() -> None:
    result = run_papertrail("export", "-o", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert [p["arxiv_id"] for p in json.loads(result.stdout)["papers"]] == [
        "1510.00149",
        "1706.03762",
    ]


def test_the_library_itself_is_refused(isolated_env: str, tmp_path: Path) -> None:
    before = ok("list")
    link = tmp_path / "innocent.json"
    link.symlink_to(isolated_env)
    for target in (isolated_env, str(link), isolated_env + "-wal"):
        result = run("export", "-o", target)
        assert result.exit_code == 1
        assert "the library's own database" in error_line(result.stderr)
    assert ok("list") == before


SLOW_EXPORT = """
import signal, sys, time
import papertrail.exporters.jsonfile as jsonfile

# As a shell starts a command: Ctrl-C raises KeyboardInterrupt. A test runner's worker can
# hand its children SIGINT ignored (a disposition children inherit), and the test is about
# what papertrail does when the signal comes, not about the worker's settings.
signal.signal(signal.SIGINT, signal.default_int_handler)

def slow(papers, parents, out):
    out.write('{"half": ')
    out.flush()
    print("writing", file=sys.stderr, flush=True)
    time.sleep(60)

jsonfile.write = slow
from papertrail.cli import main
sys.argv = ["papertrail", "export", "-o", sys.argv[1]]
main()
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_during_export_leaves_no_partial_file(tmp_path: Path, signum: int) -> None:
    target = tmp_path / "out" / "export.json"
    target.parent.mkdir()
    target.write_text("the previous export\n")
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_EXPORT, str(target)],
        stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )  # fmt: skip
    assert process.stderr is not None
    assert process.stderr.readline().strip() == "writing"
    assert len(list(target.parent.glob("*.part"))) == 1  # the export is under way
    process.send_signal(signum)
    process.wait(timeout=30)
    assert process.returncode != 0
    assert sorted(p.name for p in target.parent.iterdir()) == ["export.json"]
    assert target.read_text() == "the previous export\n"

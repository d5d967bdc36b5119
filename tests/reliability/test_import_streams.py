"""What `import` reads: streams and FIFOs up to a cap counted in bytes read, UTF-16/32 lists
with a byte-order mark, and a clear word for a directory."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from papertrail import importers
from tests.reliability.helpers import cli, error_line, escaped
from tests.support.cli import as_json, ok

LIST = {
    "format": "papertrail",
    "version": 1,
    "papers": [{"arxiv_id": "1510.00149", "title": "Deep Compression", "topics": ["pruning"]}],
}


def refused(*args: str) -> str:
    result = cli(*args)
    assert escaped(result) is None, repr(escaped(result))
    assert result.exit_code == 1, (result.stdout, result.stderr)
    return error_line(result.stderr)


def test_dev_zero_is_refused_at_once() -> None:
    assert "binary" in refused("import", "/dev/zero", "--format", "json")


def feed_forever(fifo: Path, line: bytes) -> threading.Thread:
    def write() -> None:
        try:
            with open(fifo, "wb") as out:
                while True:
                    out.write(line * 1000)
        except (BrokenPipeError, OSError):
            return

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_an_endless_fifo_stops_at_the_size_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 2**20)
    fifo = tmp_path / "endless.md"
    os.mkfifo(fifo)
    writer = feed_forever(fifo, b"- [ ] [A paper](https://arxiv.org/abs/1510.00149)\n")
    assert "larger than 1 MB" in refused("import", str(fifo))
    writer.join(timeout=30)
    assert not writer.is_alive()


def test_a_fifo_with_a_list_is_imported(tmp_path: Path) -> None:
    fifo = tmp_path / "list"
    os.mkfifo(fifo)

    def write() -> None:
        fifo.write_text(json.dumps(LIST))

    threading.Thread(target=write, daemon=True).start()
    assert "1 added" in ok("import", str(fifo), "--format", "json")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_a_list_with_a_byte_order_mark_is_read(encoding: str, tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    text = json.dumps(LIST, ensure_ascii=False).replace("Deep Compression", "Deep Compression 剪枝")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    assert "1 added" in ok("import", str(path))
    assert as_json("list")[0]["title"] == "Deep Compression 剪枝"


def test_a_directory_is_called_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    assert "is a directory" in refused("import", str(folder))
    assert "is a directory" in refused("import", str(folder), "--format", "markdown")

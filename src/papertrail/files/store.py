"""The content-addressed file store on a local (or network-mounted) directory.

    store = LocalStore(data_dir / "files")
    stored = store.put(Path("paper.pdf"))          # StoredFile(sha256, size, created)
    store.path(stored.sha256)                       # files/ab/ab12....pdf

Layout: ROOT/ab/abcdef....pdf, named by the SHA-256 of the content (the same file twice is
stored once), ROOT/tmp/ for files being written, ROOT/libraries/ one small file per
library that stores files here (its location, no password): several libraries may share a
store, and `files --prune` in one must not delete what another still has. A write streams
into ROOT/tmp (hashing, counting and checking the first bytes as it goes), fsyncs, then
renames into place and fsyncs the directory: a reader sees the whole file or none, and a
crash leaves at most a temporary file, which prune_temporary() removes later. Blobs are
made read-only: a PDF viewer that saves annotations must not change a file whose name is
its hash.

No PDF library here: the PDF check is the magic-number rule of model.filetypes.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from papertrail.errors import FileRejected, FileStoreError
from papertrail.model.files import StoredFile, blob_name
from papertrail.model.filetypes import SNIFF_BYTES, describe_non_pdf, is_pdf

DEFAULT_MAX_BYTES = 200_000_000  # a scanned book can reach 100 MB; arXiv caps at 50 MB
CHUNK = 1 << 20
_HASH = re.compile(r"[0-9a-f]{64}")
TEMPORARY_MAX_AGE = 24 * 3600.0
LIBRARIES = "libraries"


def library_entry(library: str) -> str:
    """The name of a library's entry in ROOT/libraries/: a hash of its location."""
    return hashlib.sha256(library.encode("utf-8")).hexdigest()[:24] + ".txt"


def read_chunks(handle: BinaryIO, size: int = CHUNK) -> Iterator[bytes]:
    while chunk := handle.read(size):
        yield chunk


@dataclass
class Incoming:
    """A file written to a temporary path, hashed and checked, not yet in the store."""

    path: Path
    sha256: str
    size: int
    head: bytes


def receive(
    chunks: Iterable[bytes],
    directory: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    require_pdf: bool = True,
) -> Incoming:
    """Write `chunks` to a new temporary file in `directory` (fsynced), with its hash.

    FileRejected (and no file left) when over `max_bytes` or, if `require_pdf`, not a
    PDF; FileStoreError when the directory cannot be written. Whatever the source of
    `chunks` raises (a network error) goes up as it is, the temporary file removed."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=directory, prefix="incoming-", suffix=".part")
    except OSError as exc:
        raise _store_error(directory, exc) from None
    path = Path(name)
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with os.fdopen(descriptor, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise FileRejected(f"larger than the {max_bytes / 1e6:g} MB allowed")
                if len(head) < SNIFF_BYTES:
                    head += chunk[: SNIFF_BYTES - len(head)]
                    if require_pdf and len(head) >= SNIFF_BYTES and not is_pdf(head):
                        raise FileRejected(f"not a PDF: {describe_non_pdf(head)}")
                digest.update(chunk)
                _write(out, chunk, directory)
            if require_pdf and not is_pdf(head):
                raise FileRejected(f"not a PDF: {describe_non_pdf(head)}")
            _write(out, b"", directory, sync=True)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Incoming(path, digest.hexdigest(), size, head)


def _write(out: BinaryIO, chunk: bytes, directory: Path, *, sync: bool = False) -> None:
    try:
        out.write(chunk)
        if sync:
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        raise _store_error(directory, exc) from None


def _store_error(where: Path, exc: OSError) -> FileStoreError:
    return FileStoreError(f"cannot write to the file store {where}: {exc.strerror or exc}")


class LocalStore:
    """Blobs under `root` (see the module's docstring)."""

    def __init__(self, root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.location = str(root)

    def blob_path(self, sha256: str, suffix: str = ".pdf") -> Path | None:
        """Where a blob is on this machine, for exports (a bucket's have no such place)."""
        return self.path(sha256, suffix)

    def put_bytes(
        self, data: bytes, *, require_pdf: bool = True, suffix: str = ".pdf"
    ) -> StoredFile:
        return self.put_stream([data], require_pdf=require_pdf, suffix=suffix)

    @property
    def temporary(self) -> Path:
        return self.root / "tmp"

    def path(self, sha256: str, suffix: str = ".pdf") -> Path:
        return self.root / blob_name(sha256, suffix)

    def put(self, source: Path, *, require_pdf: bool = True, suffix: str = ".pdf") -> StoredFile:
        """Store a copy of `source` (FileRejected if it is not acceptable)."""
        try:
            with source.open("rb") as handle:
                return self.put_stream(read_chunks(handle), require_pdf=require_pdf, suffix=suffix)
        except FileNotFoundError:
            raise FileRejected(f"no such file: {source}") from None
        except IsADirectoryError:
            raise FileRejected(f"is a directory: {source}") from None
        except PermissionError:
            raise FileRejected(f"cannot read {source} (permission denied)") from None

    def put_stream(
        self, chunks: Iterable[bytes], *, require_pdf: bool = True, suffix: str = ".pdf"
    ) -> StoredFile:
        """Store what `chunks` yields (a download, a file being read)."""
        incoming = receive(
            chunks, self.temporary, max_bytes=self.max_bytes, require_pdf=require_pdf
        )
        try:
            return self._settle(incoming, suffix)
        finally:
            incoming.path.unlink(missing_ok=True)

    def _settle(self, incoming: Incoming, suffix: str) -> StoredFile:
        target = self.path(incoming.sha256, suffix)
        if target.exists():
            return StoredFile(incoming.sha256, incoming.size, suffix, created=False)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(incoming.path, 0o444)
            os.replace(incoming.path, target)
            _fsync_directory(target.parent)
        except OSError as exc:
            raise _store_error(self.root, exc) from None
        return StoredFile(incoming.sha256, incoming.size, suffix, created=True)

    def exists(self, sha256: str, suffix: str = ".pdf") -> bool:
        return self.path(sha256, suffix).is_file()

    def register(self, library: str, key: str | None = None) -> None:
        """Note that `library` keeps files here (once; see the module's docstring)."""
        path = self.root / LIBRARIES / library_entry(key or library)
        if path.is_file():
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(library + "\n", encoding="utf-8")
        except OSError as exc:
            raise _store_error(self.root, exc) from None

    def unregister(self, library: str) -> None:
        (self.root / LIBRARIES / library_entry(library)).unlink(missing_ok=True)

    def libraries(self) -> list[str]:
        """The libraries that keep files here."""
        found = []
        for path in sorted((self.root / LIBRARIES).glob("*.txt")):
            try:
                found.append(path.read_text(encoding="utf-8").strip())
            except OSError:
                continue
        return [name for name in found if name]

    def open(self, sha256: str, suffix: str = ".pdf") -> BinaryIO:
        try:
            return self.path(sha256, suffix).open("rb")
        except FileNotFoundError:
            raise FileStoreError(f"file {sha256[:12]}... is missing from {self.root}") from None

    def local_path(self, sha256: str, suffix: str = ".pdf") -> Path:
        """A local path to the content (for `open`): the blob itself."""
        path = self.path(sha256, suffix)
        if not path.is_file():
            raise FileStoreError(f"file {sha256[:12]}... is missing from {self.root}")
        return path

    def delete(self, sha256: str, suffix: str = ".pdf") -> bool:
        """Remove a blob; False if it was not there."""
        path = self.path(sha256, suffix)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        _fsync_directory(path.parent)
        return True

    def blobs(self) -> Iterator[tuple[str, str]]:
        """(sha256, suffix) of every blob (for `files --prune`)."""
        for path in sorted(self.root.glob("??/*")):
            sha256, suffix = path.name[:64], path.name[64:]
            if _HASH.fullmatch(sha256) and path.parent.name == sha256[:2]:
                yield sha256, suffix

    def verify(self, sha256: str, suffix: str = ".pdf") -> bool:
        """Whether the blob's content still has its name's hash."""
        digest = hashlib.sha256()
        with self.open(sha256, suffix) as handle:
            for chunk in read_chunks(handle):
                digest.update(chunk)
        return digest.hexdigest() == sha256

    def prune_temporary(self, max_age: float = TEMPORARY_MAX_AGE) -> int:
        """Remove temporary files left by interrupted writes; how many were removed."""
        removed = 0
        cutoff = time.time() - max_age
        for path in self.temporary.glob("incoming-*.part"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed


def _fsync_directory(directory: Path) -> None:
    """Make a rename or unlink in `directory` durable (no-op where directories cannot be
    opened, as on Windows)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's content (FileRejected when it cannot be read)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for chunk in read_chunks(handle):
                digest.update(chunk)
    except OSError as exc:
        raise FileRejected(f"cannot read {path}: {exc.strerror or exc}") from None
    return digest.hexdigest()

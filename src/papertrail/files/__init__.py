"""Files on disk and in buckets: the content-addressed file store (store.py, remote.py) and
reading PDFs in worker processes (extract.py, worker.py, reader.py, ocr.py).

A layer beside services/: I/O that core/ uses, which knows nothing of the database or of
HTTP. Nothing here is imported by the everyday commands: pypdfium2 loads only in the
extraction worker, fsspec and s3fs only for a file store in a bucket (start-up).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from papertrail.model.files import StoredFile


class FileStore(Protocol):
    """What papertrail needs of a file store (LocalStore, FsspecStore)."""

    location: str  # for messages: a directory or an s3:// URL

    def put(self, source: Path, *, require_pdf: bool = True, suffix: str = ".pdf") -> StoredFile:
        """Store a copy of a file (FileRejected when it is not acceptable)."""
        ...

    def put_bytes(
        self, data: bytes, *, require_pdf: bool = True, suffix: str = ".pdf"
    ) -> StoredFile: ...

    def put_stream(
        self, chunks: Iterable[bytes], *, require_pdf: bool = True, suffix: str = ".pdf"
    ) -> StoredFile: ...

    def exists(self, sha256: str, suffix: str = ".pdf") -> bool: ...

    def open(self, sha256: str, suffix: str = ".pdf") -> BinaryIO: ...

    def local_path(self, sha256: str, suffix: str = ".pdf") -> Path:
        """A path to the content on this machine (a bucket's blob is downloaded first)."""
        ...

    def blob_path(self, sha256: str, suffix: str = ".pdf") -> Path | None:
        """Where the blob itself is on this machine; None in a bucket."""
        ...

    def delete(self, sha256: str, suffix: str = ".pdf") -> bool: ...

    def register(self, library: str, key: str | None = None) -> None:
        """Note that a library (its location, no password) keeps files here, once per
        `key` (the library however it is reached: a URL without its user)."""
        ...

    def unregister(self, key: str) -> None: ...

    def libraries(self) -> list[str]:
        """The libraries that keep files here (for `files --prune`)."""
        ...

    def blobs(self) -> Iterator[tuple[str, str]]: ...


def open_file_store(
    location: str, *, cache: Path, endpoint: str | None = None, max_bytes: int | None = None
) -> FileStore:
    """The store at `location`: a directory, or a URL (`s3://bucket/prefix`) that fsspec
    knows; `cache` holds what a bucket's blobs need on this machine (`open`)."""
    from papertrail.files.store import DEFAULT_MAX_BYTES, LocalStore

    limit = max_bytes or DEFAULT_MAX_BYTES
    if "://" not in location:
        return LocalStore(Path(location).expanduser(), max_bytes=limit)
    from papertrail.files.remote import FsspecStore  # fsspec and s3fs: only for a bucket

    options = {"endpoint_url": endpoint} if endpoint else {}
    return FsspecStore(location, cache=cache, storage_options=options, max_bytes=limit)

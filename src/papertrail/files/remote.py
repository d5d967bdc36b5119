"""The file store in an S3-compatible bucket (or any fsspec filesystem), for libraries
shared through PostgreSQL: `files = s3://bucket/prefix` in the settings.

    store = FsspecStore("s3://papers/lab", cache=cache_dir / "files",
                        storage_options={"endpoint_url": "http://127.0.0.1:9000"})

Same layout and interface as LocalStore: PREFIX/ab/abcdef....pdf. A put streams into a
local temporary file first (hashing, size cap and PDF check, as LocalStore), then uploads
it under its hash unless the bucket has it already. An S3 PUT is atomic (the object
appears whole or not at all), so no temporary object is needed in the bucket. `open REF`
needs a local file: local_path downloads into the cache once and checks the hash.

fsspec and s3fs (with aiobotocore, botocore, aiohttp: ~0.5 s to import) are imported only
when a store is made, so no other command pays for them. Credentials come the usual AWS
ways (environment, ~/.aws, instance role) or from storage_options.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from papertrail.errors import FileRejected, FileStoreError
from papertrail.files.store import (
    _HASH,
    DEFAULT_MAX_BYTES,
    LIBRARIES,
    library_entry,
    read_chunks,
    receive,
)
from papertrail.model.files import StoredFile, blob_name


class FsspecStore:
    def __init__(
        self,
        url: str,
        *,
        cache: Path,
        storage_options: Mapping[str, Any] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        try:
            import fsspec
        except ImportError:
            raise FileStoreError(
                f"a file store at {url} needs s3fs: pip install 'papertrail[s3]'"
            ) from None
        options = {"use_listings_cache": False, **(storage_options or {})}
        try:
            self.fs, root = fsspec.core.url_to_fs(url, **options)
        except (ImportError, ValueError) as exc:
            raise FileStoreError(f"cannot use the file store {url}: {exc}") from None
        self.url = url
        self.location = url
        self.root = root.rstrip("/")
        self.cache = cache
        self.max_bytes = max_bytes

    def blob_path(self, sha256: str, suffix: str = ".pdf") -> Path | None:
        """None: a bucket's blobs have no path on this machine (`local_path` fetches one)."""
        return None

    def put_bytes(
        self, data: bytes, *, require_pdf: bool = True, suffix: str = ".pdf"
    ) -> StoredFile:
        return self.put_stream([data], require_pdf=require_pdf, suffix=suffix)

    def key(self, sha256: str, suffix: str = ".pdf") -> str:
        return f"{self.root}/{blob_name(sha256, suffix)}"

    def put(self, source: Path, *, require_pdf: bool = True, suffix: str = ".pdf") -> StoredFile:
        try:
            with source.open("rb") as handle:
                return self.put_stream(read_chunks(handle), require_pdf=require_pdf, suffix=suffix)
        except FileNotFoundError:
            raise FileRejected(f"no such file: {source}") from None

    def put_stream(
        self, chunks: Iterable[bytes], *, require_pdf: bool = True, suffix: str = ".pdf"
    ) -> StoredFile:
        incoming = receive(
            chunks, self.cache / "tmp", max_bytes=self.max_bytes, require_pdf=require_pdf
        )
        try:
            key = self.key(incoming.sha256, suffix)
            if self._call(self.fs.exists, key):
                return StoredFile(incoming.sha256, incoming.size, suffix, created=False)
            self._call(self.fs.put_file, str(incoming.path), key)
            return StoredFile(incoming.sha256, incoming.size, suffix, created=True)
        finally:
            incoming.path.unlink(missing_ok=True)

    def exists(self, sha256: str, suffix: str = ".pdf") -> bool:
        return bool(self._call(self.fs.exists, self.key(sha256, suffix)))

    def register(self, library: str, key: str | None = None) -> None:
        """Note that `library` keeps files here (as LocalStore.register)."""
        entry = f"{self.root}/{LIBRARIES}/{library_entry(key or library)}"
        if not self._call(self.fs.exists, entry):
            self._call(self.fs.pipe_file, entry, (library + "\n").encode("utf-8"))

    def unregister(self, library: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._call(self.fs.rm_file, f"{self.root}/{LIBRARIES}/{library_entry(library)}")

    def libraries(self) -> list[str]:
        try:
            keys = self._call(self.fs.find, f"{self.root}/{LIBRARIES}")
        except FileNotFoundError:
            return []
        found = [self._call(self.fs.cat_file, key).decode("utf-8", "replace") for key in keys]
        return [name.strip() for name in found if name.strip()]

    def open(self, sha256: str, suffix: str = ".pdf") -> BinaryIO:
        try:
            return self._call(self.fs.open, self.key(sha256, suffix), "rb")
        except FileNotFoundError:
            raise FileStoreError(f"file {sha256[:12]}... is missing from {self.url}") from None

    def local_path(self, sha256: str, suffix: str = ".pdf") -> Path:
        """The blob downloaded into the cache (once), its hash checked."""
        target = self.cache / blob_name(sha256, suffix)
        if target.is_file():
            return target
        with self.open(sha256, suffix) as remote:
            incoming = receive(
                read_chunks(remote), self.cache / "tmp", max_bytes=self.max_bytes,
                require_pdf=False,
            )  # fmt: skip
        try:
            if incoming.sha256 != sha256:
                raise FileStoreError(f"file {sha256[:12]}... in {self.url} is damaged (hash)")
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(incoming.path, 0o444)
            os.replace(incoming.path, target)
        finally:
            incoming.path.unlink(missing_ok=True)
        return target

    def delete(self, sha256: str, suffix: str = ".pdf") -> bool:
        """Remove a blob; False if it was not there (S3's DELETE says 204 either way)."""
        key = self.key(sha256, suffix)
        if not self._call(self.fs.exists, key):
            return False
        try:
            self._call(self.fs.rm_file, key)
        except FileNotFoundError:
            return False
        (self.cache / blob_name(sha256, suffix)).unlink(missing_ok=True)
        return True

    def blobs(self) -> Iterator[tuple[str, str]]:
        try:
            names = self._call(self.fs.find, self.root)
        except FileNotFoundError:
            return
        for name in sorted(names):
            base = name.rsplit("/", 1)[-1]
            sha256, suffix = base[:64], base[64:]
            if _HASH.fullmatch(sha256):
                yield sha256, suffix

    def verify(self, sha256: str, suffix: str = ".pdf") -> bool:
        digest = hashlib.sha256()
        with self.open(sha256, suffix) as handle:
            for chunk in read_chunks(handle):
                digest.update(chunk)
        return digest.hexdigest() == sha256

    def _call(self, function: Any, *args: Any) -> Any:
        """Run an fsspec call; its transport and permission errors as FileStoreError."""
        try:
            return function(*args)
        except FileNotFoundError:
            raise
        except Exception as exc:  # botocore's EndpointConnectionError, NoCredentialsError...
            raise FileStoreError(f"file store {self.url}: {_one_line(exc)}") from None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]

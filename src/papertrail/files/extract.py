"""Per-page text of PDF files, read in worker processes with a time and a memory bound.

    with ExtractPool(workers=2) as pool:
        for path, result in pool.map(paths):        # in the order given
            if isinstance(result, Unreadable): print(path, result.message)
            else: index(result.pages)

Why workers: PDFium is C++; a hostile file can crash it (it aborts on a failed
allocation), exhaust memory (a decompression bomb) or take minutes. In a child process
none of that can take papertrail down: the parent kills a worker past the wall-time
bound, the child's RLIMIT_AS turns a bomb into a failed allocation, and a dead worker is
replaced and the batch goes on. Each file gets an answer: PdfText, or Unreadable with a
one-line message.

Why a pool and not a process per file: starting Python and importing pypdfium2 costs
60-150 ms per process, more than reading a typical paper (15 pages, 40-60 ms): `import DIR`
of 200 PDFs at 20 PDFs/s leaves 50 ms per file. Workers are started once (lazily) and
reused; a crash or timeout costs one restart. See REPORT.md for the measurements.

Nothing is written here: the caller stores a file's pages in one transaction, so an
interrupted batch leaves each file indexed completely or not at all.

This module imports no PDF library; the worker does (python -m papertrail.files.worker).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from papertrail.errors import PapertrailError
from papertrail.model.filetypes import SNIFF_BYTES, describe_non_pdf, is_pdf
from papertrail.model.pagetext import has_text_layer
from papertrail.model.pdf_identity import HeadingLine

WORKER_MODULE = "papertrail.files.worker"
READ_CHUNK = 1 << 20
STARTUP_SECONDS = 10.0  # added to the time bound of a new worker's first file


@dataclass(frozen=True)
class Limits:
    """Bounds for reading one file."""

    seconds: float = 60.0  # wall time, from the request to the answer
    memory_mb: int = 1024  # the worker's address space (RLIMIT_AS), Python included
    max_pages: int = 5000  # pages read; the rest of a longer file is not indexed
    max_chars: int = 200_000  # characters kept per page
    max_total: int = 20_000_000  # characters in all, per file
    tasks_per_worker: int = 500  # a worker is replaced after this many files
    # OCR pages without a text layer when tesseract is installed (slow: seconds per page;
    # give `seconds` room for it).
    ocr: bool = False


@dataclass(frozen=True)
class PdfText:
    """What a readable PDF holds. `pages[i]` is page i+1's text (normalised, see
    model.pagetext); fewer pages than `page_count` when a limit stopped the reading."""

    pages: tuple[str, ...]
    page_count: int
    metadata: Mapping[str, str] = field(default_factory=dict)
    lines: tuple[HeadingLine, ...] = ()  # page 1's first lines, for the title
    ocr_pages: tuple[int, ...] = ()  # 1-based numbers of the pages whose text is OCR's

    @property
    def text_pages(self) -> int:
        """How many pages have text (a text layer, or OCR's)."""
        return sum(has_text_layer(page) for page in self.pages)

    @property
    def searchable(self) -> bool:
        """Whether any page has a text layer (a scan has none: OCR would be needed)."""
        return self.text_pages > 0

    @property
    def complete(self) -> bool:
        return len(self.pages) == self.page_count


@dataclass(frozen=True)
class Unreadable:
    """A file that gave no text; `message` is one line, for the user."""

    message: str


Extraction = PdfText | Unreadable


class PdfSupportMissing(PapertrailError):
    def __init__(self) -> None:
        super().__init__("PDF support is not installed: pip install pypdfium2")


def extract_pdf(path: Path, limits: Limits | None = None) -> Extraction:
    """One file, in a worker started for it (use ExtractPool for many)."""
    with ExtractPool(workers=1, limits=limits) as pool:
        return pool.extract(path)


class ExtractPool:
    """Up to `workers` worker processes, started when first needed, reused across files."""

    def __init__(
        self,
        workers: int = 1,
        limits: Limits | None = None,
        *,
        python: str = sys.executable,
        env: Mapping[str, str] | None = None,
    ) -> None:
        if importlib.util.find_spec("pypdfium2") is None:
            raise PdfSupportMissing()
        self.workers = max(1, workers)
        self.limits = limits or Limits()
        # -P: the current directory is not put on sys.path (a ./papertrail or ./pypdfium2
        # there must not shadow the installed ones).
        self._command = [
            python, "-P", "-m", WORKER_MODULE, "--memory-mb", str(self.limits.memory_mb)
        ]  # fmt: skip
        self._env = worker_env(os.environ if env is None else env)
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self.started = 0  # workers started so far (for tests and benchmarks)

    def __enter__(self) -> ExtractPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop every worker (those busy are killed)."""
        for worker in list(self._all):
            worker.stop()
        self._all.clear()
        self._idle.clear()

    def extract(self, path: Path) -> Extraction:
        return next(self.map([path]))[1]

    def map(self, paths: Iterable[Path]) -> Iterator[tuple[Path, Extraction]]:
        """(path, result) for every path, in the order given, up to `workers` at once."""
        queue = deque(enumerate(Path(p) for p in paths))
        done: dict[int, tuple[Path, Extraction]] = {}
        busy: dict[_Worker, tuple[int, Path, float]] = {}
        next_out = 0
        while queue or busy:
            while queue and len(busy) < self.workers:
                index, path = queue.popleft()
                early = precheck(path)
                if early is not None:
                    done[index] = (path, early)
                    continue
                worker, failure = self._start_task(path)
                if worker is None:
                    done[index] = (path, Unreadable(failure))
                    continue
                # A new worker's first file also waits for Python and PDFium to load.
                allowance = STARTUP_SECONDS if worker.tasks == 1 else 0.0
                busy[worker] = (index, path, time.monotonic() + self.limits.seconds + allowance)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            if busy:
                self._wait(busy, done)
        while next_out in done:
            yield done.pop(next_out)
            next_out += 1

    # ------------------------------------------------------------------ workers

    def _start_task(self, path: Path) -> tuple[_Worker | None, str]:
        """A worker that has been sent `path`, or (None, why not)."""
        request = {
            "path": str(path.resolve()),
            "max_pages": self.limits.max_pages,
            "max_chars": self.limits.max_chars,
            "max_total": self.limits.max_total,
            "ocr": self.limits.ocr,
            "cpu_seconds": self.limits.seconds + 5,
        }
        for _ in range(2):  # an idle worker may have died since its last file: one retry
            worker = self._idle.pop() if self._idle else self._spawn()
            if worker is None:
                return None, "the PDF worker could not be started"
            if worker.send(request):
                return worker, ""
            self._discard(worker)
        return None, "the PDF worker could not be started"

    def _spawn(self) -> _Worker | None:
        try:
            worker = _Worker(self._command, self._env)
        except OSError:
            return None
        self._all.add(worker)
        self.started += 1
        return worker

    def _discard(self, worker: _Worker) -> None:
        worker.stop()
        self._all.discard(worker)

    def _release(self, worker: _Worker) -> None:
        if worker.tasks >= self.limits.tasks_per_worker:
            self._discard(worker)
        else:
            self._idle.append(worker)

    def _wait(
        self,
        busy: dict[_Worker, tuple[int, Path, float]],
        done: dict[int, tuple[Path, Extraction]],
    ) -> None:
        """Wait for an answer or the nearest deadline; settle what is settled."""
        now = time.monotonic()
        timeout = max(0.0, min(deadline for _, _, deadline in busy.values()) - now)
        try:
            ready, _, _ = select.select(list(busy), [], [], timeout)
        except InterruptedError:  # pragma: no cover (PEP 475 retries select)
            ready = []
        for worker in ready:
            reply = worker.receive()
            if reply is _PENDING:
                continue
            index, path, _ = busy.pop(worker)
            if reply is _DEAD:
                done[index] = (path, Unreadable(self._death_message(worker)))
                self._discard(worker)
            else:
                done[index] = (path, to_extraction(reply))
                self._release(worker)
        now = time.monotonic()
        for worker, (index, path, deadline) in list(busy.items()):
            if now >= deadline:
                del busy[worker]
                self._discard(worker)
                seconds = f"{self.limits.seconds:g}"
                done[index] = (
                    path,
                    Unreadable(f"gave up after {seconds} s (reading took too long)"),
                )

    def _death_message(self, worker: _Worker) -> str:
        code = worker.wait_exit()
        if code is not None and code < 0:
            name = _signal_name(-code)
            if -code in (signal.SIGABRT, signal.SIGKILL):
                return (
                    f"the PDF reader crashed ({name}): damaged file, or it needed more than "
                    f"{self.limits.memory_mb} MB"
                )
            if -code == signal.SIGXCPU:
                return f"gave up after {self.limits.seconds:g} s of CPU (reading took too long)"
            return f"the PDF reader crashed on it ({name})"
        return f"the PDF worker stopped unexpectedly (exit status {code})"


def precheck(path: Path) -> Unreadable | None:
    """What can be said without a worker: missing, unreadable, empty, not a PDF."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except IsADirectoryError:
        return Unreadable("is a directory")
    except OSError as exc:
        return Unreadable(f"cannot read it ({exc.strerror or exc})")
    if not is_pdf(head):
        return Unreadable(f"not a PDF: {describe_non_pdf(head)}")
    return None


def to_extraction(reply: Mapping[str, Any]) -> Extraction:
    """The worker's JSON answer as PdfText or Unreadable."""
    if not reply.get("ok"):
        return Unreadable(str(reply.get("error") or "the PDF could not be read"))
    try:
        return PdfText(
            pages=tuple(str(p) for p in reply["pages"]),
            page_count=int(reply["page_count"]),
            metadata={str(k): str(v) for k, v in reply.get("metadata", {}).items()},
            lines=tuple(
                HeadingLine(str(t), float(s), None if top is None else float(top), bool(up))
                for t, s, top, up in reply.get("lines", [])
            ),
            ocr_pages=tuple(int(n) for n in reply.get("ocr_pages", [])),
        )
    except (KeyError, TypeError, ValueError):
        return Unreadable("the PDF worker sent an unreadable answer")


def worker_env(base: Mapping[str, str]) -> dict[str, str]:
    """`base` with the directory papertrail is imported from first on PYTHONPATH, so that the
    worker runs this same code (a source checkout, a test run) whatever the environment."""
    import papertrail  # where this papertrail is installed (not a cycle: the package root)

    root = str(Path(papertrail.__file__).resolve().parent.parent)
    env = dict(base)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != root]
    env["PYTHONPATH"] = os.pathsep.join([root, *paths])
    return env


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


_PENDING = object()
_DEAD = object()


class _Worker:
    """One child process and its half-read answer."""

    def __init__(self, command: list[str], env: Mapping[str, str]) -> None:
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=dict(env),
            close_fds=True,
        )
        self._buffer = bytearray()
        self.tasks = 0

    def fileno(self) -> int:
        assert self.process.stdout is not None
        return self.process.stdout.fileno()

    def send(self, request: Mapping[str, Any]) -> bool:
        """Whether the request reached the worker (False: it has died)."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            self.process.stdin.flush()
        except OSError:
            return False
        self.tasks += 1
        return True

    def receive(self) -> Any:
        """The answer (a dict) once complete, _PENDING while partial, _DEAD at end of file."""
        try:
            chunk = os.read(self.fileno(), READ_CHUNK)
        except OSError:
            return _DEAD
        if not chunk:
            return _DEAD
        self._buffer += chunk
        end = self._buffer.find(b"\n")
        if end < 0:
            return _PENDING
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        try:
            reply = json.loads(line)
        except ValueError:
            return {"ok": False, "error": "the PDF worker sent an unreadable answer"}
        return reply if isinstance(reply, dict) else {"ok": False}

    def wait_exit(self, timeout: float = 5.0) -> int | None:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def stop(self) -> None:
        """Kill the process (idempotent) and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

"""The extraction worker: a child process that reads PDFs for the parent (extract.py).

    python -m papertrail.files.worker --memory-mb 1024

Protocol: one JSON request per line on stdin ({"path", "max_pages", "max_chars",
"max_total", "ocr", "cpu_seconds"}), one JSON answer per line on the protocol pipe (the
original stdout; fd 1 is pointed at stderr so that nothing a library prints can corrupt
the stream):
{"ok": true, ...read_pdf's fields} or {"ok": false, "error": "one line"}.

Bounds set here, inside the child, before PDFium is loaded:
- RLIMIT_AS (address space): a decompression bomb fails its allocation instead of taking
  the machine's memory. PDFium aborts the process when an allocation fails (SIGABRT): the
  parent sees the death and reports the file; Python-side MemoryError is answered here.
- RLIMIT_CORE 0: a crash leaves no core file behind.
- RLIMIT_CPU, raised before each request to (CPU used so far + the request's budget): a
  worker whose parent has gone (and so will never kill it) cannot spin forever.
The parent enforces the wall-time bound; it kills the worker when a file takes too long.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import signal
import sys
from typing import IO, Any


def set_limits(memory_mb: int) -> None:
    """Address-space and core-file limits for this process (where the OS has them)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_mb > 0 and hasattr(resource, "RLIMIT_AS"):
        limit = memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def allow_cpu(seconds: float) -> None:
    """Let this process use `seconds` more CPU time from now, then SIGXCPU ends it."""
    if seconds <= 0:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(used + seconds) + 1
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def answer(request: dict[str, Any]) -> dict[str, Any]:
    """Read the PDF a request names; never raises."""
    from papertrail.files.reader import ReadFailure, read_pdf  # after the limits are set

    allow_cpu(float(request.get("cpu_seconds", 0)))
    try:
        result = read_pdf(
            request["path"],
            max_pages=int(request.get("max_pages", 5000)),
            max_chars=int(request.get("max_chars", 200_000)),
            max_total=int(request.get("max_total", 20_000_000)),
            ocr=bool(request.get("ocr", False)),
        )
    except ReadFailure as exc:
        return {"ok": False, "error": str(exc)}
    except MemoryError:
        return {"ok": False, "error": "reading it needs more memory than allowed", "oom": True}
    except OSError as exc:
        return {"ok": False, "error": f"cannot read the file ({exc.strerror or exc})"}
    except Exception as exc:  # a library bug on a strange file: report it, keep serving
        return {"ok": False, "error": f"PDF reader error ({type(exc).__name__}: {exc})"[:200]}
    return {"ok": True, **result}


def serve(requests: IO[str], replies: IO[bytes]) -> None:
    for line in requests:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except ValueError:
            reply: dict[str, Any] = {"ok": False, "error": "bad request to the PDF worker"}
        else:
            reply = answer(request)
        replies.write(json.dumps(reply, ensure_ascii=False).encode("utf-8") + b"\n")
        replies.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="papertrail.files.worker")
    parser.add_argument("--memory-mb", type=int, default=1024)
    options = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints go to stderr
    set_limits(options.memory_mb)
    import pypdfium2  # noqa: F401  (loaded once, before the first request)

    with contextlib.suppress(BrokenPipeError):  # the parent has gone
        serve(sys.stdin, replies)


if __name__ == "__main__":
    main()

"""Spacing between the requests papertrail sends to one service, kept across processes.

Each service has a stamp file (in the user cache directory) holding the time at which
the latest request was scheduled to start. A process that wants to send takes an
exclusive flock on the file only long enough to read the stamp and write its own
reservation (the stamp + the service's delay), releases it, and then sleeps until its
slot. The lock is never held while sleeping or while waiting on the network, so a
server that hangs one process cannot hang the others: they queue behind it by time,
not by lock.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

# A stamp further ahead than this is a clock that jumped backwards (or garbage): it is
# ignored rather than waited for. No realistic queue of papertrail processes is longer.
MAX_QUEUE_SECONDS = 300.0


class Spacing:
    """Start times at least `delay` seconds apart, in this process and (with a stamp
    file) in every process using the same file. Wall-clock time, because monotonic
    clocks are not comparable between processes."""

    def __init__(
        self,
        delay: float,
        stamp_file: Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay = max(0.0, delay)
        self.stamp_file = stamp_file
        self._sleep = sleep
        self._last: float = 0.0  # when this process's latest request started

    def wait_turn(self) -> None:
        """Reserve the next free slot, then sleep (holding no lock) until it comes."""
        slot = self._reserve()
        wait = slot - time.time()
        if wait > 0:
            self._sleep(wait)
        self._last = time.time()  # when this process's request really starts

    def _reserve(self) -> float:
        with self._locked_stamp() as handle:
            now = time.time()
            last = max(self._last, _read_stamp(handle))
            if last > now + self.delay + MAX_QUEUE_SECONDS:
                last = 0.0
            slot = max(now, last + self.delay) if last else now
            _write_stamp(handle, slot)
        return slot

    @contextmanager
    def _locked_stamp(self) -> Iterator[IO[str] | None]:
        """The stamp file, opened and exclusively locked; None if it cannot be used
        (the in-process spacing still holds)."""
        handle = _open_locked(self.stamp_file) if self.stamp_file is not None else None
        try:
            yield handle
        finally:
            if handle is not None:
                handle.close()  # closing releases the flock


def _open_locked(path: Path) -> IO[str] | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        handle = os.fdopen(fd, "r+", encoding="ascii")
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
    except OSError:
        handle.close()
        return None
    return handle


def _read_stamp(handle: IO[str] | None) -> float:
    if handle is None:
        return 0.0
    try:
        handle.seek(0)
        return float(handle.read().strip() or 0.0)
    except (OSError, ValueError):
        return 0.0


def _write_stamp(handle: IO[str] | None, stamp: float) -> None:
    if handle is None:
        return
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"{stamp:.6f}\n")
        handle.flush()
    except OSError:
        pass  # the in-process spacing still holds

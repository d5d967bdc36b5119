"""A client-side deadline for every call to a PostgreSQL server.

The server bounds itself (statement_timeout, lock_timeout) and the kernel bounds a dead
peer (keepalives); neither helps when the server process is frozen (stopped, swapped out,
wedged) while its kernel still answers: the call would wait for ever. A watchdog thread
per connection watches the call in progress; past the deadline it asks the server to
cancel (bounded), then shuts the socket down, so the waiting call fails at once and the
command ends with one line that names the limit.
"""

from __future__ import annotations

import socket
import threading
import time
from contextlib import suppress
from typing import Any


class Watchdog:
    """Arm before each call, disarm after: one thread per connection, started on first use,
    woken only when a call begins."""

    def __init__(self, connection: Any, seconds: float) -> None:
        self.connection = connection
        self.seconds = seconds
        self.fired = False
        self._until: float | None = None
        self._closed = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self) -> None:
        with self._changed:
            self._until = time.monotonic() + self.seconds
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, daemon=True)
                self._thread.start()
            self._changed.notify()

    def disarm(self) -> None:
        self._until = None  # the thread sees it when it next wakes: no need to wake it

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify()

    @property
    def message(self) -> str:
        return (
            f"the server sent no answer within {self.seconds:g} s (papertrail's own deadline, "
            "past the server's statement_timeout and PAPERTRAIL_DB_TIMEOUT): is it frozen?"
        )

    def _watch(self) -> None:
        with self._changed:
            while not self._closed:
                until = self._until
                if until is None:
                    self._changed.wait()
                elif time.monotonic() >= until:
                    self._give_up()
                    return
                else:
                    self._changed.wait(until - time.monotonic())

    def _give_up(self) -> None:
        self.fired = True
        # Any failure to cancel (a frozen server never replies): the socket goes anyway.
        with suppress(Exception):
            self.connection.cancel_safe(timeout=2)
        with suppress(OSError, ValueError, AttributeError):
            fd = self.connection.pgconn.socket
            with socket.socket(fileno=socket.dup(fd)) as copy:
                copy.shutdown(socket.SHUT_RDWR)  # the waiting call wakes with an error

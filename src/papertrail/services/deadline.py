"""A hard deadline for one HTTP attempt.

httpx's timeouts apply to each network operation: a server that sends one byte every
few seconds never trips a read timeout, and would keep papertrail waiting for ever. The
deadline is a timer that, when it fires, shuts the attempt's socket down; the blocked
read then returns at once and httpx raises, which the caller reports as a timeout.

The socket is learnt through httpcore's documented `trace` request extension (the
stream returned by `connect_tcp` and, for https, `start_tls`). Connections are not
kept alive between attempts (see http.py), so every attempt has its own socket.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType
from typing import Any


class Deadline:
    """Use as `with Deadline(seconds) as deadline:` and pass `deadline.trace` as the
    request's "trace" extension. `expired` tells afterwards whether it fired."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._timer.cancel()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace callback: remember the socket of each new connection."""
        if not event.endswith((".connect_tcp.complete", ".start_tls.complete")):
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._socket = sock
            if self.expired:  # the connection came up after the deadline
                _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            if self._socket is not None:
                _shut(self._socket)


def _shut(sock: socket.socket) -> None:
    """Wake whoever is blocked reading or writing this socket."""
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)

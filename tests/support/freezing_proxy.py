"""A TCP proxy on 127.0.0.1 that passes a PostgreSQL connection through, then freezes: once
the client sends `trigger`, nothing more is passed either way, and the sockets stay open
(a server stopped with SIGSTOP, whose kernel still holds the connection)."""

from __future__ import annotations

import selectors
import socket
import threading
from types import TracebackType


class FreezingProxy:
    def __init__(self, host: str, port: int, trigger: bytes) -> None:
        self.target = (host, port)
        self.trigger = trigger
        self.frozen = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._stop = threading.Event()
        self._sockets: list[socket.socket] = [self.listener]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> FreezingProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for sock in self._sockets:
            sock.close()

    def _serve(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self.listener, selectors.EVENT_READ, None)
        while not self._stop.is_set():
            for key, _ in selector.select(timeout=0.1):
                if key.data is None:
                    client, _ = self.listener.accept()
                    server = socket.create_connection(self.target)
                    self._sockets += [client, server]
                    selector.register(client, selectors.EVENT_READ, (server, True))
                    selector.register(server, selectors.EVENT_READ, (client, False))
                elif not self.frozen.is_set():
                    self._pass(key.fileobj, *key.data, selector)  # type: ignore[arg-type]

    def _pass(
        self, source: socket.socket, sink: socket.socket, from_client: bool,
        selector: selectors.BaseSelector,
    ) -> None:  # fmt: skip
        data = source.recv(65536)
        if not data:
            selector.unregister(source)
            return
        if from_client and self.trigger in data:
            self.frozen.set()  # this and everything after it stays here
            return
        sink.sendall(data)

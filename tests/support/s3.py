"""moto's S3 server on 127.0.0.1, standing in for a bucket a reading group shares
(`files = s3://bucket/prefix`). One server per test process; each test its own bucket."""

from __future__ import annotations

import itertools
import socket
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

_buckets = itertools.count()


@dataclass
class S3Server:
    endpoint: str

    def new_bucket(self) -> str:
        import fsspec

        name = f"papers-{next(_buckets)}"
        fsspec.filesystem("s3", endpoint_url=self.endpoint, skip_instance_cache=True).mkdir(name)
        return name


def start_s3_server() -> Iterator[S3Server]:
    """Start moto's server (skip when moto or s3fs are not installed)."""
    pytest.importorskip("s3fs")
    moto_server = pytest.importorskip("moto.server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield S3Server(f"http://127.0.0.1:{port}")
    finally:
        server.stop()

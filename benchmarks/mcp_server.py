"""`papertrail mcp` as a client meets it: from spawning the server to its first answer, the
round trip of each tool, and the exit once the client closes stdin.

    python benchmarks/mcp_server.py                      # a synthetic library of 10,000 papers
    python benchmarks/mcp_server.py --size 1000 --calls 50
    python benchmarks/mcp_server.py --db postgresql+psycopg://me@localhost/papers

Needs the MCP SDK (`pip install -e '.[mcp]'`, or the test extra): it talks to the server
with the SDK's own stdio client. Prints medians in milliseconds; writes nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio
from common import DEFAULT_SEED
from libraries import library_file
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from processes import papertrail_command, process_env

CALLS = [
    ("search_library", {"topic": "quantization", "limit": 20}),
    ("search_library", {"text": "network", "status": "unread", "limit": 50}),
    ("get_paper", {"paper": "17"}),
    ("reading_queue", {}),
    ("what_next", {"count": 5}),
    ("topics", {}),
    ("history", {"limit": 20}),
]


async def session(db: str, calls: int, home: Path) -> dict[str, Any]:
    command = papertrail_command()
    params = StdioServerParameters(
        command=command[0], args=[*command[1:], "mcp"],
        env=process_env(home, extra={"PAPERTRAIL_DB": db}),
    )  # fmt: skip
    figures: dict[str, Any] = {}
    spawned = time.perf_counter()
    async with stdio_client(params) as streams, ClientSession(*streams) as client:
        await client.initialize()
        figures["first answer (spawn + initialize)"] = [time.perf_counter() - spawned]
        for name, arguments in CALLS:
            times = []
            for _ in range(calls):
                started = time.perf_counter()
                result = await client.call_tool(name, arguments)
                times.append(time.perf_counter() - started)
                assert not result.is_error, result.content[0].text
            figures[f"{name} {arguments}"] = times
        closing = time.perf_counter()
    figures["exit after stdin closes"] = [time.perf_counter() - closing]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="papers in the library")
    parser.add_argument("--calls", type=int, default=20, help="calls of each tool")
    parser.add_argument("--db", help="a library of yours (e.g. a PostgreSQL URL) instead")
    options = parser.parse_args()
    db = options.db or str(library_file(options.size, DEFAULT_SEED)[0])
    with tempfile.TemporaryDirectory() as home:
        figures = anyio.run(session, db, options.calls, Path(home))
    label = "the given library" if options.db else f"{options.size:,} papers (SQLite)"
    print(f"papertrail mcp on {label}, median of {options.calls} calls, ms")
    for what, times in figures.items():
        print(f"  {statistics.median(times) * 1000:8.1f}  {what}")


if __name__ == "__main__":
    main()

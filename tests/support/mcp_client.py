"""`papertrail mcp` as an MCP client meets it: a subprocess on stdio, the SDK's own client,
and a library the CLI (in-process) works on beside it.

The tests are plain functions: `McpServer` runs the SDK's async client (`stdio_client` and
`ClientSession`) in an anyio blocking portal, an event loop on a thread of its own, so one
server process can serve every test of a module (starting one costs a second or two on a
busy machine, most of it the SDK's import).

The client passes the server only HOME, PATH, USER... of this environment: the library,
offline mode and the services' addresses are given explicitly (`Library.env`), as a user
gives them in a client's settings.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from anyio.from_thread import BlockingPortal, start_blocking_portal
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from tests.support.cli import run

# Never the real services: a closed local port (tests/conftest.py does the same).
UNREACHABLE = "http://127.0.0.1:9/unreachable"


class Library:
    """A library of its own for a test module, and the CLI on it."""

    def __init__(self, db: str, home: Path) -> None:
        self.db = db
        self.env: dict[str, str | None] = {
            "PAPERTRAIL_DB": db, "PAPERTRAIL_OFFLINE": "1", "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_CONFIG_HOME": str(home / "config"), "PAPERTRAIL_ARXIV_DELAY": "0",
            "PAPERTRAIL_SERVICES_DELAY": "0", "PAPERTRAIL_ARXIV_API": UNREACHABLE,
            "PAPERTRAIL_CROSSREF_API": UNREACHABLE, "PAPERTRAIL_S2_API": UNREACHABLE,
            "PAPERTRAIL_DBLP_API": UNREACHABLE, "PAPERTRAIL_OPENALEX_API": UNREACHABLE,
        }  # fmt: skip

    def run(self, *args: str) -> Any:
        """The CLI on this library; the result has .exit_code, .stdout and .stderr."""
        return run(*args, env=self.env)

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return str(result.stdout)

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json"))

    def server_env(self) -> dict[str, str]:
        return {name: value for name, value in self.env.items() if value is not None}


class McpServer:
    """A `papertrail mcp` process and a client session on it, with blocking calls."""

    def __init__(self, portal: BlockingPortal, session: ClientSession, stderr: Path) -> None:
        self.portal = portal
        self.session = session
        self.stderr = stderr  # where the server's stderr goes

    def stderr_text(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")

    def call(self, name: str, arguments: dict[str, Any] | None = None) -> Any:
        """The CallToolResult (the SDK's client has checked its structured content
        against the tool's output schema)."""
        return self.portal.call(self.session.call_tool, name, arguments or {})

    def ok(self, name: str, **arguments: Any) -> dict[str, Any]:
        """A successful call's structured content, which is also its text."""
        result = self.call(name, arguments)
        assert not result.is_error, text_of(result)
        assert json.loads(text_of(result)) == result.structured_content
        return dict(result.structured_content)

    def error(self, name: str, **arguments: Any) -> str:
        """A failed call's message: one line, as the CLI prints it after `Error: `."""
        result = self.call(name, arguments)
        assert result.is_error, text_of(result)[:300]
        (block,) = result.content
        assert "\n" not in block.text
        return str(block.text)

    def list_tools(self) -> Any:
        return self.portal.call(self.session.list_tools)

    def read(self, uri: str) -> Any:
        return self.portal.call(self.session.read_resource, uri)

    def templates(self) -> Any:
        return self.portal.call(self.session.list_resource_templates)

    def resources(self) -> Any:
        return self.portal.call(self.session.list_resources)

    def ping(self) -> Any:
        return self.portal.call(self.session.send_ping)


def text_of(result: Any) -> str:
    return str(result.content[0].text)


@contextmanager
def mcp_server(library: Library, *args: str, stderr: Path) -> Iterator[McpServer]:
    """`papertrail mcp ARGS` on the library, until the block ends: then the client closes
    the server's stdin and the server exits on its own."""
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "papertrail", "mcp", *args], env=library.server_env()
    )
    with start_blocking_portal() as portal, ExitStack() as stack:
        errlog = stack.enter_context(stderr.open("w", encoding="utf-8"))
        wrap = portal.wrap_async_context_manager
        streams = stack.enter_context(wrap(stdio_client(params, errlog)))
        session = stack.enter_context(wrap(ClientSession(*streams)))
        portal.call(session.initialize)
        yield McpServer(portal, session, stderr)

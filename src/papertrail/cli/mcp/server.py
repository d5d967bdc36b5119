"""The MCP server over stdio, on the SDK's low-level `Server` (mcp 2.x): imported only by
`papertrail mcp` when it serves, since the SDK (pydantic, anyio, starlette...) takes
about a second to import (start-up of every other command).

Why the low-level Server and not `MCPServer` (the former FastMCP): papertrail has its
functions and its schemas already; what it needs from the SDK is the protocol. The
low-level Server leaves three things to this module:
- error text: MCPServer answers pydantic's multi-line message quoting the rejected value;
  here an error is the one line the CLI prints;
- threads: every call runs on a worker thread, one at a time (a library is one user's,
  and the core is synchronous), so the event loop stays free for pings and cancellations;
- logging: warnings to stderr, nothing else (MCPServer sets up INFO logging with Rich).

stdout is the protocol's wire: nothing else may write to it (see `serve_stdio`).
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
from functools import partial
from typing import Any

import anyio
import anyio.to_thread
import mcp.types as types
from mcp import MCPError
from mcp.server import Server, ServerRequestContext
from mcp.server.stdio import stdio_server

from papertrail import __version__
from papertrail.cli.mcp.answers import JSON, error_message
from papertrail.cli.mcp.tools import WRITE_TOOL_NAMES, ToolSpec, run_tool, tools_for
from papertrail.config import Settings
from papertrail.errors import PapertrailError
from papertrail.model.text import bounded, one_line

logger = logging.getLogger("papertrail.mcp")

PAPER_URI = "papertrail://paper/{id}"
_PAPER_URI = re.compile(r"papertrail://paper/(?P<id>[1-9][0-9]{0,18})")

INSTRUCTIONS = (
    "papertrail is the user's library of research papers: what they read, are reading and "
    "mean to read, with topics, notes, a reading queue and the history of every change. "
    "Lists come a page at a time (pass next_offset as offset); long text is cut, and "
    "`truncated` names what was cut. "
)
READ_ONLY = "This server is read-only: no tool changes the library."
WRITABLE = (
    "The tools marked as writing change the library; each change is recorded in its "
    "history, and the user can revert it with `papertrail undo`. Ask before writing."
)


class ToolCalls:
    """Runs tool calls: arguments in, a CallToolResult out, never an exception (a failure
    is an `isError` result whose text is one line)."""

    def __init__(self, settings: Settings, tools: tuple[ToolSpec, ...]) -> None:
        self.settings = settings
        self.tools = {tool.name: tool for tool in tools}
        self._limiter: anyio.CapacityLimiter | None = None

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        """One call at a time (made in the event loop, on first use)."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(1)
        return self._limiter

    async def run(self, tool: ToolSpec, arguments: dict[str, Any] | None) -> tuple[JSON, str]:
        """The answer and its text, computed on a worker thread."""
        work = partial(run_tool, self.settings, tool, arguments)
        return await anyio.to_thread.run_sync(work, limiter=self.limiter)

    async def call(self, name: str, arguments: dict[str, Any] | None) -> types.CallToolResult:
        tool = self.tools.get(name)
        if tool is None:
            return error_result(_unknown_tool(name))
        try:
            result, text = await self.run(tool, arguments)
        except PapertrailError as error:
            return error_result(error_message(error))
        except Exception:
            # A bug, not the caller's doing: the details go to the log (stderr), not to
            # the model, and the server keeps answering.
            logger.exception("tool %s failed", tool.name)
            return error_result(f"internal error in {tool.name} (details in the server's log)")
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=text)],
            structured_content=result,
        )

    async def read_paper(self, uri: str) -> str:
        """The JSON text of papertrail://paper/{id} (get_paper's answer); MCPError -32602
        (the spec's "resource not found") when there is none."""
        match = _PAPER_URI.fullmatch(uri)
        if match is None:
            raise MCPError(types.INVALID_PARAMS, f"no such resource: {_short(uri)}")
        try:
            _, text = await self.run(self.tools["get_paper"], {"paper": match["id"]})
        except PapertrailError as error:
            raise MCPError(types.INVALID_PARAMS, error_message(error)) from None
        except Exception:
            logger.exception("reading %s failed", _short(uri))
            message = "internal error (details in the server's log)"
            raise MCPError(types.INTERNAL_ERROR, message) from None
        return text


def error_result(message: str) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=message)], is_error=True
    )


def _unknown_tool(name: str) -> str:
    if name in WRITE_TOOL_NAMES:
        return f"{name} changes the library: start the server with `papertrail mcp --allow-write`"
    return f"no tool {_short(name)!r}"


def _short(text: str, size: int = 80) -> str:
    """A name or URI a client sent, quoted in a message: one line, `size` at most."""
    return bounded(one_line(text), size)[0] or ""


def _tool(spec: ToolSpec) -> types.Tool:
    return types.Tool(
        name=spec.name,
        title=spec.title,
        description=spec.full_description,
        input_schema=spec.input_schema,
        output_schema=spec.output,
        annotations=types.ToolAnnotations(
            title=spec.title,
            read_only_hint=not spec.writes,
            destructive_hint=False,  # writes add or change, never delete; undo reverts them
            idempotent_hint=spec.idempotent,
            open_world_hint=spec.open_world,
        ),
    )


def _paper_template() -> types.ResourceTemplate:
    return types.ResourceTemplate(
        uri_template=PAPER_URI,
        name="paper",
        title="A paper in the library",
        description="Everything about one paper, as get_paper answers: metadata, note, "
        "and the start of its full text when there is one.",
        mime_type="application/json",
    )


def build_server(settings: Settings, *, allow_write: bool = False) -> Server[Any]:
    """The server: the read tools, the write tools when `allow_write`, the paper resources."""
    tools = tools_for(allow_write)
    calls = ToolCalls(settings, tools)
    listed = types.ListToolsResult(tools=[_tool(spec) for spec in tools])
    templates = types.ListResourceTemplatesResult(resource_templates=[_paper_template()])

    async def list_tools(ctx: ServerRequestContext[Any], params: Any) -> types.ListToolsResult:
        return listed

    async def call_tool(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        return await calls.call(params.name, params.arguments)

    async def list_resources(
        ctx: ServerRequestContext[Any], params: Any
    ) -> types.ListResourcesResult:
        return types.ListResourcesResult(resources=[])  # one per paper would flood a client

    async def list_templates(
        ctx: ServerRequestContext[Any], params: Any
    ) -> types.ListResourceTemplatesResult:
        return templates

    async def read_resource(
        ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        text = await calls.read_paper(params.uri)
        contents = types.TextResourceContents(
            uri=params.uri, text=text, mime_type="application/json"
        )
        return types.ReadResourceResult(contents=[contents])

    return Server(
        "papertrail", version=__version__, title="papertrail",
        instructions=INSTRUCTIONS + (WRITABLE if allow_write else READ_ONLY),
        on_list_tools=list_tools, on_call_tool=call_tool, on_list_resources=list_resources,
        on_list_resource_templates=list_templates, on_read_resource=read_resource,
    )  # fmt: skip


async def serve_stdio(server: Server[Any]) -> None:
    """Answer one client on stdin and stdout until it closes stdin.

    The SDK moves the wire to a descriptor of its own and points fd 1 at stderr while it
    serves; but Python's `sys.stdout` buffers, and text printed into it during the
    session would be flushed at exit, when fd 1 is the wire again, and reach the client
    as a broken message. So `sys.stdout` is stderr for as long as the session lasts.
    """
    sys.stdout.flush()
    async with stdio_server() as (read_stream, write_stream):
        with contextlib.redirect_stdout(sys.stderr):
            await server.run(read_stream, write_stream, server.create_initialization_options())


def serve(settings: Settings, *, allow_write: bool = False) -> None:
    """`papertrail mcp`: serve the library over stdio until the client goes away."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING,
                        format="papertrail mcp: %(levelname)s %(message)s")  # fmt: skip
    server = build_server(settings, allow_write=allow_write)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C on a terminal: no traceback
        anyio.run(serve_stdio, server)

"""`papertrail mcp`: the library served to AI assistants over the Model Context Protocol.

The command is here; the server (server.py, the only module that imports the MCP SDK)
is imported only when the command runs: the SDK takes about a second to import
(start-up of `papertrail mcp --help`), and it is an optional extra (`papertrail[mcp]`).
The tools (tools.py) call the core functions the other commands call (calls.py) and
answer the JSON shapes of their `--json` (answers.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from papertrail.cli.app import examples, settings
from papertrail.errors import PapertrailError

app = typer.Typer()  # this module's commands, registered in cli/commands.py

# The SDK's packages: missing, `papertrail mcp` says how to install them.
SDK_PACKAGES = frozenset({"mcp", "mcp_types", "anyio", "pydantic", "pydantic_core", "starlette"})


@app.command(
    "mcp",
    epilog=examples(
        "papertrail mcp",
        "papertrail --db ~/papers.db mcp --allow-write",
    ),
)
def mcp_command(
    ctx: typer.Context,
    allow_write: Annotated[
        bool,
        typer.Option(
            "--allow-write",
            help="Also offer the tools that change the library (add_paper, mark_read, "
            "add_note, tag, queue); each change is in `papertrail log`, and "
            "`papertrail undo` reverts it.",
        ),
    ] = False,
) -> None:
    """Serve the library to AI assistants over MCP (stdio), for an MCP client to start;
    read-only unless --allow-write."""
    from papertrail.db.opening import open_store  # the database: only once arguments parse

    config = settings(ctx)
    # Fail as a command does, before the protocol starts: no library there, or one a newer
    # papertrail wrote, is one `Error: ...` line and exit code 4, which clients log.
    open_store(config.db, create=False).close()
    serve = _server()
    serve(config, allow_write=allow_write)


def _server() -> Callable[..., None]:
    """server.serve, or how to install the SDK it needs."""
    try:
        from papertrail.cli.mcp.server import serve  # the SDK: only to serve (start-up)
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] in SDK_PACKAGES:
            raise PapertrailError(
                "papertrail mcp needs the MCP SDK: pip install 'papertrail[mcp]'"
            ) from None
        raise
    return serve

"""`papertrail db`: schema revision, upgrades, and copying a library between databases."""

from __future__ import annotations

from typing import Annotated

import typer

from papertrail.cli.app import examples, settings, warn
from papertrail.db import opening as schema
from papertrail.db.copy import copy_library
from papertrail.errors import UsageError
from papertrail.model.text import one_line

app = typer.Typer()  # this module's commands, registered in cli/commands.py
db_app = typer.Typer(
    help="The database: schema status, upgrades, copies.",
    epilog=examples(
        "papertrail db status",
        "papertrail db upgrade",
        "papertrail db copy lab.db postgresql://me@host/lab",
    ),
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")


@db_app.command(
    "status",
    epilog=examples(
        "papertrail db status",
        "papertrail --db postgresql://me@host/lab db status",
    ),
)
def status(ctx: typer.Context) -> None:
    """Show where the library is, its schema revision, and whether it needs an upgrade."""
    db = settings(ctx).db
    revision = schema.peek_revision(db)
    typer.echo(f"Database: {one_line(schema.redact(db))}")
    if revision is None:
        typer.echo("Schema:   none yet (the first `add` or `import` creates the library)")
        return
    state = "up to date" if revision == schema.HEAD else "run `papertrail db upgrade`"
    if revision not in schema.REVISIONS:
        state = "newer than this papertrail: upgrade papertrail"
    typer.echo(f"Schema:   {revision} (this papertrail: {schema.HEAD}; {state})")
    if revision == schema.HEAD:
        store = schema.open_store(db)
        typer.echo(f"Papers:   {store.count_papers()}")
        store.close()


@db_app.command(
    "upgrade",
    epilog=examples(
        "papertrail db upgrade",
        "PAPERTRAIL_DB=postgresql://me@host/lab papertrail db upgrade",
    ),
)
def upgrade(ctx: typer.Context) -> None:
    """Bring the database to this papertrail's schema (a SQLite file is backed up first)."""
    db = settings(ctx).db
    before = schema.peek_revision(db)
    store = schema.open_store(db, upgrade_older=True, create=False)
    store.close()
    # Several people may run this at once: only the one whose run migrated says so.
    if store.migrated:
        typer.echo(f"Upgraded the schema from {before or 'nothing'} to {schema.HEAD}.")
    else:
        typer.echo(f"Already at schema {schema.HEAD}.")


@db_app.command(
    "copy",
    epilog=examples(
        "papertrail db copy ~/.local/share/papertrail/papertrail.db postgresql://me@host/lab",
        "papertrail db copy lab.db backup.db",
        "papertrail db copy postgresql://me@host/lab mine.db --reader ada",
        "PAPERTRAIL_FILES=s3://lab/papers papertrail db copy mine.db postgresql://me@host/lab "
        "--source-files ~/.local/share/papertrail/files",
    ),
)
def copy(
    source: Annotated[str, typer.Argument(help="The library to copy: a file or URL.")],
    target: Annotated[
        str, typer.Argument(help="Where to copy it: an empty database (file or URL).")
    ],
    reader: Annotated[
        str | None,
        typer.Option(
            "--reader",
            help="Of the lab's reading, copy only this reader's (status, dates, queue, notes, "
            "feeds, inbox, history); without it, every reader's.",
            show_default=False,
        ),
    ] = None,
    source_files: Annotated[
        str | None,
        typer.Option(
            "--source-files",
            help="Where SOURCE's files are (a directory or s3://bucket/prefix), when not "
            "where the `files` setting says: a library moving to another file store.",
            metavar="LOCATION",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Copy a whole library (papers, statuses, dates, notes, topics, files) to another
    database; the files go to the target's file store when it is another one."""
    from papertrail.core.files import copy_blobs  # the file store: only `db copy` here

    if source == target:
        raise UsageError("SOURCE and TARGET are the same database")
    src = schema.open_store(source, create=False)
    try:
        dst = schema.open_store(target)
        try:
            count = copy_library(src, dst, reader)
            blobs = copy_blobs(src, dst, source_files)
        finally:
            dst.close()
    finally:
        src.close()
    source_name, target_name = one_line(schema.redact(source)), one_line(schema.redact(target))
    files = f" and {blobs.copied} file(s)" if blobs.copied else ""
    typer.echo(f"Copied {count} paper(s){files} from {source_name} to {target_name}.")
    if blobs.missing:
        warn(
            f"{blobs.missing} file(s) are not in the source's file store "
            f"{one_line(blobs.origin)}: copied without their content (--source-files says "
            "where they are)"
        )

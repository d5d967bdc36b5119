"""Every papertrail command by name: the cli module that defines it, and its one-line help.

`papertrail --help` prints this table without importing any command module, and running a
command imports only its own module (see `LazyCommands` in cli/app.py): start-up stays
small however many commands there are.

To add a command, define it in a module of this package on that module's own Typer

    app = typer.Typer()

    @app.command("queue")
    def queue(ctx: typer.Context) -> None:
        \"\"\"Show the reading queue, next paper first.\"\"\"

and add its line below, with the first paragraph of its docstring as the help:

    "queue": ("queue", "Show the reading queue, next paper first."),

A sub-group is the same: `app.add_typer(group, name="db")` on the module's `app`, and one
line. tests/cli/test_help.py fails when a line and a command disagree or one is missing.
"""

from __future__ import annotations

# name -> (module in papertrail.cli, the command's one-line help); --help lists this order.
COMMANDS: dict[str, tuple[str, str]] = {
    "import": ("import_export", "Import reading lists; with no FILE, the seed reading lists papertrail ships with."),
    "export": ("import_export", "Export papers (REF..., or the same filters as `list`): JSON, BibTeX, biblatex, CSL-JSON, markdown, CSV."),
    "add": ("papers", "Add papers by arXiv id or URL (metadata fetched in one request), by DOI (Crossref), or one by --title."),
    "fetch": ("fetch", "Fetch arXiv metadata for papers that lack it; complete papers not on arXiv from Crossref and DBLP; with --published/--citations, ask Semantic Scholar too."),
    "list": ("papers", "List papers: a table on a terminal, tab-separated lines when piped."),
    "show": ("papers", "Everything about one paper: abstract, authors, links, topics, note, dates, files."),
    "mark-read": ("papers", "Mark papers read (records when; takes them off the queue). With no REF on a terminal, pick from a list."),
    "mark-reading": ("papers", "Mark papers as being read (records when reading started; puts them at the top of the queue)."),
    "mark-unread": ("papers", "Mark papers unread again (clears the reading dates)."),
    "queue": ("queue", "Queue papers to read (REF..., or --topic T's unread papers); with nothing, show it."),
    "next": ("queue", "What to read next: the queue first, then unread papers of the least-read topics."),
    "tag": ("topics", "Add topics to a paper (tag REF TOPIC...), or a topic to papers (tag -t TOPIC REF...)."),
    "untag": ("topics", "Remove topics from a paper (untag REF TOPIC...), or a topic from papers (-t TOPIC REF...)."),
    "note": ("papers", "Add a dated paragraph to a paper's note (what it said before stays); no TEXT shows it."),
    "edit": ("edit", "Change fields of a paper; with no option, edit them all in $VISUAL / $EDITOR."),
    "remove": ("papers", "Remove papers from the library."),
    "open": ("papers", "Open a paper's PDF (the local file when there is one), or its abstract page with --web."),
    "attach": ("files", "Attach files to a paper: PDFs first (their text read and indexed for `find`); other files are kept as attachments."),
    "detach": ("files", "Take files off a paper (the file stays stored until `files --prune`: `undo` brings it back)."),
    "find": ("files", "Search the text of the papers' PDFs: papers ranked by relevance, each with the pages that match and a snippet."),
    "files": ("files", "The papers' files (name, pages, size, searchable) and where the file store is; --prune deletes the files no paper has any more."),
    "topics": ("topics", "Each topic, its parent, its papers (sub-topics included) and how many are read."),
    "topic": ("topics", "Rename, merge, delete, move (parent) or prune topics (for every paper at once)."),
    "tags": ("topics", "Each tag (keywords imports bring: flat, beside the topics) and its papers."),
    "topic-parent": ("topics", "Deprecated: use `topic parent`."),
    "stats": ("topics", "Papers by status, the queue, progress per topic, and papers read per month."),
    "refs": ("citations", "The papers a paper cites (Semantic Scholar); # marks those in the library."),
    "cited-by": ("citations", "The papers citing a paper (Semantic Scholar); # marks those in the library."),
    "suggest": ("citations", "Papers the library is missing: references, citations and Semantic Scholar's recommendations for what one has read, ranked by the reader model."),
    "duplicates": ("duplicates", "Likely duplicate pairs: same DOI, preprint and published version, near-identical titles."),
    "merge": ("duplicates", "Merge OTHER into KEEP: topics united, notes joined, the furthest status and the earliest dates kept, identifiers combined; OTHER is removed (`undo` reverts it)."),
    "who-read": ("readers", "Who in the lab is reading or has read a paper, and the notes they share on it."),
    "privacy": ("readers", "Keep your reading out of the lab's view, or show it; with nothing, say which."),
    "log": ("history", "The history of changes to the library, newest first (every command that wrote)."),
    "undo": ("history", "Revert the last change (or every change back to ENTRY); an undo can be undone too."),
    "similar": ("similar", "The library's papers closest to a paper (tf-idf of title, abstract, authors); --inbox or --search rank fresh papers against it."),
    "search": ("search", "Search arXiv; papers already in the library show their status and topics."),
    "feed": ("inbox", "Follow arXiv categories (with keyword and author filters)."),
    "inbox": ("inbox", "Fetch today's announcements of the followed categories and list the inbox, best fit to the library first; `inbox add N` takes items, `inbox dismiss N` drops them."),
    "bib": ("bib", "Bibliography files kept up to date (link, list, unlink, sync) or made from a manuscript's citations (aux)."),
    "cite": ("cite", "Formatted references (CSL: apa, ieee, chicago-author-date...), or with --key the citation command for LaTeX/pandoc."),
    "db": ("db", "The database: schema status, upgrades, copies."),
    "mcp": ("mcp", "Serve the library to AI assistants over MCP (stdio), for an MCP client to start; read-only unless --allow-write."),
}  # fmt: skip

"""The open library: one object whose methods are every query papertrail runs.

Each table group keeps its SQL in its own module, mixed in here: papers (paper_reads.py,
papers.py), topics.py, queue.py, inbox.py, import_log.py, files.py (and fulltext.py, the
search in their pages), keys.py (keys written out), bib.py (linked bibliographies);
history.py stores what each command changed, database.py holds the connection and its
transactions; copy.py (`db copy`) works on any open library. The tables themselves are
defined once, in tables.py; opening.py opens (and creates, or migrates) a library and
returns a Store; readers.py is the lab's view of its readers (the reader itself is
resolved in database.py).
"""

from __future__ import annotations

from papertrail.db.bib import BibLinks
from papertrail.db.distinct import DistinctPairs
from papertrail.db.fetch_log import FetchLogTables
from papertrail.db.files import FileTables
from papertrail.db.fulltext import FullText
from papertrail.db.import_log import ImportLog
from papertrail.db.inbox import InboxTables
from papertrail.db.papers import PaperWrites
from papertrail.db.queue import QueueTables
from papertrail.db.ranking import RankingReads
from papertrail.db.readers import ReaderTables


class Store(
    PaperWrites, QueueTables, InboxTables, ImportLog, FileTables, FullText, RankingReads,
    ReaderTables, BibLinks, FetchLogTables, DistinctPairs,
):  # fmt: skip
    """An open library. Use `papertrail.db.opening.open_store()` to get one."""

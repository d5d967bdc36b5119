"""Errors the core raises; the CLI turns each into a one-line message and an exit code.

Exit codes (documented in README): 0 ok, 1 error, 2 usage, 3 network trouble,
4 database trouble (unreadable, locked, or written by a newer papertrail).
"""

from __future__ import annotations

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_NETWORK = 3
EXIT_DATABASE = 4


class PapertrailError(Exception):
    """Base class: anything a user can cause or fix. `str(error)` is the message shown."""

    exit_code = EXIT_ERROR


class UsageError(PapertrailError):
    exit_code = EXIT_USAGE


def shown(text: str, limit: int = 100) -> str:
    """`text` quoted for a message, at most `limit` characters: escapes (`\\U0001f600`)
    make a repr up to ten times as long as its text, so the repr itself is cut."""
    quoted = repr(text)
    return quoted if len(quoted) <= limit else quoted[: limit - 4] + "...'"


class InvalidArxivId(PapertrailError):
    """The text is not an arXiv identifier in any form papertrail knows."""

    exit_code = EXIT_USAGE

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"not an arXiv id or URL: {shown(text)}")


class NotARef(UsageError):
    """Text that names no paper in any REF form (docs/cli.md): says what to do instead."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"{shown(text)} is not a REF {_what_instead(text)}")


def _what_instead(text: str) -> str:
    stripped = text.strip()
    if stripped.lower().startswith(("http://", "https://", "www.")):
        return (
            "(a web address that names no arXiv id or DOI): to add that paper, use "
            "add --title ... --url ...; a REF is a number, an arXiv id or URL, a DOI, "
            "or a citation key"
        )
    return (
        "(a number, arXiv id or URL, DOI, or citation key): to add a paper by title, "
        "use add --title; to find it on arXiv, use search"
    )


class PaperNotFound(PapertrailError):
    def __init__(self, ref: str) -> None:
        self.ref = ref
        super().__init__(f"no paper {shown(ref)} in the library")


class TopicError(PapertrailError):
    pass


class HistoryConflict(PapertrailError):
    """An undo would overwrite a change made after the one being undone."""


class ServiceUnavailable(PapertrailError):
    """An outside service (arXiv, Crossref, Semantic Scholar, DBLP) could not be reached,
    refused the request, or did not answer usably after the allowed retries."""

    exit_code = EXIT_NETWORK


class ArxivUnavailable(ServiceUnavailable):
    """arXiv could not be reached or did not answer usably after the allowed retries."""


class StoreError(PapertrailError):
    """The database cannot be opened, read or written."""

    exit_code = EXIT_DATABASE


class ImportFormatError(PapertrailError):
    """An import file is malformed; the message names the file and, where it applies, the record."""


class BadSearchQuery(UsageError):
    """`find QUERY` could not be read: one line saying where and why."""


class FileRejected(PapertrailError):
    """A file cannot be stored or read: not a PDF, too large, unreadable, damaged."""


class FileStoreError(PapertrailError):
    """The file store (a directory or a bucket) could not be read or written."""

"""`edit`: change a paper's descriptive fields by hand, and remember which ones.

Fields the user edited are listed in `paper.edited`; fetched metadata never replaces
them (Store.update_metadata). The plain-text form used by `edit REF` with no option is
written and read here, so that the CLI only runs the editor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from papertrail.db.store import Store
from papertrail.errors import InvalidArxivId, PapertrailError, UsageError
from papertrail.model.citation_keys import is_provisional, storable_key, usable_key
from papertrail.model.entry_types import BIBTEX_TYPES
from papertrail.model.ids import abs_url, is_web_address, parse_arxiv_id, pdf_url
from papertrail.model.records import Paper, paper_label

# Form field -> paper column.
FIELDS = {
    "title": "title", "authors": "authors", "year": "year", "url": "url", "doi": "doi",
    "arxiv": "arxiv_id", "venue": "venue", "key": "citation_key", "type": "entry_type",
    "volume": "volume", "number": "number", "pages": "pages", "publisher": "publisher",
}  # fmt: skip
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


@dataclass
class EditResult:
    paper: Paper
    changed: list[str] = field(default_factory=list)  # form field names
    linked_arxiv: str | None = None  # an arXiv id newly given to the paper
    notes: list[str] = field(default_factory=list)  # what the user should know (keys)


def parse_value(name: str, text: str) -> Any:
    """A form or option value as the column stores it; raise UsageError with the reason."""
    value = " ".join(text.split()) if name != "authors" else text.strip()
    if name == "title":
        if not value:
            raise UsageError("the title cannot be empty")
        return value
    if not value:
        return None  # an empty field clears it
    if name == "authors":
        names = [" ".join(a.split()) for a in re.split(r"[;\n]", value)]
        return "\n".join(a for a in names if a) or None
    if name == "year":
        if not value.isdigit() or not 1 <= int(value) <= 9999:
            raise UsageError(f"year must be a whole number from 1 to 9999, not {value!r}")
        return int(value)
    if name == "url":
        if not is_web_address(value):
            raise UsageError(f"not a web address: {value!r} (a link is http:// or https://)")
        return value
    if name == "doi":
        doi = _DOI_PREFIX.sub("", value)
        if not _DOI.match(doi):
            raise UsageError(f"not a DOI: {value!r} (a DOI looks like 10.1234/abc)")
        return doi
    if name == "key":
        if not usable_key(value):
            raise UsageError(
                f"not a citation key: {value!r} (no spaces, commas, braces, quotes or # % ~ \\)"
            )
        if not storable_key(value):  # it could never name the paper as a REF
            raise UsageError(f"a citation key cannot be a number, an arXiv id or a DOI: {value!r}")
        return value
    if name == "type":
        kind = value.lower().lstrip("@")
        if kind not in BIBTEX_TYPES:
            raise UsageError(
                f"not an entry type: {value!r} (article, inproceedings, book, incollection, "
                "phdthesis, techreport, misc, online...)"
            )
        return kind
    if name == "pages":
        return re.sub(r"\s*[-‐‑‒–—]+\s*", "--", value)
    if name == "arxiv":
        try:
            return parse_arxiv_id(value).id
        except InvalidArxivId as error:
            raise UsageError(str(error)) from None
    return value


def current_values(paper: Paper) -> dict[str, Any]:
    """The paper's editable fields, as stored."""
    return {
        "title": paper.title, "authors": "\n".join(paper.authors) or None, "year": paper.year,
        "url": paper.url, "doi": paper.doi, "arxiv": paper.arxiv_id, "venue": paper.venue,
        "key": paper.citation_key, "type": paper.entry_type, "volume": paper.volume,
        "number": paper.number, "pages": paper.pages, "publisher": paper.publisher,
    }  # fmt: skip


class EditConflict(PapertrailError):
    """A field the user changed in the form was changed by someone else meanwhile."""


def edit_paper(
    store: Store, paper_id: int, raw: dict[str, str], started_from: Paper | None = None
) -> EditResult:
    """Apply the given fields (form name -> text); those that change are marked edited.

    `started_from`: the paper as the form showed it. A field changed since then (a fetch,
    another edit) and changed differently in the form is a conflict: nothing is applied.
    """
    wanted = {name: parse_value(name, text) for name, text in raw.items()}
    with store.transaction():
        store.row("paper", {"id": paper_id}, lock=True)  # read, compare, write: under its lock
        paper = store.get(paper_id)
        current = current_values(paper)
        if started_from is not None:
            _refuse_conflicts(paper, current_values(started_from), current, wanted)
        changed = {name: value for name, value in wanted.items() if value != current[name]}
        if not changed:
            return EditResult(paper)
        result = EditResult(paper, list(changed))
        columns = {FIELDS[name]: value for name, value in changed.items()}
        if changed.get("key") is not None:
            _refuse_taken_key(store, paper, changed["key"])
        if "arxiv" in changed:
            # What the user typed wins over the links that follow the id.
            columns = {**_arxiv_columns(store, paper, changed["arxiv"], result), **columns}
        edited = store.edited_fields(paper_id) | {FIELDS[name] for name in changed}
        if "key" in changed and changed["key"] is None:
            edited.discard("citation_key")  # an empty key: a new one is made, as for any paper
        columns["edited"] = " ".join(sorted(edited))
        store.update_paper(paper_id, columns)
        if changed.get("key") is not None and paper.citation_key:
            store.alias_keys([paper.citation_key], paper_id)  # a manuscript may cite it
        result.paper = store.get(paper_id)
        result.notes = _key_notes(store, paper, result.paper, changed)
        store.summary = f"edited {paper_label(result.paper)}: {', '.join(changed)}"
    return result


def _key_notes(store: Store, before: Paper, after: Paper, changed: dict[str, Any]) -> list[str]:
    """What changed (or did not) in the paper's key that a manuscript citing it must know."""
    old, new = before.citation_key, after.citation_key
    if old is None:
        return []
    if changed.get("key") is not None and old != new:
        return [f"the old key {old} still names this paper (an alias), for what cites it"]
    if (
        old == new
        and is_provisional(old)
        and "authors" in changed
        and store.key_written(before.id, old)
    ):
        return [
            f"the key {old} stays: it is in a linked bibliography;"
            " `edit --key NEW` changes it, the old one staying an alias"
        ]
    return []


def _refuse_conflicts(
    paper: Paper, before: dict[str, Any], current: dict[str, Any], wanted: dict[str, Any]
) -> None:
    clashes = [
        name for name, value in wanted.items()
        if current[name] != before[name] and value != current[name]
    ]  # fmt: skip
    if clashes:
        raise EditConflict(
            f"{', '.join(clashes)} of {paper_label(paper)} changed while the form was open"
        )


def _refuse_taken_key(store: Store, paper: Paper, key: str) -> None:
    other = store.paper_with_key(key)
    if other is not None and other != paper.id:
        raise PapertrailError(f"the key {key} is paper {other}'s: each paper has its own")


def _arxiv_columns(store: Store, paper: Paper, arxiv_id: str | None, result: EditResult) -> dict:
    """A new (or no) arXiv id: refuse one another paper has; the links papertrail made for
    the old id follow, and the metadata becomes pending."""
    if arxiv_id is not None:
        other = store.find_arxiv([arxiv_id]).get(arxiv_id)
        if other is not None and other != paper.id:
            raise PapertrailError(
                f"arXiv {arxiv_id} is already paper {other}: "
                f"`papertrail merge {other} {paper.id}` makes them one"
            )
        result.linked_arxiv = arxiv_id
    columns: dict[str, Any] = {"version": None, "fetched_at": None}
    old = paper.arxiv_id
    if paper.url is None or (old and paper.url == abs_url(old)):
        columns["url"] = abs_url(arxiv_id) if arxiv_id else None
    if old and paper.pdf_url == pdf_url(old):
        columns["pdf_url"] = None  # the next fetch gives the new one
    return columns


# -- the plain-text form --------------------------------------------------------------------

FORM_HELP = (
    "# Edit paper {id}. One field a line, `name: value`; an empty value clears the field.\n"
    "# authors: separated by `;`. Lines starting with # are ignored. Save and quit to apply.\n"
)


def form_fields(paper: Paper) -> dict[str, str]:
    """Each field's line in the form. A line is compared with what the user saves: only
    the lines they changed are applied, so a stored value the form cannot show exactly (a
    line break, double spaces, an author holding `;`, a DOI of another shape) stays."""
    values = current_values(paper)
    values["authors"] = "; ".join(paper.authors)
    return {name: " ".join(_one_line(values[name])) for name in FIELDS}


def _one_line(value: Any) -> list[str]:
    return [] if value is None else str(value).splitlines() or [""]


def form_text(paper: Paper, error: str | None = None) -> str:
    lines = [FORM_HELP.format(id=paper.id)]
    if error:
        lines.append(f"# ERROR: {error}\n# Fix the field below, or save unchanged to give up.\n")
    lines.extend(f"{name}: {value}\n" for name, value in form_fields(paper).items())
    return "".join(lines)


def typed_fields(paper: Paper, form: dict[str, str]) -> dict[str, str]:
    """The fields of a saved form whose line the user changed (form_fields is the start)."""
    shown = form_fields(paper)
    return {name: text for name, text in form.items() if text.strip() != shown[name].strip()}


def parse_form(text: str) -> dict[str, str]:
    """The fields of an edited form (name -> text as typed); raise UsageError on a bad line."""
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, value = line.partition(":")
        name = name.strip().lower()
        if not sep or name not in FIELDS:
            raise UsageError(
                f"line {number} of the form is not `field: value` with a field of "
                f"{', '.join(FIELDS)}: {line.strip()[:60]!r}"
            )
        if name in found:
            raise UsageError(f"line {number} of the form repeats the field {name!r}")
        found[name] = value
    return found

"""Topic slugs: lower-case words joined by hyphens (`binary-quantization`)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from papertrail.errors import TopicError
from papertrail.model.ids import names_paper_by_id

_SEPARATORS = re.compile(r"[^\w]+|_+")


@lru_cache(maxsize=4096)  # importers slugify the same keywords and headings again and again
def slugify(text: str) -> str:
    """`Binary Quantization` -> `binary-quantization`; letters of any script are kept."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    return _SEPARATORS.sub("-", normal).strip("-")


def topic_slug(text: str) -> str:
    """A user-given topic as a slug; raise TopicError when nothing of it is left."""
    slug = slugify(text)
    if not slug:
        raise TopicError(f"not a usable topic name: {text!r}")
    return slug


def new_topic_slug(text: str) -> str:
    """A topic name the user typed: like `topic_slug`, but a paper REF (a number or an arXiv
    id) is refused, since it is almost always a paper given in the wrong place."""
    stripped = text.strip()
    if names_paper_by_id(stripped):
        raise TopicError(
            f"{stripped!r} looks like a paper, not a topic name; to tag several papers: "
            "papertrail tag -t TOPIC REF..."
        )
    return topic_slug(text)

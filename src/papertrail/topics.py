"""Topic slugs: lower-case words joined by hyphens (`binary-quantization`)."""

from __future__ import annotations

import re
import unicodedata

from papertrail.errors import TopicError

_SEPARATORS = re.compile(r"[^\w]+|_+")


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

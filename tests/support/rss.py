"""An announcement feed in rss.arxiv.org's layout (2024-), written from records: the inbox
tests file whatever titles, authors and abstracts they need through the real fetch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from xml.sax.saxutils import escape


def rss_feed(items: Iterable[Mapping[str, Any]], categories: str = "cs.LG") -> bytes:
    """Items: {"arxiv_id", "title", "abstract", "authors": [...], "categories": [...]}, each
    announced as new."""
    body = "".join(_item(item) for item in items)
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel>'
        f"<title>{categories} updates on arXiv.org</title>"
        f"<link>http://rss.arxiv.org/rss/{categories}</link>"
        f"<description>{categories} updates</description>"
        "<lastBuildDate>Tue, 06 Oct 2026 04:00:00 +0000</lastBuildDate>"
        "<pubDate>Tue, 06 Oct 2026 00:00:00 -0400</pubDate>"
        f"{body}</channel></rss>"
    ).encode()


def _item(item: Mapping[str, Any]) -> str:
    arxiv_id = item["arxiv_id"]
    categories = "".join(f"<category>{c}</category>" for c in item.get("categories", ["cs.LG"]))
    return (
        f"<item><title>{escape(item['title'])}</title>"
        f"<link>https://arxiv.org/abs/{arxiv_id}</link>"
        f"<description>arXiv:{arxiv_id}v1 Announce Type: new \n"
        f"Abstract: {escape(item.get('abstract') or '')}</description>"
        f'<guid isPermaLink="false">oai:arXiv.org:{arxiv_id}v1</guid>{categories}'
        "<pubDate>Tue, 06 Oct 2026 00:00:00 -0400</pubDate>"
        "<arxiv:announce_type>new</arxiv:announce_type>"
        f"<dc:creator>{escape(', '.join(item.get('authors') or ['A. Nonymous']))}</dc:creator>"
        "</item>"
    )

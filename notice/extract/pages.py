"""One notice from the pages of an article split over several web pages: its pages' extractions
joined in order into one extraction, as if the article had been one page."""

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..patterns import ARTICLE_EDGE_LINES, ARTICLE_PAGER_LINE

if TYPE_CHECKING:
    from . import Extraction


def join_pages(pages: "list[Extraction]") -> "Extraction":
    """The extraction of a whole article from its pages' extractions, first page first: the
    first page's title and metadata, the first date and source a page states, and the texts
    in order without the pager lines (上一页 1 2 下一页) and the lines each later page repeats
    at its top or bottom from the first page (a repeated heading, an info bar, a footer)."""
    if not pages:
        raise ValueError("an article has at least one page")
    first = pages[0]
    head, tail = _edges(_lines(first.text))
    lines = []
    for number, page in enumerate(pages):
        own = _lines(page.text)
        if number:
            own = _trim(own, head, tail)
        lines += own
    metadata = dict(first.metadata, pages=len(pages))
    if first.metadata.get("method") == "attachments-only" and lines:
        metadata["method"] = "pages"
    return replace(
        first,
        title=first.title or next((p.title for p in pages if p.title), None),
        text="\n".join(lines),
        published=next((p.published for p in pages if p.published), None),
        source=next((p.source for p in pages if p.source), None),
        metadata=metadata,
    )


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if not ARTICLE_PAGER_LINE.match(line.strip())]


def _key(line: str) -> str:
    return re.sub(r"\s+", "", line)


def _edges(lines: list[str]) -> tuple[set[str], set[str]]:
    return (
        {_key(line) for line in lines[:ARTICLE_EDGE_LINES]},
        {_key(line) for line in lines[-ARTICLE_EDGE_LINES:]},
    )


def _trim(lines: list[str], head: set[str], tail: set[str]) -> list[str]:
    """A later page's lines without those it repeats from the first page's edges, at its own."""
    start, end = 0, len(lines)
    while start < min(end, ARTICLE_EDGE_LINES) and _key(lines[start]) in head:
        start += 1
    while end > max(start, len(lines) - ARTICLE_EDGE_LINES) and _key(lines[end - 1]) in tail:
        end -= 1
    return lines[start:end]

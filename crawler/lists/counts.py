"""What a list says it holds: items (共128条, `totalRecord`, Hanweb's `<totalrecord>`, an API's
`total`) and pages (共9页, 1/9页, `createPageHTML(9, …)`, the last page number its pager shows,
an API's `totalPage`). Pure functions of a page or a reply; the crawl records them per list
(crawler.coverage) beside what it read."""

import re
from dataclasses import dataclass

from .. import list_patterns
from ..discovery import Link
from ..roles import PAGE
from . import Page

MAX_DEPTH = 3  # how deep in a JSON reply its totals are looked for


@dataclass(frozen=True)
class Stated:
    """What a list states: its items and its pages (None: not stated)."""

    items: int | None = None
    pages: int | None = None

    def __bool__(self) -> bool:
        return self.items is not None or self.pages is not None


def stated_by_page(page: Page, links: list[Link] = ()) -> Stated:
    """What a list page states in its text, its scripts and its pager (`links`: the links the
    list mechanisms found on it; the largest page number a page link is labelled with is the
    last page the pager shows)."""
    root = page.selector.root
    text = "".join(root.xpath("//body//text()[not(ancestor::script)]")) if root is not None else ""
    scripts = page.scripts() + "\n".join(
        page.selector.xpath("//script[@type='text/xml']/text()").getall()
    )
    items = _first_int(list_patterns.ITEM_COUNT, text) or _first_int(
        list_patterns.SCRIPT_ITEM_COUNT, scripts
    )
    pages = [
        _first_int(list_patterns.PAGE_COUNT, text),
        _first_int(list_patterns.SCRIPT_PAGE_COUNT, scripts),
        _create_page_html(scripts),
        *(int(link.label) for link in links if link.role == PAGE and link.label.isdigit()),
    ]
    pages = [n for n in pages if n]
    return Stated(items, max(pages) if pages else None)


def stated_by_reply(data, depth: int = 0) -> Stated:
    """What a JSON list reply states about the whole list: the first total and page count in
    it (at the top, or in a wrapper object such as `data` or `page`)."""
    if not isinstance(data, dict) or depth > MAX_DEPTH:
        return Stated()
    items = _field(data, list_patterns.TOTAL_FIELDS)
    pages = _field(data, list_patterns.PAGES_FIELDS)
    if items is not None or pages is not None:
        return Stated(items, pages)
    for value in data.values():
        found = stated_by_reply(value, depth + 1)
        if found:
            return found
    return Stated()


def _field(data: dict, names: tuple[str, ...]) -> int | None:
    for name in names:
        value = data.get(name)
        if isinstance(value, bool):
            continue
        if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
            return int(value)
    return None


def _first_int(pattern: re.Pattern, text: str) -> int | None:
    match = pattern.search(text)
    if not match:
        return None
    return int(next(g for g in match.groups() if g))


def _create_page_html(scripts: str) -> int | None:
    match = list_patterns.CREATE_PAGE_HTML.search(scripts)
    return int(match.group(1)) if match else None

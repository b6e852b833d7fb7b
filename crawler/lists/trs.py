"""TRS WCM pagers: `createPageHTML(count, current, "index", "html")` names every list page."""

from ..discovery import Link, trs_pages
from ..roles import PAGE
from . import Found, Page

NAME = "trs"


def detect(page: Page) -> Found:
    # the list's own first page, the bound, and one more: the crawl policy cuts the list at
    # LIST_MAX_PAGES and counts that it did
    urls = trs_pages(page.html, page.url, page.list_max + 2)
    return Found(links=[Link(url, "", PAGE) for url in urls])

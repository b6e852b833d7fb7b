"""Static links: `<a href>` anchors sorted into notices, candidates, columns and pages; and
how many article-shaped links the page holds (a list page's entries, notices or not)."""

from ..discovery import article_links, classify_links
from . import Found, Page

NAME = "static"


def detect(page: Page) -> Found:
    links, offsite, truncated = classify_links(
        page.selector,
        page.url,
        page.domains,
        list_selector=page.list_selector,
        detail_pattern=page.detail_pattern,
        max_links=page.max_links,
        embedded=False,
    )
    entries = article_links(page.selector, page.url, page.domains, page.max_links)
    return Found(links=links, offsite=offsite, truncated=truncated, entries=entries)

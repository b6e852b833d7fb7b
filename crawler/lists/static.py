"""Static links: `<a href>` anchors sorted into notices, candidates, columns and pages."""

from ..discovery import classify_links
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
    return Found(links=links, offsite=offsite, truncated=truncated)

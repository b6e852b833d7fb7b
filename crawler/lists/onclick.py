"""Links that are not hrefs: `href="javascript:void(0)" onclick="window.open('showinfo.jsp?id=1')"`,
`location.href='…'`, handlers whose argument is the target URL."""

import re
from urllib.parse import urljoin

from .. import list_patterns
from ..discovery import Link, label_of, link_role
from ..urls import canonical_url, in_scope
from . import Found, Page

NAME = "onclick"
_HANDLERS = "//*[@onclick] | //a[starts-with(normalize-space(@href), 'javascript:')]"


def targets(handler: str) -> list[str]:
    """The URLs a click handler opens."""
    return [
        url
        for url in list_patterns.HANDLER_URL.findall(handler)
        if list_patterns.HANDLER_TARGET.match(url) and not url.startswith("javascript:")
    ]


def detect(page: Page) -> Found:
    found = Found()
    for element in page.selector.xpath(_HANDLERS)[: page.max_links]:
        handler = element.attrib.get("onclick", "") + " " + element.attrib.get("href", "")
        for target in targets(handler):
            url = canonical_url(urljoin(page.url, target))
            if not in_scope(url, page.domains):
                found.offsite += 1
                continue
            label = label_of(element)
            role = link_role(re.sub(r"\s+", "", label), url, page.url)
            if role:
                found.links.append(Link(url, label, role))
    return found

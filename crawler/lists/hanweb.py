"""Hanweb (大汉) jpage columns: the first page embedded in `<script type="text/xml">` and the
rest from POSTs to dataproxy.jsp. Several columns share one proxy URL and differ only in
their parameters (columnid, unitid …): every jpage call of a page is its own list API."""

import re
from urllib.parse import urljoin

from parsel import Selector

from notice.urls import canonical_url, in_scope

from .. import list_patterns
from ..discovery import Link, ListApi, embedded_records, label_of, link_role
from . import Found, Page

NAME = "hanweb"
_CALL = re.compile(r"\.jpage\s*\(|\bjpage\s*\(", re.I)


def apis(scripts: str, base_url: str) -> list[ListApi]:
    """One list API per jpage call in the scripts (a page may hold several columns)."""
    starts = [m.start() for m in _CALL.finditer(scripts)] or [0]
    found = []
    for start, end in zip(starts, [*starts[1:], len(scripts)], strict=True):
        block = scripts[start:end]
        proxy = list_patterns.HANWEB_PROXY_URL.search(
            block
        ) or list_patterns.HANWEB_PROXY_URL.search(scripts)
        params = list_patterns.HANWEB_PARAMS.search(block)
        if not proxy or not params:
            continue
        pairs = tuple(
            (key, next((v for v in values if v), ""))
            for key, *values in list_patterns.JS_PAIR.findall(params.group(1))
        )
        per_page = list_patterns.HANWEB_PER_PAGE.search(block)
        found.append(
            ListApi(
                kind="hanweb",
                url=urljoin(base_url, proxy.group(1)),
                params=pairs,
                per_page=int(per_page.group(1)) if per_page else 15,
                base_url=base_url,
            )
        )
    return found


def detect(page: Page) -> Found:
    found = Found(apis=apis(page.scripts(), page.url))
    records = embedded_records(page.selector)
    if records:
        for anchor in Selector(text=records).css("a[href]"):
            url = canonical_url(urljoin(page.url, anchor.attrib["href"].strip()))
            if not in_scope(url, page.domains):
                found.offsite += 1
                continue
            label = re.sub(r"\s+", "", label_of(anchor))
            role = link_role(label, url, page.url)
            if role:
                found.links.append(Link(url, label, role))
    return found
